package io.opcscraper.itests.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.kura.configuration.ConfigurableComponent;
import org.eclipse.kura.crypto.CryptoService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

import io.opcscraper.kura.emulator.KuraConfigurator;
import io.opcscraper.kura.emulator.KuraSnapshots;

/**
 * Kura's snapshots in the emulator: each change through the configuration front door writes one,
 * holding every instance by {@code kura.service.pid} with its factory PID and its properties as
 * stored (the password encrypted); re-creating the instances of a snapshot, as a Kura boot does
 * after the framework storage was wiped, gives new {@code service.pid} values, the same names and
 * properties, and the components come back.
 */
class KuraSnapshotsTest {

    @InjectBundleContext
    static BundleContext context;

    @RegisterExtension
    static final InstalledPackage installed = new InstalledPackage();

    @Test
    void eachChangeWritesASnapshotOfTheInstancesWithTheirPasswordEncrypted(@InjectService KuraConfigurator configurator,
            @InjectService KuraSnapshots snapshots) throws Exception {
        try {
            configurator.createFactoryConfiguration(KuraProfile.WRITER, "snapshot-writer",
                    Map.of("db.password", "s3cret-Pw", "table.name", "snap"));
            Path first = snapshots.latest().orElseThrow(() -> new AssertionError("no snapshot after a create"));
            assertEquals(snapshots.directory(), first.getParent());
            String xml = Files.readString(first);
            assertTrue(xml.contains("<esf:configuration pid=\"snapshot-writer\">"), xml);
            assertTrue(xml.contains("name=\"service.factoryPid\" array=\"false\" encrypted=\"false\" type=\"String\">"
                    + "<esf:value>io.opcscraper.timescale.Writer</esf:value>"), xml);
            String stored = (String) configurator.getConfiguration("snapshot-writer").orElseThrow().get("db.password");
            assertTrue(xml.contains("name=\"db.password\" array=\"false\" encrypted=\"true\" type=\"Password\">"
                    + "<esf:value>" + stored + "</esf:value>"), xml);
            assertFalse(xml.contains("s3cret-Pw"), "the clear password is in the snapshot");
            assertFalse(xml.contains("name=\"spool.dir\""), "an empty default is absent from the snapshot too");
            assertFalse(xml.contains("name=\"service.pid\""), "service.pid is not kept: a boot gives a new one");

            configurator.updateConfiguration("snapshot-writer", Map.of("table.name", "snap2"));
            Path second = snapshots.latest().orElseThrow();
            assertNotEquals(first, second, "an update writes a new snapshot");
            assertTrue(Files.readString(second).contains("<esf:value>snap2</esf:value>"));
        } finally {
            configurator.deleteConfiguration("snapshot-writer");
        }
        assertFalse(Files.readString(snapshots.latest().orElseThrow()).contains("snapshot-writer"),
                "a delete writes a snapshot without the instance");
    }

    @Test
    void restoringASnapshotRecreatesTheInstancesWithNewServicePidsAndTheSameNames(
            @InjectService KuraConfigurator configurator, @InjectService KuraSnapshots snapshots,
            @InjectService ConfigurationAdmin configAdmin, @InjectService CryptoService crypto) throws Exception {
        List<String> names = new ArrayList<>(KuraProfile.INSTANCE_OF_PID.values());
        Map<String, String> pidsBefore = new HashMap<>();
        Map<String, Map<String, Object>> before = new HashMap<>();
        try {
            for (String pid : KuraProfile.PIDS) {
                String name = KuraProfile.INSTANCE_OF_PID.get(pid);
                pidsBefore.put(name, configurator.createFactoryConfiguration(pid, name,
                        KuraProfile.WRITER.equals(pid) ? Map.of("db.password", "s3cret-Pw") : Map.of()));
            }
            for (String name : names) {
                before.put(name, withoutServicePid(configurator.getConfiguration(name).orElseThrow()));
            }
            Path snapshot = snapshots.latest().orElseThrow();

            // What a boot finds: the framework storage wiped, so ConfigurationAdmin holds none of them.
            for (String name : names) {
                Configuration[] found = configAdmin.listConfigurations("(kura.service.pid=" + name + ")");
                found[0].delete();
            }
            Map<String, String> recreated = snapshots.restore(snapshot);

            assertEquals(new java.util.HashSet<>(names), recreated.keySet());
            for (String name : names) {
                String newPid = recreated.get(name);
                assertNotEquals(pidsBefore.get(name), newPid, name + ": a new service.pid");
                Map<String, Object> after = configurator.getConfiguration(name).orElseThrow();
                assertEquals(newPid, after.get(Constants.SERVICE_PID));
                assertEquals(before.get(name), withoutServicePid(after), name + ": the same properties");
                Services.await(context, "(&(objectClass=" + ConfigurableComponent.class.getName()
                        + ")(kura.service.pid=" + name + ")(service.pid=" + newPid + "))");
            }
            Object password = configurator.getConfiguration("timescale-writer").orElseThrow().get("db.password");
            assertEquals("s3cret-Pw", new String(crypto.decryptAes(((String) password).toCharArray())));
            assertEquals(Map.of(), snapshots.restore(snapshot), "instances that exist are not created twice");
        } finally {
            for (String name : names) {
                if (configurator.getConfiguration(name).isPresent()) {
                    configurator.deleteConfiguration(name);
                }
            }
        }
    }

    private static Map<String, Object> withoutServicePid(Map<String, Object> properties) {
        Map<String, Object> copy = new HashMap<>(properties);
        copy.remove(Constants.SERVICE_PID);
        return copy;
    }
}
