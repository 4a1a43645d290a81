package io.opcscraper.itests.deployment;

import java.io.InputStream;
import java.nio.file.Files;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.deploymentadmin.DeploymentAdmin;
import org.osgi.service.deploymentadmin.DeploymentPackage;

/**
 * The built .dp, installed through the framework's DeploymentAdmin (as Kura's deployment agent
 * does it) before a test class's tests and uninstalled after them. In a test class:
 * {@code @RegisterExtension static final InstalledPackage installed = new InstalledPackage();}.
 */
final class InstalledPackage implements BeforeAllCallback, AfterAllCallback {

    private DeploymentPackage installed;

    /** The installed package; only between before-all and after-all. */
    DeploymentPackage get() {
        if (this.installed == null) {
            throw new IllegalStateException("the .dp is installed before the test class's tests only");
        }
        return this.installed;
    }

    @Override
    public void beforeAll(ExtensionContext extension) throws Exception {
        BundleContext context = FrameworkUtil.getBundle(InstalledPackage.class).getBundleContext();
        ServiceReference<?> admin = Services.await(context, "(objectClass=" + DeploymentAdmin.class.getName() + ")");
        try (InputStream in = Files.newInputStream(BuiltPackage.find())) {
            this.installed = ((DeploymentAdmin) context.getService(admin)).installDeploymentPackage(in);
        } finally {
            context.ungetService(admin);
        }
    }

    @Override
    public void afterAll(ExtensionContext extension) throws Exception {
        if (this.installed != null && !this.installed.isStale()) {
            this.installed.uninstall();
        }
    }
}
