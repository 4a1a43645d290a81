package io.opcscraper.timescale.internal.spool;

import static io.opcscraper.timescale.internal.spool.SpoolSamples.assertContiguous;
import static io.opcscraper.timescale.internal.spool.SpoolSamples.batch;
import static io.opcscraper.timescale.internal.spool.SpoolSamples.diskBytes;
import static io.opcscraper.timescale.internal.spool.SpoolSamples.fill;
import static io.opcscraper.timescale.internal.spool.SpoolSamples.firstOf;
import static io.opcscraper.timescale.internal.spool.SpoolSamples.readAll;
import static io.opcscraper.timescale.internal.spool.SpoolSamples.sample;
import static io.opcscraper.timescale.internal.spool.SpoolSamples.segments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opcscraper.api.Sample;

class SpoolTest {

    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void everyFieldRoundTripsExactly() throws IOException {
        String browse = "Température/温度/Температура/🌡️ Zone ".repeat(10).substring(0, 300);
        StringBuilder huge = new StringBuilder();
        for (int i = 0; huge.length() < 100_000; i++) {
            huge.appendCodePoint(i % 5 == 0 ? 0x1F600 + i % 64 : i % 3 == 0 ? 0x4E00 + i % 500 : 'a' + i % 26);
        }
        List<Sample> samples = List.of(
                new Sample(Instant.EPOCH, "n", "c", null, null, null, 0),
                new Sample(Instant.ofEpochSecond(1_700_000_000L, 123_456_789), "ns=2;s=A", "client", "", "", 0.0, 1),
                new Sample(Instant.ofEpochSecond(-1, 999_999_999), "ns=2;i=5", "c", "S", "T", -0.0, -1),
                new Sample(Instant.MAX, "x", "y", "s", "t", Double.MAX_VALUE, Long.MAX_VALUE),
                new Sample(Instant.MIN, "x", "y", "s", "t", -Double.MAX_VALUE, Long.MIN_VALUE),
                new Sample(Instant.ofEpochSecond(0, 1), "x", "y", "s", "t", Double.MIN_VALUE, 0xFFFFFFFFL),
                new Sample(Instant.now(), "ns=3;s=" + browse, "client-ü", browse, browse + "." + browse, 1e-300,
                        0x80330000L),
                new Sample(Instant.now(), "lone \uD800 high", "lone \uDC00 low", "nul \u0000 char", "\uDBFF\uDFFF max",
                        Double.POSITIVE_INFINITY, 0x40000000L),
                new Sample(Instant.now(), huge.toString(), "c", null, huge.toString(), 42.0, 0));

        try (Spool spool = SpoolSamples.open(this.dir, 64 * MIB)) {
            assertEquals(0, spool.lastSequence());
            assertEquals(1, spool.firstSequence());
            assertEquals(samples.size(), spool.append(samples));
            List<SpooledSample> read = spool.read(0, 100);
            assertEquals(samples.size(), read.size());
            for (int i = 0; i < samples.size(); i++) {
                assertEquals(i + 1, read.get(i).sequence());
                assertEquals(samples.get(i), read.get(i).sample(), "sample " + i);
            }
        }
        try (Spool spool = SpoolSamples.open(this.dir, 64 * MIB)) {
            List<SpooledSample> read = spool.read(0, 100);
            for (int i = 0; i < samples.size(); i++) {
                Sample expected = samples.get(i);
                Sample actual = read.get(i).sample();
                assertEquals(expected, actual, "sample " + i + " after reopening");
                assertEquals(expected.timestamp().getNano(), actual.timestamp().getNano());
                if (expected.value() != null) {
                    assertEquals(Double.doubleToRawLongBits(expected.value()), Double.doubleToRawLongBits(actual.value()));
                }
            }
            assertEquals(0, spool.corruptRecords());
        }
    }

