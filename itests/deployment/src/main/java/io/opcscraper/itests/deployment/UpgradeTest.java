package io.opcscraper.itests.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.eclipse.kura.configuration.ConfigurableComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.service.deploymentadmin.BundleInfo;
import org.osgi.service.deploymentadmin.DeploymentAdmin;
import org.osgi.service.deploymentadmin.DeploymentPackage;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

import io.opcscraper.itests.support.DeploymentPackages;
import io.opcscraper.kura.emulator.KuraConfigurator;

/**
 * An admin installs a newer .dp while the gateway runs: Felix DeploymentAdmin updates our
 * bundles in place, the configurations stay, and the components come back.
 */
class UpgradeTest {

    @InjectBundleContext
    BundleContext context;

    @Test
    void upgradeReplacesBundlesKeepsConfigurationsAndRestartsComponents(@InjectService DeploymentAdmin admin,
            @InjectService KuraConfigurator configurator, @TempDir Path temp) throws Exception {
        Path v1 = BuiltPackage.find();
        Path v2 = DeploymentPackages.bumped(v1, temp.resolve("opc-scraper-next.dp"));

        DeploymentPackage first;
        try (InputStream in = Files.newInputStream(v1)) {
            first = admin.installDeploymentPackage(in);
        }
        DeploymentPackage second = null;
        try {
            Map<String, Long> bundleIds = new HashMap<>();
            Map<String, Version> versions = new HashMap<>();
            for (BundleInfo info : first.getBundleInfos()) {
                Bundle bundle = first.getBundle(info.getSymbolicName());
                bundleIds.put(info.getSymbolicName(), bundle.getBundleId());
                versions.put(info.getSymbolicName(), bundle.getVersion());
            }
            Map<String, Long> serviceIds = new HashMap<>();
            for (String pid : KuraProfile.PIDS) {
                String name = KuraProfile.INSTANCE_OF_PID.get(pid);
                configurator.createFactoryConfiguration(pid, name, Map.of());
            }
            for (String name : KuraProfile.INSTANCE_OF_PID.values()) {
                serviceIds.put(name, (Long) component(name, 0).getProperty(Constants.SERVICE_ID));
            }
            configurator.updateConfiguration("opcua-poller", Map.of("interval.ms", 250));
            Map<String, Object> pollerBefore = configurator.getConfiguration("opcua-poller").orElseThrow();
            // The writer's spool lies under Kura's user directory, not in the bundle's data area.
            Path writerId = Paths.get(System.getProperty("kura.home"), "user", "opc-scraper", "spool",
                    "timescale-writer", "writer-id");
            String spoolIdentity = existing(writerId);

            try (InputStream in = Files.newInputStream(v2)) {
                second = admin.installDeploymentPackage(in);
            }

            assertEquals(DeploymentPackages.next(first.getVersion().toString()), second.getVersion().toString());
            assertEquals(bundleIds.keySet(),
                    Arrays.stream(second.getBundleInfos()).map(BundleInfo::getSymbolicName)
                            .collect(java.util.stream.Collectors.toSet()));
            for (BundleInfo info : second.getBundleInfos()) {
                String name = info.getSymbolicName();
                Bundle bundle = second.getBundle(name);
                assertEquals(bundleIds.get(name), bundle.getBundleId(), name + " was reinstalled, not updated");
                assertEquals(DeploymentPackages.next(versions.get(name).toString()), bundle.getVersion().toString(),
                        name + " was not replaced");
                assertEquals(Bundle.ACTIVE, bundle.getState(), name);
            }
            assertEquals(pollerBefore, configurator.getConfiguration("opcua-poller").orElseThrow(),
                    "the poller's configuration changed across the upgrade");
            assertEquals(spoolIdentity, Files.readString(writerId), "the writer's spool did not survive the upgrade");
            for (Map.Entry<String, Long> before : serviceIds.entrySet()) {
                ServiceReference<?> after = component(before.getKey(), before.getValue());
                assertTrue((Long) after.getProperty(Constants.SERVICE_ID) > before.getValue(), before.getKey());
                assertEquals(bundleIds.get(KuraProfile.BUNDLE_OF_PID.get(after.getProperty("service.factoryPid"))),
                        after.getBundle().getBundleId());
            }
        } finally {
            for (String name : KuraProfile.INSTANCE_OF_PID.values()) {
                if (configurator.getConfiguration(name).isPresent()) {
                    configurator.deleteConfiguration(name);
                }
            }
            (second != null ? second : first).uninstall();
        }
    }

    /** The content of a file the writer creates in its activation, which has happened by now. */
    private static String existing(Path file) throws java.io.IOException {
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("the writer did not create " + file + " when it was activated");
        }
        return Files.readString(file);
    }

    /** The ConfigurableComponent named {@code name} whose service id is above {@code after}. */
    private ServiceReference<?> component(String name, long after) throws InterruptedException {
        return Services.await(this.context, "(&(objectClass=" + ConfigurableComponent.class.getName()
                + ")(kura.service.pid=" + name + ")(!(service.id<=" + after + ")))");
    }
}
