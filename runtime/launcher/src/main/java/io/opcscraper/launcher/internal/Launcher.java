package io.opcscraper.launcher.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.deploymentadmin.DeploymentAdmin;
import org.osgi.service.deploymentadmin.BundleInfo;
import org.osgi.service.deploymentadmin.DeploymentPackage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import io.opcscraper.kura.emulator.KuraConfigurator;

/**
 * Brings the Kura-like runtime to the state of a configured gateway: installs the deployment
 * package named by framework property {@value #DP_PROPERTY} through DeploymentAdmin (as Kura's
 * deployment agent does), then creates the instances listed in the JSON file named by
 * {@value #CONFIG_PROPERTY} through the Kura emulator (metatype defaults merged, passwords
 * encrypted, instances named by kura.service.pid). Every failure is logged with its file and
 * field; the framework keeps running.
 */
@Component(immediate = true)
public final class Launcher {

    static final String DP_PROPERTY = "opcscraper.dp";
    static final String CONFIG_PROPERTY = "opcscraper.config";
    static final String DURATION_PROPERTY = "opcscraper.duration.s";
    static final String FLUSH_PROPERTY = "opcscraper.stop.flush.s";

    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

    private final BundleContext context;
    private final DeploymentAdmin deploymentAdmin;
    private final KuraConfigurator configurator;
    private final Thread worker;
    private final OrderlyStop stop;
    private volatile StatusBoard board;
    private volatile DeploymentPackageWatcher watcher;

