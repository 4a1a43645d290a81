package io.opcscraper.itests.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.kura.configuration.ConfigurableComponent;
import org.eclipse.kura.crypto.CryptoService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

import io.opcscraper.kura.emulator.KuraConfigurator;

/**
 * The emulator's configuration path is shaped like Kura's: a metatype default that is empty is
 * dropped (the property is absent, not ""), Password properties are stored encrypted, and our
 * components start on such configurations; the CryptoService key lives where Kura keeps its keys,
 * outside the framework storage a Kura boot wipes. (That the components collect and write on such
 * configurations, falling back to their defaults, the in-framework OPC UA test and the
 * reliability suite show: they create their instances through the same emulator.)
 */
class KuraEmulatorTest {

    /** The properties whose metatype default is "" (metatype/*.xml), by factory PID. */
    private static final Map<String, Set<String>> EMPTY_DEFAULTS = Map.of(
            KuraProfile.CONNECTION, Set.of("identity.username", "identity.password", "identity.keystore",
                    "identity.keystore.password", "pki.dir", "client.id"),
            KuraProfile.DISCOVERY, Set.of("exclude.patterns", "node.ids"),
            KuraProfile.POLLER, Set.of(),
            KuraProfile.WRITER, Set.of("db.password", "ssl.root.cert", "spool.dir"));

    @InjectBundleContext
    static BundleContext context;

    @RegisterExtension
    static final InstalledPackage installed = new InstalledPackage();

    @Test
    void emptyDefaultsStayAbsentPasswordsAreEncryptedAndTheComponentsStartOnThem(
            @InjectService KuraConfigurator configurator, @InjectService CryptoService crypto) throws Exception {
        List<String> created = new ArrayList<>();
        try {
            for (String pid : KuraProfile.PIDS) {
                String name = KuraProfile.INSTANCE_OF_PID.get(pid);
                configurator.createFactoryConfiguration(pid, name, Map.of());
                created.add(name);
            }
            configurator.updateConfiguration("timescale-writer", Map.of("db.password", "s3cret-Pw"));
            for (String pid : KuraProfile.PIDS) {
                String name = KuraProfile.INSTANCE_OF_PID.get(pid);
                Map<String, Object> stored = configurator.getConfiguration(name).orElseThrow();
                Set<String> absent = new java.util.HashSet<>(EMPTY_DEFAULTS.get(pid));
                if (KuraProfile.WRITER.equals(pid)) {
                    absent.remove("db.password");
                }
                for (String key : absent) {
                    assertFalse(stored.containsKey(key), name + ": '" + key + "' (default \"\") must be absent: " + stored);
                }
                assertFalse(stored.containsValue(""), name + " holds an empty string: " + stored);
                assertEquals(name, stored.get("kura.service.pid"));
                Services.await(context, "(&(objectClass=" + ConfigurableComponent.class.getName()
                        + ")(kura.service.pid=" + name + "))");
            }
            // Non-empty defaults are merged, as Kura's console does.
            assertEquals("auto", configurator.getConfiguration("opcua-connection").orElseThrow().get("security.policy"));
            Object password = configurator.getConfiguration("timescale-writer").orElseThrow().get("db.password");
            assertNotEquals("s3cret-Pw", password, "the password is stored encrypted");
            assertEquals("s3cret-Pw", new String(crypto.decryptAes(((String) password).toCharArray())));
        } finally {
            for (String name : created) {
                configurator.deleteConfiguration(name);
            }
        }
    }

    @Test
    void theCryptoKeyIsKeptUnderKuraHomeOutsideTheFrameworkStorage(@InjectService CryptoService crypto)
            throws Exception {
        char[] sealed = crypto.encryptAes("value".toCharArray());
        Path key = Paths.get(System.getProperty("kura.home"), "user", "security", "opc-scraper-emulator-aes.key");
        assertTrue(Files.isRegularFile(key), "no key at " + key);
        assertEquals(32, Files.size(key));
        Bundle emulator = FrameworkUtil.getBundle(crypto.getClass());
        assertFalse(emulator.getDataFile("aes.key").exists(), "a key in the framework storage, which a boot wipes");
        assertEquals("value", new String(crypto.decryptAes(sealed)));
    }
}
