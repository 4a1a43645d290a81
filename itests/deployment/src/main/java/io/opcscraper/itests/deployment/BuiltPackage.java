package io.opcscraper.itests.deployment;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The built deployment package under test. A higher version of it, for upgrade tests, is made by
 * {@link io.opcscraper.itests.support.DeploymentPackages} (inlined into this bundle by the pom).
 */
final class BuiltPackage {

    static final String NAME = "opc-scraper";

    private BuiltPackage() {
    }

    /** The one {@code opc-scraper_*.dp} the dp module built. */
    static Path find() throws IOException {
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
}
