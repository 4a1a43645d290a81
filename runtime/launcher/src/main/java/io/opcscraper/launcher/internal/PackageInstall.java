package io.opcscraper.launcher.internal;

import java.io.InputStream;
import java.nio.file.Path;

import org.osgi.service.deploymentadmin.DeploymentAdmin;
import org.osgi.service.deploymentadmin.DeploymentPackage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs one deployment package file through DeploymentAdmin, as Kura's deployment agent does,
 * printing {@code Installing deployment package FILE through DeploymentAdmin} and
 * {@code Installed deployment package NAME VERSION (N bundles) from FILE in X ms}, or an error.
 */
final class PackageInstall {

    private static final Logger LOG = LoggerFactory.getLogger(PackageInstall.class);

    private PackageInstall() {
    }

    /**
     * @param shownAs how the error names the file's origin ("opcscraper.dp=...: ", or "")
     * @return the installed package, or {@code null} when the install failed (printed)
     */
    static DeploymentPackage install(DeploymentAdmin admin, Path file, Path read, String shownAs) {
        long start = System.nanoTime();
        Say.info(LOG, "Installing deployment package {} through DeploymentAdmin", file);
        try (InputStream in = java.nio.file.Files.newInputStream(read)) {
            DeploymentPackage dp = admin.installDeploymentPackage(in);
            Say.info(LOG, "Installed deployment package {} {} ({} bundles) from {} in {} ms", dp.getName(),
                    dp.getVersion(), dp.getBundleInfos().length, file, millis(start));
            return dp;
        } catch (Exception e) {
            Say.error(LOG, "{}installing deployment package {} failed after {} ms: {}", shownAs, file, millis(start),
                    e.toString(), e);
            return null;
        }
    }

    static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
