package io.opcscraper.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The built artifacts a run starts, below the repository root: the deployment package, the gateway
 * jar (Kura 5.5 profile, installs the .dp) and the simulator program.
 */
record Artifacts(Path root, Path dp, Path gatewayJar, Path simulatorJar) {

    /** Finds every artifact; the message of the exception names what is missing and how to build it. */
    static Artifacts find(Path root) {
        Path dp = glob(root.resolve("dp/target"), "opc-scraper_*.dp");
        Path gateway = root.resolve("runtime/launcher/target/kura55-local.jar");
        Path simulator = glob(root.resolve("simulator/target"), "simulator-*-app.jar");
        StringBuilder missing = new StringBuilder();
        if (dp == null) {
            missing.append(" dp/target/opc-scraper_*.dp");
        }
        if (!Files.isRegularFile(gateway)) {
            missing.append(" runtime/launcher/target/kura55-local.jar");
        }
        if (simulator == null) {
            missing.append(" simulator/target/simulator-*-app.jar");
        }
        if (missing.length() > 0) {
            throw new IllegalStateException("not built:" + missing + " (below " + root
                + "); run mvn -B install -DskipTests at the root, or bench/run, which builds what is missing");
        }
        return new Artifacts(root, dp, gateway, simulator);
    }

    /** The directory holding {@code dp/} and {@code runtime/launcher}: {@code start} or one of its parents. */
    static Path findRoot(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("dp")) && Files.isDirectory(dir.resolve("runtime/launcher"))
                && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        return start;
    }

    private static Path glob(Path dir, String pattern) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, pattern)) {
            for (Path file : files) {
                return file;
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
