package io.opcscraper.itests.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Version;

/** Finds the built deployment package and makes a higher version of it for upgrade tests. */
final class DeploymentPackages {

    static final String DP_NAME = "opc-scraper";

    private DeploymentPackages() {
    }

    /** The one {@code opc-scraper_*.dp} the dp module built. */
    static Path built() throws IOException {
        String dir = System.getProperty("opcscraper.dp.dir");
        if (dir == null) {
            throw new IllegalStateException("system property opcscraper.dp.dir is not set by the bndrun");
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Paths.get(dir), "opc-scraper_*.dp")) {
            files.forEach(found::add);
        }
        if (found.size() != 1) {
            throw new IllegalStateException("expected one opc-scraper_*.dp in " + dir + ", found " + found);
        }
        return found.get(0);
    }

    /**
     * Copies a deployment package with every version bumped: the package's
     * DeploymentPackage-Version and each bundle's Bundle-Version (in the package manifest and in
     * the bundle's own manifest) get the next micro version, as a real next release would.
     */
    static Path bumped(Path source, Path target) throws IOException {
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

    static String next(String version) {
        Version v = Version.parseVersion(version);
        return new Version(v.getMajor(), v.getMinor(), v.getMicro() + 1, v.getQualifier()).toString();
    }
}