    @Test
    void sequencesContinueAcrossRestarts() throws IOException {
        try (Spool spool = SpoolSamples.open(this.dir, 64 * MIB)) {
            assertEquals(3, spool.append(batch(1, 3)));
            assertEquals(3, spool.append(List.of()));
            assertEquals(4, spool.append(batch(4, 1)));
        }
        try (Spool spool = SpoolSamples.open(this.dir, 64 * MIB)) {
            assertEquals(4, spool.lastSequence());
            assertEquals(1, spool.firstSequence());
            assertEquals(14, spool.append(batch(5, 10)));
            spool.release(14); // the active segment stays: it carries the sequence
        }
        try (Spool spool = SpoolSamples.open(this.dir, 64 * MIB)) {
            assertEquals(14, spool.lastSequence());
            assertEquals(15, spool.append(batch(15, 1)));
            assertContiguous(spool.read(0, 100), 1, 15);
            assertContiguous(spool.read(13, 100), 14, 15);
            assertTrue(spool.read(15, 100).isEmpty());
            assertTrue(spool.read(99, 100).isEmpty());
            assertTrue(spool.read(0, 0).isEmpty());
        }
        Spool closed = SpoolSamples.open(this.dir, 64 * MIB);
        closed.close();
        assertThrows(IOException.class, () -> closed.append(batch(16, 1)));
        assertThrows(IOException.class, () -> closed.read(0, 1));
    }

    @Test
    void readPagesAcrossSegmentsAndReleaseDeletesWholeSegmentsOnly() throws IOException {
        try (Spool spool = SpoolSamples.open(this.dir, 512 * 1024)) {
            assertEquals(64 * 1024, spool.segmentBytes());
            long last = fill(spool, 3000, 50);
            assertEquals(3000, last);
            List<Path> files = segments(this.dir);
            assertTrue(files.size() >= 4, "segments: " + files);
            assertEquals(diskBytes(this.dir), spool.sizeBytes());
            for (Path f : files) {
                assertTrue(Files.size(f) <= spool.segmentBytes(), f + " is " + Files.size(f));
            }
            // Paging with an odd page size, from the start and from arbitrary points.
            assertContiguous(readAll(spool, 0, 37), 1, 3000);
            assertContiguous(readAll(spool, 0, 5000), 1, 3000);
            for (long after : new long[] { 1, 499, 500, 501, firstOf(files.get(1)) - 1, firstOf(files.get(1)),
                    firstOf(files.get(2)) - 2, 2998, 2999 }) {
                List<SpooledSample> page = spool.read(after, 17);
                assertContiguous(page, after + 1, Math.min(3000, after + 17));
            }
            // Pages that straddle a segment boundary.
            long boundary = firstOf(files.get(2));
            assertContiguous(spool.read(boundary - 5, 10), boundary - 4, boundary + 5);

            // Release inside the third segment: the first two go, the third stays.
            long x = firstOf(files.get(2)) + 3;
            spool.release(x);
            List<Path> left = segments(this.dir);
            assertEquals(files.subList(2, files.size()), left);
            assertEquals(firstOf(files.get(2)), spool.firstSequence());
            assertEquals(diskBytes(this.dir), spool.sizeBytes());
            assertContiguous(readAll(spool, x, 100), x + 1, 3000);
            // Exactly at the end of a segment: that segment goes too.
            spool.release(firstOf(files.get(3)) - 1);
            assertEquals(files.subList(3, files.size()), segments(this.dir));
            // Everything: only the segment being written stays (it carries the sequence).
            spool.release(3000);
            assertEquals(List.of(files.get(files.size() - 1)), segments(this.dir));
            assertEquals(diskBytes(this.dir), spool.sizeBytes());
            // Releasing below what is already gone changes nothing.
            spool.release(5);
            assertEquals(1, segments(this.dir).size());
            assertEquals(3001, spool.append(batch(3001, 1)));
        }
        try (Spool spool = SpoolSamples.open(this.dir, 512 * 1024)) {
            assertEquals(3001, spool.lastSequence());
            assertContiguous(spool.read(3000, 10), 3001, 3001);
        }
    }

