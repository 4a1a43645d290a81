package io.opcscraper.kura.emulator.internal;

import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

import org.osgi.framework.BundleContext;

/**
 * Where a Kura gateway keeps what survives a boot: under {@code kura.home} (framework or system
 * property), outside the framework storage that every boot wipes ({@code osgi.clean=true}).
 * Without {@code kura.home} the emulator falls back to its bundle's data area, which a clean
 * boot does wipe.
 */
final class KuraPaths {

    private final BundleContext context;

    KuraPaths(BundleContext context) {
        this.context = context;
    }

    Optional<Path> kuraHome() {
        String home = property("kura.home");
        return home == null || home.isBlank() ? Optional.empty() : Optional.of(Paths.get(home));
    }

    /** Kura's {@code user/security} directory, where its keystores live. */
    Optional<Path> security() {
        return kuraHome().map(home -> home.resolve("user").resolve("security"));
    }

    /** Kura's snapshot directory: {@code kura.snapshots}, else {@code ${kura.home}/user/snapshots}. */
    Optional<Path> snapshots() {
        String configured = property("kura.snapshots");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Paths.get(configured));
        }
        return kuraHome().map(home -> home.resolve("user").resolve("snapshots"));
    }

    /** A file in the bundle's data area (inside the framework storage), if the framework has one. */
    Optional<Path> dataFile(String name) {
        File file = this.context.getDataFile(name);
        return file == null ? Optional.empty() : Optional.of(file.toPath());
    }

    private String property(String key) {
        String value = this.context.getProperty(key);
        return value != null ? value : System.getProperty(key);
    }
}
