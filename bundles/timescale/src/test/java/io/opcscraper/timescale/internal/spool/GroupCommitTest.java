package io.opcscraper.timescale.internal.spool;

import static io.opcscraper.timescale.internal.spool.SpoolSamples.assertContiguous;
import static io.opcscraper.timescale.internal.spool.SpoolSamples.batch;
import static io.opcscraper.timescale.internal.spool.SpoolSamples.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appends share forces: at most one per interval, whatever the rate and the number of appenders. */
class GroupCommitTest {

    @TempDir
    Path dir;

    /**
     * Eight threads append 40 batches each, as fast as they can: every append is on disk when it
     * returns, and the forces stay within one per interval over the time it took (a bound the
     * machine's speed cannot break: a slow machine only makes fewer, larger groups).
     */
    @Test
    void concurrentAppendsShareForcesAtMostOnePerInterval() throws Exception {
        int threads = 8;
        int perThread = 40;
        long started = System.nanoTime();
        long forces;
        try (Spool spool = Spool.open(this.dir, 256L << 20)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < perThread; i++) {
                            // Each append's samples are durable when it returns: visible to readers.
                            long last = spool.append(batch(1, 10));
                            assertTrue(spool.lastSequence() >= last);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            forces = spool.recordForces();
            assertEquals((long) threads * perThread * 10, spool.lastSequence());
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        long bound = elapsedMs / SpoolPolicy.GROUP_COMMIT_INTERVAL_MS + 1;
        System.out.printf("group commit: %d appends by %d threads in %d ms: %d forces (bound %d)%n",
                threads * perThread, threads, elapsedMs, forces, bound);
        assertTrue(forces <= bound, forces + " forces in " + elapsedMs + " ms");
        assertTrue(forces < threads * perThread, "appends shared no force");
    }

    @Test
    void aFailedForceFailsTheAppendsItWasToCoverAndTheNextOnesGoOn() throws Exception {
        AtomicLong clock = new AtomicLong();
        GroupCommit commit = new GroupCommit(0, clock::get);
        IOException disk = new IOException("I/O error");
        commit.enter(); // ticket 1
        commit.enter(); // ticket 2, written before the force: the force covers it too
        assertThrows(IOException.class, () -> commit.await(1, () -> {
            throw new GroupCommit.Failed(2, disk);
        }));
        assertThrows(IOException.class, () -> commit.await(2, () -> 99), "ticket 2 was in the failed force");
        commit.enter();
        commit.await(3, () -> 3);
        assertEquals(2, commit.forces());
    }

    @Test
    void aLoneAppenderAtALowRateDoesNotWait() throws Exception {
        AtomicLong clock = new AtomicLong(0);
        GroupCommit commit = new GroupCommit(1000, clock::get);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(5)); // the last force is long ago
        long before = System.nanoTime();
        commit.enter();
        commit.await(1, () -> 1);
        assertTrue(System.nanoTime() - before < TimeUnit.SECONDS.toNanos(1), "waited for the interval");
    }

    @Test
    void theRecordsOfAGroupAreReadableAndSurviveAReopen() throws IOException {
        try (Spool spool = Spool.open(this.dir, 64L << 20)) {
            for (int i = 0; i < 5; i++) {
                spool.append(batch(i * 20L + 1, 20));
            }
        }
        try (Spool spool = Spool.open(this.dir, 64L << 20)) {
            assertContiguous(readAll(spool, 0, 13), 1, 100);
        }
    }
}
