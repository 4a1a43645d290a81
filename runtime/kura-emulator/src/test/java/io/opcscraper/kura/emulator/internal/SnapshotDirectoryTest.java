package io.opcscraper.kura.emulator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void idsOnlyGrowAndTheNewestTenAreKept() throws IOException {
        SnapshotDirectory snapshots = new SnapshotDirectory(this.dir.resolve("missing"));
        assertEquals(Optional.empty(), snapshots.latest(), "no directory: no snapshot");
        assertEquals(1000, snapshots.nextId(1000));

        snapshots = new SnapshotDirectory(this.dir);
        for (long id : LongStream.rangeClosed(1, 12).map(i -> 1000 + i).toArray()) {
            Files.writeString(snapshots.file(id), "x");
        }
        Files.writeString(this.dir.resolve("snapshot_9.xml.partial"), "ignored");
        assertEquals(Optional.of(this.dir.resolve("snapshot_1012.xml")), snapshots.latest());
        assertEquals(1013, snapshots.nextId(500), "a clock set back does not go below the latest id");
        assertEquals(5000, snapshots.nextId(5000));

        snapshots.prune();
        TreeSet<Long> kept = snapshots.ids();
        assertEquals(SnapshotDirectory.KEEP, kept.size());
        assertEquals(1003, kept.first());
        assertTrue(Files.exists(this.dir.resolve("snapshot_9.xml.partial")), "other files are left alone");
    }
}
