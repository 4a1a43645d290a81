package io.opcscraper.launcher.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
import io.opcscraper.kura.emulator.KuraSnapshots;

/**
 * Brings the Kura-like runtime to the state of a configured gateway: installs the deployment
 * package named by framework property {@value #DP_PROPERTY} through DeploymentAdmin (as Kura's
 * deployment agent does), then creates the instances listed in the JSON file named by
 * {@code opcscraper.config} through the Kura emulator ({@link ConfigFileInstances}), and reads
 * whether each component took its configuration ({@link ConfigurationVerdicts}). With
 * {@code opcscraper.kura.boot=true} it boots as Kura does instead ({@link KuraBoot}: packages from
 * Kura's packages folder, instances from the latest snapshot). Every failure is logged with its
 * file and field; the framework keeps running, unless framework property {@value #STRICT_PROPERTY}
 * is {@code true} (./run): then a configuration file that cannot be applied, or an instance whose
 * component refuses its configuration, stops the runtime in order with exit code 2.
 */
@Component(immediate = true)
public final class Launcher {

    static final String DP_PROPERTY = "opcscraper.dp";
    static final String DURATION_PROPERTY = "opcscraper.duration.s";
    static final String FLUSH_PROPERTY = "opcscraper.stop.flush.s";
    /** {@code true}: a configuration that cannot be applied as written stops the runtime with exit code 2. */
    static final String STRICT_PROPERTY = "opcscraper.config.strict";
    /** How long the created instances together may take to report their first status. */
    private static final Duration VERDICT_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

    private final BundleContext context;
    private final DeploymentAdmin deploymentAdmin;
    private final KuraSnapshots snapshots;
    private final ConfigFileInstances instances;
    private final Thread worker;
    private final OrderlyStop stop;
    private volatile StatusBoard board;
    private volatile DeploymentPackageWatcher watcher;
    private volatile PackagesFolder packages;

