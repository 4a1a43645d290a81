package io.opcscraper.launcher.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

/**
 * Kura's record of the installed deployment packages, which a Kura boot installs again: a copy
 * of each package in the packages folder ({@code ${kura.home}/data/packages/NAME_VERSION.dp})
 * and {@code ${kura.home}/data/dpa.properties}, one line {@code NAME=file:...} per package, as
 * Kura's deployment agent keeps them. Recording a package replaces the earlier version of the
 * same name.
 */
final class PackagesFolder {

    private final Path dir;
    private final Path index;

    private PackagesFolder(Path dir, Path index) {
        this.dir = dir;
        this.index = index;
    }

    static PackagesFolder under(Path kuraHome) {
        Path data = kuraHome.resolve("data");
        return new PackagesFolder(data.resolve("packages"), data.resolve("dpa.properties"));
    }

    Path dir() {
        return this.dir;
    }

    /** The recorded package files, by package name. */
    List<Path> recorded() throws IOException {
        Properties entries = entries();
        List<Path> files = new ArrayList<>();
        for (String name : new TreeSet<>(entries.stringPropertyNames())) {
            files.add(Paths.get(java.net.URI.create(entries.getProperty(name))));
        }
        return files;
    }

    /** The recorded file of package {@code name}, if any. */
    Optional<Path> recorded(String name) throws IOException {
        String url = entries().getProperty(name);
        return url == null ? Optional.empty() : Optional.of(Paths.get(java.net.URI.create(url)));
    }

    /**
     * Copies {@code dp} into the packages folder and records it, replacing the earlier version of
     * the same package.
     *
     * @return the copy
     */
    Path record(Path dp) throws IOException {
        Manifest manifest = manifest(dp);
        String name = manifest.getMainAttributes().getValue("DeploymentPackage-SymbolicName");
        String version = manifest.getMainAttributes().getValue("DeploymentPackage-Version");
        if (name == null || version == null) {
            throw new IOException(dp + " is not a deployment package (no DeploymentPackage-SymbolicName/-Version)");
        }
        Files.createDirectories(this.dir);
        Path copy = this.dir.resolve(name + "_" + version + ".dp");
        Path partial = copy.resolveSibling(copy.getFileName() + ".partial");
        Files.copy(dp, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Optional<Path> before = recorded(name);
        Properties entries = entries();
        entries.setProperty(name, copy.toUri().toString());
        Path indexPartial = this.index.resolveSibling(this.index.getFileName() + ".partial");
        try (OutputStream out = Files.newOutputStream(indexPartial)) {
            entries.store(out, "deployment packages installed at each boot: name=file");
        }
        Files.move(indexPartial, this.index, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (before.isPresent() && !before.get().equals(copy)) {
            Files.deleteIfExists(before.get());
        }
        return copy;
    }

    /** The package's symbolic name from its manifest. */
    static String name(Path dp) throws IOException {
        String name = manifest(dp).getMainAttributes().getValue("DeploymentPackage-SymbolicName");
        if (name == null) {
            throw new IOException(dp + " is not a deployment package (no DeploymentPackage-SymbolicName)");
        }
        return name;
    }

    private static Manifest manifest(Path dp) throws IOException {
        try (InputStream in = Files.newInputStream(dp); JarInputStream jar = new JarInputStream(in)) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                throw new IOException(dp + " is not a deployment package (no manifest)");
            }
            return manifest;
        }
    }

    private Properties entries() throws IOException {
        Properties entries = new Properties();
        if (Files.isRegularFile(this.index)) {
            try (Reader in = Files.newBufferedReader(this.index, StandardCharsets.ISO_8859_1)) {
                entries.load(in);
            }
        }
        return entries;
    }
}