    @Test
    void beyondTheBoundTheOldestSegmentsAreDroppedAndCounted() throws IOException {
        long max = 1 * MIB;
        try (Spool spool = SpoolSamples.open(this.dir, max)) {
            long segment = spool.segmentBytes();
            assertEquals(128 * 1024, segment);
            int total = 0;
            for (int i = 0; i < 400; i++) {
                spool.append(batch(spool.lastSequence() + 1, 200));
                total += 200;
                assertTrue(spool.sizeBytes() <= max, "size " + spool.sizeBytes() + " after batch " + i);
            }
            assertEquals(total, spool.lastSequence());
            long dropped = spool.droppedSamples();
            assertTrue(dropped > 0);
            // Dropped are exactly the oldest; the newest are all there.
            assertEquals(dropped + 1, spool.firstSequence());
            assertContiguous(readAll(spool, 0, 5000), dropped + 1, total);
            // The owner is told which: one range, the oldest; a second look finds nothing new.
            Spool.Drops drops = spool.takeDrops();
            assertEquals("[1.." + dropped + "]", drops.sequences().toString());
            assertEquals(dropped + 1, drops.firstSequence());
            assertEquals("[]", spool.takeDrops().sequences().toString());
            assertEquals(diskBytes(this.dir), spool.sizeBytes());
            assertTrue(spool.sizeBytes() > max - 2 * segment, "size near the bound: " + spool.sizeBytes());
            assertEquals(0, spool.corruptRecords());
        }
    }

    @Test
    void releasedSamplesAreNotCountedAsDropped() throws IOException {
        try (Spool spool = SpoolSamples.open(this.dir, 1 * MIB)) {
            fill(spool, 2000, 200);
            long x = 1500;
            spool.release(x);
            for (int i = 0; i < 300; i++) {
                spool.append(batch(spool.lastSequence() + 1, 200));
            }
            long gone = spool.firstSequence() - 1;
            assertTrue(gone > x);
            assertEquals(gone - x, spool.droppedSamples());
            assertEquals("[" + (x + 1) + ".." + gone + "]", spool.takeDrops().sequences().toString());
        }
    }

    @Test
    void aBatchLargerThanTheBoundKeepsOnlyItself() throws IOException {
        try (Spool spool = SpoolSamples.open(this.dir, 256 * 1024)) {
            fill(spool, 1000, 100);
            assertEquals(6000, spool.append(batch(1001, 5000)));
            assertEquals(1000, spool.droppedSamples());
            assertEquals(1001, spool.firstSequence());
            assertContiguous(readAll(spool, 0, 1000), 1001, 6000);
            assertEquals(1, segments(this.dir).size());
        }
    }

    @Test
    void advanceSequenceSkipsDurably() throws IOException {
        try (Spool spool = SpoolSamples.open(this.dir, 64 * MIB)) {
            fill(spool, 10, 10);
            spool.advanceSequence(5); // below: nothing
            assertEquals(10, spool.lastSequence());
            spool.advanceSequence(1000);
            assertEquals(1000, spool.lastSequence());
            assertEquals(1, spool.firstSequence());
            assertEquals(1001, spool.append(List.of(sample(1001))));
        }
        try (Spool spool = SpoolSamples.open(this.dir, 64 * MIB)) {
            assertEquals(1001, spool.lastSequence());
            List<SpooledSample> all = readAll(spool, 0, 100);
            assertEquals(11, all.size());
            assertContiguous(all.subList(0, 10), 1, 10);
            assertEquals(1001, all.get(10).sequence());
            spool.release(1001);
            spool.advanceSequence(5000);
            spool.release(5000);
        }
        try (Spool spool = SpoolSamples.open(this.dir, 64 * MIB)) {
            assertEquals(5000, spool.lastSequence());
            assertEquals(5001, spool.firstSequence());
            assertEquals(1, segments(this.dir).size());
        }
    }

