package io.opcscraper.launcher.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.osgi.service.deploymentadmin.DeploymentAdmin;
import org.osgi.service.deploymentadmin.DeploymentPackage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.kura.emulator.KuraSnapshots;

/**
 * A boot as a Kura 5.5 gateway does it (framework property {@value #PROPERTY}{@code =true}): the
 * framework storage is fresh (this runtime wipes it at every start, as Kura's
 * {@code osgi.clean=true} does), the deployment packages of Kura's packages folder are installed
 * again in the background, and meanwhile the instances of the latest snapshot are re-created, with
 * new {@code service.pid} values and the same {@code kura.service.pid}. Without a snapshot (the
 * first boot) the instances come from the configuration file once the packages are installed (the
 * emulator needs their metatype), which writes the first snapshot. The package of
 * {@code opcscraper.dp} is recorded in the packages folder on the first boot only, as an
 * installation through Kura's console does; later boots install what the folder holds.
 */
final class KuraBoot {

    static final String PROPERTY = "opcscraper.kura.boot";
    private static final Logger LOG = LoggerFactory.getLogger(KuraBoot.class);

    /** What the boot did, for the ready line. */
    record Outcome(List<DeploymentPackage> installed, boolean ok, String summary) {
    }

    private final DeploymentAdmin admin;
    private final KuraSnapshots snapshots;
    private final PackagesFolder packages;
    private final ConfigFileInstances configFile;

    KuraBoot(DeploymentAdmin admin, KuraSnapshots snapshots, PackagesFolder packages, ConfigFileInstances configFile) {
        this.admin = admin;
        this.snapshots = snapshots;
        this.packages = packages;
        this.configFile = configFile;
    }

    /** @param givenDp the package of {@code opcscraper.dp}, or {@code null} */
    Outcome run(Path givenDp, String storage) {
        List<Path> files;
        Optional<Path> snapshot;
        try {
            recordOnFirstBoot(givenDp);
            files = this.packages.recorded();
            snapshot = this.snapshots.latest();
        } catch (IOException e) {
            Say.error(LOG, "Kura boot: {}", e.getMessage(), e);
            return new Outcome(List.of(), false, "nothing installed");
        }
        Say.info(LOG, "Kura boot: framework storage {} wiped at start (osgi.clean); installing {} deployment package(s) "
                + "from {} in the background; instances from {}", storage, files.size(), this.packages.dir(),
                snapshot.map(Path::toString).orElse("the configuration file (no snapshot in "
                        + this.snapshots.directory() + " yet)"));
        CompletableFuture<List<DeploymentPackage>> installing = new CompletableFuture<>();
        Thread agent = new Thread(() -> {
            try {
                installing.complete(install(files));
            } catch (RuntimeException e) {
                installing.completeExceptionally(e);
            }
        }, "opcscraper-deployment-agent");
        agent.setDaemon(true);
        agent.start();

        int restored = -1;
        if (snapshot.isPresent()) {
            restored = restore(snapshot.get());
        }
        List<DeploymentPackage> installed = awaitInstalled(installing);
        boolean packagesOk = installed.size() == files.size() && !files.isEmpty();
        if (files.isEmpty()) {
            Say.error(LOG, "Kura boot: no deployment package in {} (start once with -Dopcscraper.dp=FILE)",
                    this.packages.dir());
        }
        String what = installed.size() + " of " + files.size() + " deployment package(s) installed from "
                + this.packages.dir();
        if (snapshot.isPresent()) {
            return new Outcome(installed, packagesOk && restored >= 0, what + ", " + Math.max(restored, 0)
                    + " instance(s) re-created from " + snapshot.get().getFileName() + " with new service.pid values");
        }
        ConfigFileInstances.Result created = packagesOk ? this.configFile.create() : ConfigFileInstances.Result.NONE;
        return new Outcome(installed, packagesOk && created.complete(), what + ", " + created.created().size() + " of "
                + created.listed() + " instance(s) created from " + this.configFile.file() + " (no snapshot yet)");
    }

    private void recordOnFirstBoot(Path givenDp) throws IOException {
        if (givenDp == null) {
            return;
        }
        if (!Files.isRegularFile(givenDp)) {
            throw new IOException("opcscraper.dp=" + givenDp + ": the file does not exist (build it with scripts/build)");
        }
        Optional<Path> recorded = this.packages.recorded(PackagesFolder.name(givenDp));
        if (recorded.isEmpty()) {
            Path copy = this.packages.record(givenDp);
            Say.info(LOG, "Kura boot: first boot, {} recorded in the packages folder as {}", givenDp, copy);
        } else {
            Say.info(LOG, "Kura boot: the packages folder holds {} already; {} is not installed (a boot installs what "
                    + "the folder holds)", recorded.get().getFileName(), givenDp);
        }
    }

    private List<DeploymentPackage> install(List<Path> files) {
        List<DeploymentPackage> installed = new ArrayList<>();
        for (Path file : files) {
            DeploymentPackage dp = PackageInstall.install(this.admin, file, file, "Kura boot: ");
            if (dp != null) {
                installed.add(dp);
            }
        }
        return installed;
    }

    /** @return the number of instances re-created, or -1 when the snapshot could not be read (printed) */
    private int restore(Path snapshot) {
        long start = System.nanoTime();
        try {
            Map<String, String> created = this.snapshots.restore(snapshot);
            created.forEach((name, pid) -> Say.info(LOG, "Instance re-created from {}: '{}' as {}",
                    snapshot.getFileName(), name, pid));
            Say.info(LOG, "Re-created {} instance(s) from {} in {} ms", created.size(), snapshot,
                    PackageInstall.millis(start));
            return created.size();
        } catch (IOException e) {
            Say.error(LOG, "Kura boot: cannot re-create the instances of {}: {}", snapshot, e.getMessage(), e);
            return -1;
        }
    }

    private static List<DeploymentPackage> awaitInstalled(CompletableFuture<List<DeploymentPackage>> installing) {
        try {
            return installing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (ExecutionException e) {
            Say.error(LOG, "Kura boot: installing the packages failed: {}", e.getCause().toString(), e.getCause());
            return List.of();
        }
    }
}
