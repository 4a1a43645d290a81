package io.opcscraper.itests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** The built artifacts a whole-pipeline test runs, found from the module's base directory. */
public final class Repository {

    private final Path root;

    private Repository(Path root) {
        this.root = root;
    }

    /** From a module two levels below the root ({@code itests/x}, {@code runtime/x}). */
    public static Repository fromModule() {
        Path module = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath();
        return new Repository(module.resolve("../..").normalize());
    }

    public Path root() {
        return this.root;
    }

    public Path dp() {
        return one("dp/target", "opc-scraper_*.dp");
    }

    public Path gatewayJar() {
        return one("runtime/launcher/target", "kura55-local.jar");
    }

    public Path simulatorJar() {
        return one("simulator/target", "simulator-*-app.jar");
    }

    private Path one(String dir, String glob) {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(this.root.resolve(dir), glob)) {
            files.forEach(found::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + this.root.resolve(dir) + " (build it first)", e);
        }
        if (found.size() != 1) {
            throw new IllegalStateException("expected one " + glob + " in " + this.root.resolve(dir) + ": " + found);
        }
        return found.get(0);
    }
}
