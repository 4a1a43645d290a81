package io.opcscraper.timescale.internal.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.opcscraper.api.Sample;

/** Test helpers: a sample determined by its sequence number, and looks at the spool directory. */
final class SpoolSamples {

    /** ALWAYS without the group commit's pacing: every append forced at once, so tests of many appends stay quick. */
    static final SpoolPolicy UNPACED = new SpoolPolicy(SpoolPolicy.Mode.ALWAYS, 0, 0, 0);

    private SpoolSamples() {
    }

    /** The spool in dir, opened as a test of many appends wants it ({@link #UNPACED}). */
    static Spool open(Path dir, long maxBytes) throws IOException {
        return Spool.open(dir, maxBytes, UNPACED);
    }

    /** The sample that tests append as sequence {@code seq}. */
    static Sample sample(long seq) {
        Instant t = Instant.ofEpochSecond(1_700_000_000L + seq, (seq * 7_919L) % 1_000_000_000L);
        Double value = seq % 5 == 0 ? null : seq * 0.5 - 1000;
        String sensor = seq % 11 == 0 ? null : "Machine " + seq % 10;
        String tag = seq % 13 == 0 ? null : "Temperature.Zone" + seq % 4 + ".Value";
        return new Sample(t, "nsu=urn:opcscraper:sim;s=Line" + seq % 50 + ".Temperature", "client-" + seq % 3,
                sensor, tag, value, seq % 7 == 0 ? 0x80000000L : 0);
    }

    static List<Sample> batch(long first, int n) {
        List<Sample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(sample(first + i));
        }
        return out;
    }

    /** Appends n samples as batches of size, returning the last sequence. */
    static long fill(Spool spool, int n, int size) throws IOException {
        long last = spool.lastSequence();
        for (int done = 0; done < n; done += size) {
            int k = Math.min(size, n - done);
            last = spool.append(batch(spool.lastSequence() + 1, k));
        }
        return last;
    }

    /** Everything readable after {@code after}, paging by {@code page}. */
    static List<SpooledSample> readAll(Spool spool, long after, int page) throws IOException {
        List<SpooledSample> all = new ArrayList<>();
        while (true) {
            List<SpooledSample> part = spool.read(after, page);
            if (part.isEmpty()) {
                return all;
            }
            all.addAll(part);
            after = part.get(part.size() - 1).sequence();
        }
    }

    /** Checks that the samples are exactly {@code from..to}, each the sample of its sequence. */
    static void assertContiguous(List<SpooledSample> samples, long from, long to) {
        assertEquals(to - from + 1, samples.size(), "count of " + from + ".." + to);
        long expected = from;
        for (SpooledSample s : samples) {
            assertEquals(expected, s.sequence());
            assertEquals(sample(expected), s.sample(), "sample " + expected);
            expected++;
        }
    }

    /** The segment files, oldest first. */
    static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("seg-\\d{20}\\.spool")).sorted()
                    .collect(Collectors.toList());
        }
    }

    static long firstOf(Path segment) {
        String name = segment.getFileName().toString();
        return Long.parseLong(name.substring(4, 24));
    }

    static long diskBytes(Path dir) throws IOException {
        long total = 0;
        for (Path p : segments(dir)) {
            total += Files.size(p);
        }
        return total;
    }
}
