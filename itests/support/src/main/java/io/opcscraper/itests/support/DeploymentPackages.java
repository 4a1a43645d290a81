package io.opcscraper.itests.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A higher version of a deployment package, for upgrade tests, in plain Java (java.* only, no OSGi
 * classes): {@code itests/deployment}, an OSGi test bundle, inlines this one class into its bundle
 * (its pom's {@code -includeresource}), so keep it free of other imports.
 */
public final class DeploymentPackages {

    private DeploymentPackages() {
    }

    /**
     * Copies a deployment package with every version bumped: the package's
     * DeploymentPackage-Version and each bundle's Bundle-Version (in the package manifest and in
     * the bundle's own manifest) get the next micro version, as a real next release would.
     */
    public static Path bumped(Path source, Path target) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(source))) {
            Manifest manifest = new Manifest(in.getManifest());
            Attributes main = manifest.getMainAttributes();
            main.putValue("DeploymentPackage-Version", next(main.getValue("DeploymentPackage-Version")));
            for (Map.Entry<String, Attributes> section : manifest.getEntries().entrySet()) {
                String version = section.getValue().getValue("Bundle-Version");
                if (version != null) {
                    section.getValue().putValue("Bundle-Version", next(version));
                }
            }
            try (OutputStream file = Files.newOutputStream(target);
                    JarOutputStream out = new JarOutputStream(file, manifest)) {
                for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    if (entry.getName().endsWith(".jar")) {
                        copyBumpedBundle(in, out);
                    } else {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        return target;
    }

    /** The version of the package in {@code dp} (its DeploymentPackage-Version). */
    public static String version(Path dp) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(dp))) {
            return in.getManifest().getMainAttributes().getValue("DeploymentPackage-Version");
        }
    }

    private static void copyBumpedBundle(InputStream bundle, OutputStream out) throws IOException {
        JarInputStream in = new JarInputStream(bundle);
        Manifest manifest = new Manifest(in.getManifest());
        Attributes main = manifest.getMainAttributes();
        main.putValue("Bundle-Version", next(main.getValue("Bundle-Version")));
        JarOutputStream jar = new JarOutputStream(out, manifest);
        for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
            jar.putNextEntry(new JarEntry(entry.getName()));
            in.transferTo(jar);
            jar.closeEntry();
        }
        jar.finish();
    }

    /** The next micro version of an OSGi version {@code major[.minor[.micro[.qualifier]]]}, qualifier kept. */
    public static String next(String version) {
        String[] parts = version.trim().split("\\.", 4);
        int major = Integer.parseInt(parts[0]);
        int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        int micro = parts.length > 2 ? Integer.parseInt(parts[2]) : 0;
        String qualifier = parts.length > 3 ? parts[3] : "";
        return major + "." + minor + "." + (micro + 1) + (qualifier.isEmpty() ? "" : "." + qualifier);
    }
}
