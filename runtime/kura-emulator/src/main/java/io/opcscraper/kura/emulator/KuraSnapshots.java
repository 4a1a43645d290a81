package io.opcscraper.kura.emulator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Kura's configuration snapshots, reduced to our factory configurations: a snapshot holds, per
 * instance, its factory PID, its {@code kura.service.pid} and its properties as stored (Password
 * values encrypted, properties without a value absent); a boot re-creates the instances of the
 * latest one. Files {@code snapshot_<id>.xml} in Kura's snapshot directory (framework property
 * {@code kura.snapshots}, else {@code ${kura.home}/user/snapshots}); the newest 10 are kept.
 */
@ProviderType
public interface KuraSnapshots {

    /** Where the snapshot files are. */
    Path directory();

    /**
     * Writes a snapshot of every factory configuration named by {@code kura.service.pid}, as Kura
     * does after each change through its ConfigurationService.
     *
     * @return the file written
     */
    Path snapshot() throws IOException;

    /** The newest snapshot file, if there is one. */
    Optional<Path> latest() throws IOException;

    /**
     * Re-creates each instance of a snapshot as Kura does at boot: a new factory configuration
     * (so a new {@code service.pid}) with the snapshot's properties and the same
     * {@code kura.service.pid}; nothing is merged from the metatype (the bundles may not be installed
     * yet). An instance whose name exists already is left as it is (logged).
     *
     * @return the new {@code service.pid} of each re-created instance, by name, in the snapshot's order
     * @throws IOException if the file cannot be read (naming the file and line) or ConfigurationAdmin fails
     */
    Map<String, String> restore(Path snapshot) throws IOException;
}
