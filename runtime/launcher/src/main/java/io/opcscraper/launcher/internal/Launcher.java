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
 * encrypted, instances named by kura.service.pid), and reads whether each component took its
 * configuration ({@link ConfigurationVerdicts}). Every failure is logged with its file and
 * field; the framework keeps running, unless framework property {@value #STRICT_PROPERTY} is
 * {@code true} (./run): then a configuration file that cannot be applied, or an instance whose
 * component refuses its configuration, stops the runtime in order with exit code 2.
 */
@Component(immediate = true)
public final class Launcher {

    static final String DP_PROPERTY = "opcscraper.dp";
    static final String CONFIG_PROPERTY = "opcscraper.config";
    static final String DURATION_PROPERTY = "opcscraper.duration.s";
    static final String FLUSH_PROPERTY = "opcscraper.stop.flush.s";
    /** {@code true}: a configuration that cannot be applied as written stops the runtime with exit code 2. */
    static final String STRICT_PROPERTY = "opcscraper.config.strict";
    /** How long the created instances together may take to report their first status. */
    private static final Duration VERDICT_TIMEOUT = Duration.ofSeconds(30);

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
        Instances instances = dpOk ? createInstances() : Instances.NONE;
        int refused;
        try {
            refused = dpOk ? refusals(instances) : 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // deactivated meanwhile
            return;
        }
        boolean configOk = instances.created().size() == instances.listed() && refused == 0;
        String sinceJvm = ProcessHandle.current().info().startInstant()
                .map(t -> Duration.between(t, Instant.now()).toMillis() + " ms since JVM start").orElse("");
        if (dpOk && configOk) {
            Say.info(LOG, "Launcher ready: deployment package installed, {} instance(s) created, in {} ms ({})",
                    instances.created().size(), millis(start), sinceJvm);
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
            boolean exit = dpOk && !configOk && "true".equalsIgnoreCase(property(STRICT_PROPERTY));
            Say.error(LOG, "Launcher done WITH ERRORS (see above): deployment package {}, {} of {} instance(s) created"
                    + "{}, in {} ms ({}); {}", dpOk ? "installed" : "NOT installed", instances.created().size(),
                    instances.listed(), refused == 0 ? "" : ", " + refused + " refused by their component",
                    millis(start), sinceJvm, exit ? "stopping with exit code 2 (" + STRICT_PROPERTY + "=true)"
                            : "the framework keeps running");
            if (exit) {
                this.stop.begin("the configuration was refused", 2);
            }
        }
    }

    /**
     * Prints an ERROR for each created instance whose component refused its configuration (the
     * component's own message names the property and the value), and a WARNING for each that
     * has not started in time.
     *
     * @return how many were refused
     */
    private int refusals(Instances instances) throws InterruptedException {
        ConfigurationVerdicts.Verdicts verdicts = new ConfigurationVerdicts(this.board, VERDICT_TIMEOUT)
                .of(instances.created());
        for (ConfiguratorFile.Instance instance : verdicts.notStarted()) {
            Say.warn(LOG, "{}: \"{}\": the instance has not started within {} s (is a reference of it not satisfied, "
                    + "e.g. a *.target that matches no instance?)", instances.file(), instance.key(),
                    VERDICT_TIMEOUT.toSeconds());
        }
        for (ConfigurationVerdicts.Refusal refusal : verdicts.refused()) {
            Say.error(LOG, "{}: \"{}\": refused by its component: {}", instances.file(), refusal.instance().key(),
                    refusal.reason());
        }
        return verdicts.refused().size();
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

    /**
     * The instances of a configuration file that were created.
     *
     * @param file the file, {@code null} when none is configured
     * @param created the instances created (or updated)
     * @param listed how many the file lists (1 for a file that cannot be read)
     */
    private record Instances(Path file, List<ConfiguratorFile.Instance> created, int listed) {
        static final Instances NONE = new Instances(null, List.of(), 0);
    }

    private Instances createInstances() {
        String value = property(CONFIG_PROPERTY);
        if (value == null || value.isBlank()) {
            Say.warn(LOG, "Framework property {} is not set: no instances to create", CONFIG_PROPERTY);
            return Instances.NONE;
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
            return new Instances(file, List.of(), 1);
        }
        Say.info(LOG, "Creating {} instance(s) from {}", instances.size(), file);
        List<ConfiguratorFile.Instance> created = new ArrayList<>();
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
                created.add(instance);
            } catch (Exception e) {
                Say.error(LOG, "{}: \"{}\": {}", file, instance.key(), e.getMessage());
            }
        }
        return new Instances(file, List.copyOf(created), instances.size());
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
