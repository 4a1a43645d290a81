package io.opcscraper.timescale.internal.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatermarkTest {

    @TempDir
    Path dir;

    @Test
    void aNewRecordReadsZeroAndWhatIsWrittenSurvivesAReopen() throws IOException {
        try (Watermark w = Watermark.open(this.dir)) {
            assertEquals(List.of(0L, 0L), List.of(w.committed(), w.sent()));
            w.reserve(500);
            w.commit(200);
            w.flush();
        }
        try (Watermark w = Watermark.open(this.dir)) {
            assertEquals(List.of(200L, 500L), List.of(w.committed(), w.sent()));
            w.settleSent();
        }
        try (Watermark w = Watermark.open(this.dir)) {
            assertEquals(List.of(200L, 200L), List.of(w.committed(), w.sent()));
        }
    }

    /** reserve is on disk when it returns; a commit within the interval only at flush or close. */
    @Test
    void reserveIsForcedAtOnceAndCommitWithinTheIntervalWaitsForFlush() throws IOException {
        try (Watermark w = Watermark.open(this.dir)) {
            w.reserve(1_000);
            w.commit(300); // within the interval of the reserve's write: memory only
            assertEquals(List.of(0L, 1_000L), onDisk());
            assertEquals(300L, w.committed());
            w.flush();
            assertEquals(List.of(300L, 1_000L), onDisk());
        }
    }

    @Test
    void aTornSlotLeavesThePreviousRecord() throws IOException {
        try (Watermark w = Watermark.open(this.dir)) {
            w.reserve(10); // generation 1, slot 1
            w.reserve(20); // generation 2, slot 0
            w.reserve(30); // generation 3, slot 1
        }
        // A crash in the middle of the next write (generation 4, slot 0): half of it garbage.
        try (FileChannel channel = FileChannel.open(this.dir.resolve(Watermark.FILE), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17 }), 0);
        }
        try (Watermark w = Watermark.open(this.dir)) {
            assertEquals(30L, w.sent());
            w.reserve(40); // goes to slot 0 again and wins
        }
        try (Watermark w = Watermark.open(this.dir)) {
            assertEquals(40L, w.sent());
        }
    }

    @Test
    void garbageReadsAsNoRecord() throws IOException {
        Files.write(this.dir.resolve(Watermark.FILE), new byte[] { 9, 9, 9 });
        try (Watermark w = Watermark.open(this.dir)) {
            assertEquals(List.of(0L, 0L), List.of(w.committed(), w.sent()));
        }
    }

    @Test
    void theSpoolNeverHandsOutASequenceItsRecordSaysWasSent() throws IOException {
        try (Spool spool = Spool.open(this.dir, 1 << 20)) {
            spool.append(SpoolSamples.batch(1, 10));
            spool.reserve(10);
            spool.release(10);
        }
        // The segments are lost (emptied directory), the record stays.
        try (var files = Files.list(this.dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("seg-")).toList()) {
                Files.delete(file);
            }
        }
        try (Spool spool = Spool.open(this.dir, 1 << 20)) {
            assertEquals(10L, spool.committedUpTo());
            assertEquals(11L, spool.append(SpoolSamples.batch(11, 1)));
        }
    }

    private List<Long> onDisk() throws IOException {
        try (Watermark fresh = Watermark.open(this.dir)) {
            return List.of(fresh.committed(), fresh.sent());
        }
    }
}