    @Activate
    public Launcher(BundleContext context, @Reference DeploymentAdmin deploymentAdmin,
            @Reference KuraConfigurator configurator, @Reference KuraSnapshots snapshots) {
        this.context = context;
        this.deploymentAdmin = deploymentAdmin;
        this.snapshots = snapshots;
        this.instances = new ConfigFileInstances(configurator, this::property);
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
        boolean ok;
        boolean configRefused = false;
        String what;
        String mode;
        if (Boolean.parseBoolean(property(KuraBoot.PROPERTY))) {
            KuraBoot.Outcome boot = kuraBoot();
            attach(boot.installed());
            ok = boot.ok();
            what = boot.summary();
            mode = " (Kura boot)";
        } else {
            DeploymentPackage installed = installDeploymentPackage();
            if (installed != null) {
                attach(List.of(installed));
            }
            ConfigFileInstances.Result counts = installed != null ? this.instances.create()
                    : ConfigFileInstances.Result.NONE;
            int refused;
            try {
                refused = installed != null ? refusals(counts) : 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // deactivated meanwhile
                return;
            }
            configRefused = installed != null && (!counts.complete() || refused > 0);
            ok = installed != null && counts.complete() && refused == 0;
            what = ok ? "deployment package installed, " + counts.created().size() + " instance(s) created"
                    : "deployment package " + (installed != null ? "installed" : "NOT installed") + ", "
                            + counts.created().size() + " of " + counts.listed() + " instance(s) created"
                            + (refused == 0 ? "" : ", " + refused + " refused by their component");
            mode = "";
        }
        String sinceJvm = ProcessHandle.current().info().startInstant()
                .map(t -> Duration.between(t, Instant.now()).toMillis() + " ms since JVM start").orElse("");
        if (ok) {
            Say.info(LOG, "Launcher ready{}: {}, in {} ms ({})", mode, what, PackageInstall.millis(start), sinceJvm);
            stopAfterDuration();
            watchForPackages();
        } else {
            boolean exit = configRefused && "true".equalsIgnoreCase(property(STRICT_PROPERTY));
            Say.error(LOG, "Launcher done WITH ERRORS (see above){}: {}, in {} ms ({}); {}", mode, what,
                    PackageInstall.millis(start), sinceJvm, exit ? "stopping with exit code 2 (" + STRICT_PROPERTY
                            + "=true)" : "the framework keeps running");
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
    private int refusals(ConfigFileInstances.Result instances) throws InterruptedException {
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

    private KuraBoot.Outcome kuraBoot() {
        String home = property("kura.home");
        if (home == null || home.isBlank()) {
            Say.error(LOG, "{}=true needs kura.home (where Kura keeps its packages folder, snapshots and keys)",
                    KuraBoot.PROPERTY);
            return new KuraBoot.Outcome(List.of(), false, "nothing installed");
        }
        this.packages = PackagesFolder.under(Paths.get(home));
        String dp = property(DP_PROPERTY);
        String storage = property("org.osgi.framework.storage");
        return new KuraBoot(this.deploymentAdmin, this.snapshots, this.packages, this.instances)
                .run(dp == null || dp.isBlank() ? null : Paths.get(dp).toAbsolutePath().normalize(), storage);
    }

    private void stopAfterDuration() {
        int duration = seconds(DURATION_PROPERTY, 0);
        if (duration <= 0) {
            return;
        }
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

    /**
     * A deployment package is installed already: the framework storage is fresh at each start, so
     * this bundle was restarted in a running gateway, by the package refresh that DeploymentAdmin
     * runs after installing a new version (this bundle imports the API package dynamically). Neither
     * the install nor the instances are repeated (that would undo the upgrade and overwrite what an
     * admin changed); the status line and the orderly stop follow the package's bundles again.
     */
    private void resume(DeploymentPackage installed) {
        attach(List.of(installed));
        Say.info(LOG, "Launcher resumed after a package refresh: deployment package {} {} is installed, "
                + "its instances are kept", installed.getName(), installed.getVersion());
        if (Boolean.parseBoolean(property(KuraBoot.PROPERTY)) && property("kura.home") != null) {
            this.packages = PackagesFolder.under(Paths.get(property("kura.home")));
        }
        watchForPackages();
    }

    private void attach(List<DeploymentPackage> installed) {
        if (installed.isEmpty()) {
            return;
        }
        List<Bundle> bundles = new ArrayList<>();
        for (DeploymentPackage dp : installed) {
            for (BundleInfo info : dp.getBundleInfos()) {
                Bundle bundle = dp.getBundle(info.getSymbolicName());
                if (bundle != null) {
                    bundles.add(bundle);
                }
            }
        }
        this.board = new StatusBoard(this.context);
        this.stop.watch(this.board, bundles);
    }

    /**
     * With framework property {@value DeploymentPackageWatcher#PROPERTY}: installs each .dp that appears
     * there; on a Kura boot each one installed is also recorded in the packages folder, so the next
     * boot installs it again, as Kura's deployment agent does.
     */
    private void watchForPackages() {
        String value = property(DeploymentPackageWatcher.PROPERTY);
        if (value != null && !value.isBlank()) {
            PackagesFolder folder = this.packages;
            this.watcher = DeploymentPackageWatcher.start(Paths.get(value).toAbsolutePath().normalize(),
                    this.deploymentAdmin, folder == null ? file -> { } : file -> record(folder, file));
        }
    }

    private static void record(PackagesFolder folder, Path file) {
        try {
            Say.info(LOG, "Recorded {} in the packages folder as {}: the next Kura boot installs it", file,
                    folder.record(file));
        } catch (IOException e) {
            Say.error(LOG, "cannot record {} in the packages folder {}: {}; the next Kura boot installs the earlier "
                    + "package", file, folder.dir(), e.getMessage());
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
        return PackageInstall.install(this.deploymentAdmin, file, file, DP_PROPERTY + "=" + value + ": ");
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
}
