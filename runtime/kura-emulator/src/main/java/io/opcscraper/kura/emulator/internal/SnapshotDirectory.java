package io.opcscraper.kura.emulator.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kura's snapshot directory: files {@code snapshot_<id>.xml}, the id a time in milliseconds that
 * only grows (a clock set back gives the latest id + 1), the newest {@value #KEEP} kept, as Kura's
 * default {@code kura.snapshots.count} does.
 */
final class SnapshotDirectory {

    static final int KEEP = 10;
    private static final Pattern NAME = Pattern.compile("snapshot_(\\d+)\\.xml");

    private final Path dir;

    SnapshotDirectory(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return this.dir;
    }

    Path file(long id) {
        return this.dir.resolve("snapshot_" + id + ".xml");
    }

    Optional<Path> latest() throws IOException {
        TreeSet<Long> ids = ids();
        return ids.isEmpty() ? Optional.empty() : Optional.of(file(ids.last()));
    }

    /** The id for a snapshot taken at {@code nowMillis}: never at or below an existing one. */
    long nextId(long nowMillis) throws IOException {
        TreeSet<Long> ids = ids();
        return ids.isEmpty() || nowMillis > ids.last() ? nowMillis : ids.last() + 1;
    }

    /** Deletes all but the newest {@value #KEEP} snapshots. */
    void prune() throws IOException {
        TreeSet<Long> ids = ids();
        while (ids.size() > KEEP) {
            Files.deleteIfExists(file(ids.pollFirst()));
        }
    }

    TreeSet<Long> ids() throws IOException {
        TreeSet<Long> ids = new TreeSet<>();
        if (!Files.isDirectory(this.dir)) {
            return ids;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(this.dir, "snapshot_*.xml")) {
            for (Path file : files) {
                Matcher m = NAME.matcher(file.getFileName().toString());
                if (m.matches()) {
                    ids.add(Long.parseLong(m.group(1)));
                }
            }
        }
        return ids;
    }
}