    @Test
    void appendsFromSeveralThreadsGetDistinctContiguousSequences() throws Exception {
        int threads = 4;
        int batches = 50;
        int size = 100;
        try (Spool spool = SpoolSamples.open(this.dir, 4 * MIB)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
            AtomicBoolean done = new AtomicBoolean();
            try {
                // A reader alongside: it only ever sees sound, acknowledged records, in order.
                Future<Long> reader = pool.submit(() -> {
                    long after = 0;
                    long seen = 0;
                    while (!done.get() || after < spool.lastSequence()) {
                        List<SpooledSample> part = spool.read(after, 500);
                        for (SpooledSample s : part) {
                            assertEquals(after + 1, s.sequence());
                            assertTrue(s.sequence() <= spool.lastSequence());
                            after = s.sequence();
                            seen++;
                        }
                    }
                    return seen;
                });
                List<Future<List<long[]>>> writers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    writers.add(pool.submit(() -> {
                        List<long[]> acks = new ArrayList<>();
                        for (int b = 0; b < batches; b++) {
                            List<Sample> list = new ArrayList<>();
                            for (int i = 0; i < size; i++) {
                                list.add(new Sample(Instant.ofEpochSecond(b, i), "t" + thread + "b" + b + "i" + i, "c",
                                        null, null, (double) i, 0));
                            }
                            acks.add(new long[] { spool.append(list), thread, b });
                        }
                        return acks;
                    }));
                }
                Set<Long> lasts = new HashSet<>();
                List<long[]> all = new ArrayList<>();
                for (Future<List<long[]>> w : writers) {
                    all.addAll(w.get(60, TimeUnit.SECONDS));
                }
                done.set(true);
                assertEquals((long) threads * batches * size, reader.get(60, TimeUnit.SECONDS));
                for (long[] ack : all) {
                    assertTrue(lasts.add(ack[0]));
                    List<SpooledSample> read = spool.read(ack[0] - size, size);
                    assertEquals(size, read.size());
                    for (int i = 0; i < size; i++) {
                        assertEquals("t" + ack[1] + "b" + ack[2] + "i" + i, read.get(i).sample().nodeId());
                    }
                }
                assertEquals((long) threads * batches * size, spool.lastSequence());
                List<Long> sorted = new ArrayList<>(lasts);
                Collections.sort(sorted);
                for (int i = 0; i < sorted.size(); i++) {
                    assertEquals((long) (i + 1) * size, sorted.get(i));
                }
            } finally {
                done.set(true);
                pool.shutdownNow();
            }
        }
    }

    @Test
    void anInterruptedAppendIsNotAcknowledgedAndTheNextOneGoesOn() throws IOException {
        try (Spool spool = SpoolSamples.open(this.dir, 64 * MIB)) {
            fill(spool, 10, 10);
            long size = spool.sizeBytes();
            Thread.currentThread().interrupt();
            try {
                assertThrows(ClosedByInterruptException.class, () -> spool.append(batch(11, 10)));
            } finally {
                assertTrue(Thread.interrupted(), "the interrupt status is kept");
            }
            assertEquals(10, spool.lastSequence());
            assertEquals(size, spool.sizeBytes());
            assertEquals(size, diskBytes(this.dir));
            assertEquals(20, spool.append(batch(11, 10)));
            assertContiguous(readAll(spool, 0, 7), 1, 20);
        }
        try (Spool spool = SpoolSamples.open(this.dir, 64 * MIB)) {
            assertEquals(20, spool.lastSequence());
            assertContiguous(readAll(spool, 0, 7), 1, 20);
        }
    }

    /** A read is bounded in bytes as well as in samples, and always returns at least one. */
    @Test
    void aReadStopsAtItsBudgetInBytesButReturnsAtLeastOneSample() throws IOException {
        try (Spool spool = SpoolSamples.open(this.dir, 64 * MIB)) {
            fill(spool, 100, 10);
            List<SpooledSample> one = spool.read(0, 100, 1);
            assertEquals(1, one.size());
            int size = one.get(0).encodedBytes();
            assertTrue(size > 20, size + " bytes");
            List<SpooledSample> some = spool.read(0, 100, 3L * size + size / 2);
            assertTrue(some.size() >= 2 && some.size() <= 4, some.size() + " samples");
            assertEquals(some.stream().mapToLong(SpooledSample::encodedBytes).sum() <= 3L * size + size / 2
                    || some.size() == 1, true);
            assertEquals(100, spool.read(0, 100).size());
        }
    }

    @Test
    void otherFilesInTheDirectoryAreLeftAlone() throws IOException {
        Files.writeString(this.dir.resolve("writer-id"), "abc");
        Files.writeString(this.dir.resolve("quarantine.jsonl"), "{}\n");
        Files.writeString(this.dir.resolve("seg-12.spool"), "not one of ours");
        try (Spool spool = SpoolSamples.open(this.dir, 64 * MIB)) {
            fill(spool, 100, 10);
            spool.release(100);
        }
        try (Spool spool = SpoolSamples.open(this.dir, 64 * MIB)) {
            assertEquals(100, spool.lastSequence());
            assertEquals(0, spool.corruptRecords());
        }
        try (Stream<Path> files = Files.list(this.dir)) {
            Set<String> names = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            assertTrue(names.containsAll(Set.of("writer-id", "quarantine.jsonl", "seg-12.spool")), names.toString());
        }
    }

    @Test
    void tooLargeASampleIsRefusedBeforeAnythingIsWritten() throws IOException {
        try (Spool spool = SpoolSamples.open(this.dir, 64 * MIB)) {
            fill(spool, 5, 5);
            String big = "x".repeat(17 << 20);
            assertThrows(IllegalArgumentException.class,
                    () -> spool.append(List.of(sample(6), new Sample(Instant.EPOCH, big, "c", null, null, null, 0))));
            assertEquals(5, spool.lastSequence());
            assertEquals(6, spool.append(List.of(sample(6))));
            assertContiguous(readAll(spool, 0, 10), 1, 6);
        }
    }

    /** Prints throughput; asserts only correctness. On the build's disk (target/), not a tmpfs. */
    @Test
    void throughput() throws IOException {
        Path target = Files.createDirectories(Path.of("target"));
        Path bench = Files.createTempDirectory(target, "spool-throughput");
        try {
            int batch = 5000;
            int batches = 100;
            List<List<Sample>> prepared = new ArrayList<>();
            for (int b = 0; b < 10; b++) {
                prepared.add(batch(b * batch + 1L, batch));
            }
            long bytes;
            try (Spool spool = SpoolSamples.open(bench, 4096 * MIB)) {
                spool.append(prepared.get(0)); // warm up
                long t0 = System.nanoTime();
                for (int b = 0; b < batches; b++) {
                    spool.append(prepared.get(b % prepared.size()));
                }
                long t1 = System.nanoTime();
                bytes = spool.sizeBytes();
                double seconds = (t1 - t0) / 1e9;
                System.out.printf("spool append: %,.0f samples/s (%d batches of %d, each one write + force; "
                        + "%.1f MB/s, %.2f ms per batch, %d bytes per sample)%n", batches * batch / seconds, batches,
                        batch, bytes / 1e6 / seconds, seconds * 1000 / batches, bytes / ((batches + 1L) * batch));
            }
            long o0 = System.nanoTime();
            try (Spool spool = SpoolSamples.open(bench, 4096 * MIB)) {
                long o1 = System.nanoTime();
                System.out.printf("spool open (recovery scan of %,d bytes): %.0f ms%n", bytes, (o1 - o0) / 1e6);
                long t0 = System.nanoTime();
                long after = 0;
                long n = 0;
                while (true) {
                    List<SpooledSample> part = spool.read(after, batch);
                    if (part.isEmpty()) {
                        break;
                    }
                    n += part.size();
                    after = part.get(part.size() - 1).sequence();
                    spool.release(after);
                }
                long t1 = System.nanoTime();
                assertEquals((batches + 1L) * batch, n);
                System.out.printf("spool read: %,.0f samples/s (pages of %d, releasing as it goes)%n",
                        n / ((t1 - t0) / 1e9), batch);
                assertFalse(spool.sizeBytes() > spool.segmentBytes() + Segment.HEADER);
            }
        } finally {
            try (Stream<Path> files = Files.list(bench)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(bench);
        }
    }
}