    @Activate
    public Launcher(BundleContext context, @Reference DeploymentAdmin deploymentAdmin,
            @Reference KuraConfigurator configurator) {
        this.context = context;
        this.deploymentAdmin = deploymentAdmin;
        this.configurator = configurator;
        this.stop = new OrderlyStop(seconds(FLUSH_PROPERTY, 20), System.out);
        Signals.onInterrupt(this.stop);
        // Not on SCR's thread: installing the .dp starts bundles whose components SCR activates.
        this.worker = new Thread(this::run, "opcscraper-launcher");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    @Deactivate
    void deactivate() {
        this.worker.interrupt();
        // Not joined: a refresh started by an install from the watcher's own thread deactivates us.
        DeploymentPackageWatcher w = this.watcher;
        if (w != null) {
            w.close();
        }
        StatusBoard b = this.board;
        if (b != null) {
            b.close();
        }
    }

    private void run() {
        for (DeploymentPackage present : this.deploymentAdmin.listDeploymentPackages()) {
            // A DeploymentAdmin may list a "System" package of the framework's own bundles: not ours.
            if (!"System".equals(present.getName()) && present.getBundleInfos().length > 0) {
                resume(present);
                return;
            }
        }
        long start = System.nanoTime();
        DeploymentPackage installed = installDeploymentPackage();
        boolean dpOk = installed != null;
        if (dpOk) {
            attach(installed);
        }
        int[] counts = dpOk ? createInstances() : new int[] {0, 0};
        String sinceJvm = ProcessHandle.current().info().startInstant()
                .map(t -> Duration.between(t, Instant.now()).toMillis() + " ms since JVM start").orElse("");
        if (dpOk && counts[0] == counts[1]) {
            Say.info(LOG, "Launcher ready: deployment package installed, {} instance(s) created, in {} ms ({})",
                    counts[0], millis(start), sinceJvm);
            int duration = seconds(DURATION_PROPERTY, 0);
            if (duration > 0) {
                Say.info(LOG, "Stopping in {} s ({})", duration, DURATION_PROPERTY);
                Thread timer = new Thread(() -> {
                    try {
                        Thread.sleep(duration * 1000L);
                        this.stop.begin(DURATION_PROPERTY + "=" + duration + " s elapsed");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "opcscraper-duration");
                timer.setDaemon(true);
                timer.start();
            }
            watchForPackages();
        } else {
            Say.error(LOG, "Launcher done WITH ERRORS (see above): deployment package {}, {} of {} instance(s) created, "
                    + "in {} ms ({}); the framework keeps running", dpOk ? "installed" : "NOT installed",
                    counts[0], counts[1], millis(start), sinceJvm);
        }
    }

    /**
     * A deployment package is installed already: the framework storage is fresh at each start, so
     * this bundle was restarted in a running gateway, by the package refresh that DeploymentAdmin
     * runs after installing a new version (this bundle imports the API package dynamically). Neither
     * the install nor the instances are repeated (that would undo the upgrade and overwrite what an
     * admin changed); the status line and the orderly stop follow the package's bundles again.
     */
    private void resume(DeploymentPackage installed) {
        attach(installed);
        Say.info(LOG, "Launcher resumed after a package refresh: deployment package {} {} is installed, "
                + "its instances are kept", installed.getName(), installed.getVersion());
        watchForPackages();
    }

    private void attach(DeploymentPackage installed) {
        List<Bundle> bundles = new ArrayList<>();
        for (BundleInfo info : installed.getBundleInfos()) {
            Bundle bundle = installed.getBundle(info.getSymbolicName());
            if (bundle != null) {
                bundles.add(bundle);
            }
        }
        this.board = new StatusBoard(this.context);
        this.stop.watch(this.board, bundles);
    }

    /** With framework property {@value DeploymentPackageWatcher#PROPERTY}: installs each .dp that appears there. */
    private void watchForPackages() {
        String value = property(DeploymentPackageWatcher.PROPERTY);
        if (value != null && !value.isBlank()) {
            this.watcher = DeploymentPackageWatcher.start(Paths.get(value).toAbsolutePath().normalize(),
                    this.deploymentAdmin);
        }
    }

    /** @return the installed package, or {@code null} (logged) */
    private DeploymentPackage installDeploymentPackage() {
        String value = property(DP_PROPERTY);
        if (value == null || value.isBlank()) {
            Say.error(LOG, "Framework property {} is not set: no deployment package to install "
                    + "(start with -D{}=dp/target/opc-scraper_<version>.dp)", DP_PROPERTY, DP_PROPERTY);
            return null;
        }
        Path file = Paths.get(value).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            Say.error(LOG, "{}={}: deployment package file {} does not exist (build it with scripts/build)",
                    DP_PROPERTY, value, file);
            return null;
        }
        long start = System.nanoTime();
        Say.info(LOG, "Installing deployment package {} through DeploymentAdmin", file);
        try (InputStream in = Files.newInputStream(file)) {
            DeploymentPackage dp = this.deploymentAdmin.installDeploymentPackage(in);
            Say.info(LOG, "Installed deployment package {} {} ({} bundles) from {} in {} ms", dp.getName(),
                    dp.getVersion(), dp.getBundleInfos().length, file, millis(start));
            return dp;
        } catch (Exception e) {
            Say.error(LOG, "{}={}: installing deployment package {} failed after {} ms: {}", DP_PROPERTY, value, file,
                    millis(start), e.toString(), e);
            return null;
        }
    }

    /** @return {created, listed} */
    private int[] createInstances() {
        String value = property(CONFIG_PROPERTY);
        if (value == null || value.isBlank()) {
            Say.warn(LOG, "Framework property {} is not set: no instances to create", CONFIG_PROPERTY);
            return new int[] {0, 0};
        }
        Path file = Paths.get(value).toAbsolutePath().normalize();
        List<ConfiguratorFile.Instance> instances;
        try {
            instances = ConfiguratorFile.read(file, new ConfiguratorFile.Lookup() {
                @Override
                public String env(String name) {
                    return System.getenv(name);
                }

                @Override
                public String prop(String name) {
                    return property(name);
                }
            });
        } catch (ConfiguratorFile.ConfigException e) {
            Say.error(LOG, "{}={}: {}: {}", CONFIG_PROPERTY, value, file, e.getMessage());
            return new int[] {0, 1};
        }
        Say.info(LOG, "Creating {} instance(s) from {}", instances.size(), file);
        int created = 0;
        for (ConfiguratorFile.Instance instance : instances) {
            long start = System.nanoTime();
            try {
                if (this.configurator.getConfiguration(instance.name()).isPresent()) {
                    this.configurator.updateConfiguration(instance.name(), instance.properties());
                    Say.info(LOG, "Updated existing {} instance '{}' in {} ms", instance.factoryPid(), instance.name(),
                            millis(start));
                } else {
                    Map<String, Object> properties = new LinkedHashMap<>(instance.properties());
                    // The Felix web console lists factory instances by this hint instead of the generated PID.
                    properties.putIfAbsent("webconsole.configurationFactory.nameHint", "{kura.service.pid}");
                    String pid = this.configurator.createFactoryConfiguration(instance.factoryPid(), instance.name(),
                            properties);
                    Say.info(LOG, "Instance created: {} '{}' as {} in {} ms", instance.factoryPid(), instance.name(), pid,
                            millis(start));
                }
                created++;
            } catch (Exception e) {
                Say.error(LOG, "{}: \"{}\": {}", file, instance.key(), e.getMessage());
            }
        }
        return new int[] {created, instances.size()};
    }

    /** A whole number of seconds from a framework property, or the default (logged) when absent or invalid. */
    private int seconds(String key, int defaultValue) {
        String value = property(key);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int seconds = Integer.parseInt(value.trim());
            if (seconds >= 0) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        Say.error(LOG, "{}={} is not a whole number of seconds >= 0; using {}", key, value, defaultValue);
        return defaultValue;
    }

    /** A framework property; bnd's launcher also passes -D system properties, read them as fallback. */
    private String property(String key) {
        String value = this.context.getProperty(key);
        return value != null ? value : System.getProperty(key);
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
