package io.opcscraper.timescale.internal.spool;

import static io.opcscraper.timescale.internal.spool.SpoolSamples.assertContiguous;
import static io.opcscraper.timescale.internal.spool.SpoolSamples.batch;
import static io.opcscraper.timescale.internal.spool.SpoolSamples.diskBytes;
import static io.opcscraper.timescale.internal.spool.SpoolSamples.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spool.mode = on-backlog}: memory while the database keeps up, disk when it does not. */
class SpoolOnBacklogTest {

    private static final long MIB = 1 << 20;
    private static final long WINDOW_MS = 2000;

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    private Spool open(long memoryMaxBytes) throws IOException {
        return Spool.open(this.dir, 64 * MIB, new SpoolPolicy(SpoolPolicy.Mode.ON_BACKLOG, WINDOW_MS, memoryMaxBytes, 0),
                this.clock::get);
    }

    private void advance(long millis) {
        this.clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void whatCommitsInTimeIsNeverWritten() throws IOException {
        try (Spool spool = open(MIB)) {
            long headerOnly = diskBytes(this.dir);
            for (int b = 0; b < 20; b++) {
                assertEquals(b * 100L + 100, spool.append(batch(b * 100L + 1, 100)));
                assertContiguous(readAll(spool, b * 100L, 33), b * 100L + 1, b * 100L + 100);
                spool.release(b * 100L + 100);
                advance(500);
            }
            assertEquals(0, spool.diskWrites());
            assertEquals(headerOnly, diskBytes(this.dir), "nothing but the segment header reached the disk");
            assertEquals(0, spool.memoryBytes());
            assertFalse(spool.spilling());
        }
    }

    @Test
    void samplesOlderThanTheWindowGoToDiskAndSoDoTheNextOnesUntilTheBacklogIsGone() throws IOException {
        try (Spool spool = open(MIB)) {
            spool.append(batch(1, 100));
            advance(WINDOW_MS - 1);
            spool.append(batch(101, 100));
            assertEquals(0, spool.diskWrites(), "within the window: memory");
            advance(2);
            spool.append(batch(201, 100));
            assertTrue(spool.spilling(), "behind: on disk from now on");
            assertEquals(0, spool.memoryBytes());
            assertTrue(spool.diskWrites() > 0);
            spool.append(batch(301, 100));
            assertEquals(0, spool.memoryBytes(), "while spilling, appends go to disk");
            assertContiguous(readAll(spool, 0, 77), 1, 400);

            spool.release(400);
            spool.backlogCleared();
            long writes = spool.diskWrites();
            spool.append(batch(401, 100));
            assertEquals(writes, spool.diskWrites(), "caught up: memory again");
            assertContiguous(readAll(spool, 400, 77), 401, 500);
        }
    }

    @Test
    void theWriterCanSendItsWaitingSamplesToDiskAndTheWindowHoldsWithoutAppends() throws IOException {
        try (Spool spool = open(MIB)) {
            spool.append(batch(1, 50));
            spool.spill();
            assertEquals(0, spool.memoryBytes());
            assertContiguous(readAll(spool, 0, 10), 1, 50);
            spool.backlogCleared();
            spool.append(batch(51, 50));
            advance(WINDOW_MS + 1);
            spool.flushAged();
            assertEquals(0, spool.memoryBytes());
            assertContiguous(readAll(spool, 0, 10), 1, 100);
        }
    }

    @Test
    void beyondItsMemoryBoundTheSamplesGoToDisk() throws IOException {
        try (Spool spool = open(64 << 10)) {
            long sequence = 0;
            while (spool.diskWrites() == 0) {
                sequence = spool.append(batch(sequence + 1, 100));
                assertTrue(sequence < 10_000, "64 KiB of samples never went to disk");
            }
            assertTrue(spool.memoryBytes() <= 64 << 10);
            assertContiguous(readAll(spool, 0, 100), 1, sequence);
        }
    }

    /** A stop moves what memory holds to disk: with the database away, nothing is lost. */
    @Test
    void closeKeepsWhatMemoryHeldAndAReopenReadsIt() throws IOException {
        try (Spool spool = open(MIB)) {
            spool.append(batch(1, 300));
            spool.release(100);
        }
        try (Spool spool = open(MIB)) {
            assertEquals(300, spool.lastSequence());
            assertContiguous(readAll(spool, 100, 64), 101, 300);
            assertEquals(301, spool.append(batch(301, 1)));
        }
    }

    @Test
    void readsPageAcrossDiskAndMemoryInOrder() throws IOException {
        try (Spool spool = open(MIB)) {
            spool.append(batch(1, 250));
            spool.spill();
            spool.backlogCleared();
            spool.append(batch(251, 250));
            assertTrue(spool.memoryBytes() > 0);
            assertContiguous(readAll(spool, 0, 37), 1, 500);
            assertContiguous(readAll(spool, 240, 20), 241, 500);
        }
    }
}
