package io.opcscraper.launcher.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.osgi.service.deploymentadmin.DeploymentAdmin;
import org.osgi.service.deploymentadmin.DeploymentPackage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs every {@code *.dp} file that appears in a directory through DeploymentAdmin, as Kura's
 * Packages, Install/Upgrade does with an uploaded file: the local run's way to upgrade the running
 * gateway (framework property {@value #PROPERTY}). The directory is scanned once a second; a file
 * is taken once its size and modification time have not changed between two scans (or rename a
 * finished file into the directory). It is renamed {@code NAME.dp.installing} before the install and
 * {@code NAME.dp.installed} or {@code NAME.dp.failed} after it, so it is installed once.
 *
 * <p>Installing a package that updates the API bundle makes DeploymentAdmin refresh packages,
 * which restarts the launcher bundle (it imports the API dynamically) while the install call is
 * still running: {@link #close()} therefore only asks the thread to end after its current install;
 * it neither interrupts nor waits for it.
 */
final class DeploymentPackageWatcher implements AutoCloseable {

    static final String PROPERTY = "opcscraper.dp.watch";
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentPackageWatcher.class);
    private static final long SCAN_MS = 1000;

    private final Path dir;
    private final DeploymentAdmin deploymentAdmin;
    private final Consumer<Path> onInstalled;
    private final Thread thread;
    private final Map<Path, String> seen = new HashMap<>();
    private volatile boolean closed;

    private DeploymentPackageWatcher(Path dir, DeploymentAdmin deploymentAdmin, Consumer<Path> onInstalled) {
        this.dir = dir;
        this.deploymentAdmin = deploymentAdmin;
        this.onInstalled = onInstalled;
        this.thread = new Thread(this::run, "opcscraper-dp-watch");
        this.thread.setDaemon(true);
    }

    /**
     * Starts watching {@code dir} (created if missing); {@code null} (logged) when it cannot be used.
     *
     * @param onInstalled called with each file installed successfully, before it is renamed
     */
    static DeploymentPackageWatcher start(Path dir, DeploymentAdmin deploymentAdmin, Consumer<Path> onInstalled) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            Say.error(LOG, "{}={}: cannot create the directory: {}; no deployment package will be installed from it",
                    PROPERTY, dir, e.toString());
            return null;
        }
        DeploymentPackageWatcher watcher = new DeploymentPackageWatcher(dir, deploymentAdmin, onInstalled);
        watcher.thread.start();
        Say.info(LOG, "Watching {} for deployment packages to install (*.dp)", dir);
        return watcher;
    }

    @Override
    public void close() {
        this.closed = true;
    }

    private void run() {
        while (!this.closed) {
            try {
                scan();
                Thread.sleep(SCAN_MS);
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("scanning {} failed: {}", this.dir, e.toString());
            }
        }
    }

    private void scan() throws IOException {
        Map<Path, String> now = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(this.dir, "*.dp")) {
            for (Path file : files) {
                if (Files.isRegularFile(file)) {
                    now.put(file, Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis());
                }
            }
        }
        for (Map.Entry<Path, String> file : now.entrySet()) {
            if (this.closed) {
                return;
            }
            if (file.getValue().equals(this.seen.get(file.getKey()))) {
                install(file.getKey());
            }
        }
        this.seen.clear();
        this.seen.putAll(now);
    }

    private void install(Path file) {
        Path installing = file.resolveSibling(file.getFileName() + ".installing");
        try {
            Files.move(file, installing, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Say.error(LOG, "cannot take {}: {}", file, e.toString());
            return;
        }
        DeploymentPackage dp = PackageInstall.install(this.deploymentAdmin, file, installing, "");
        String outcome = dp != null ? ".installed" : ".failed";
        if (dp != null) {
            this.onInstalled.accept(installing);
        }
        try {
            Files.move(installing, file.resolveSibling(file.getFileName() + outcome),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Say.warn(LOG, "cannot rename {}: {}", installing, e.toString());
        }
    }
}
