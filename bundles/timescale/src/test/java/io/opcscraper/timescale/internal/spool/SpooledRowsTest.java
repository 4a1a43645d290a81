package io.opcscraper.timescale.internal.spool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opcscraper.api.Sample;
import io.opcscraper.timescale.internal.batch.BinaryCopyEncoder;

/**
 * The writer's COPY rows made from spooled records ({@link BinaryCopyEncoder#encodeSpooled}: plain
 * ASCII text copied from the record) are byte for byte the rows made from the samples themselves
 * ({@link BinaryCopyEncoder#encodeRows}, whose bytes BinaryCopyEncoderBytesTest checks against the
 * format written field by field), for records read from a segment on disk and from the memory tail,
 * with every kind of text and value that takes the other way.
 */
class SpooledRowsTest {

    @TempDir
    Path dir;

    @Test
    void rowsFromSegmentRecordsAreTheRowsOfTheirSamples() throws IOException {
        List<Sample> samples = samples();
        try (Spool spool = SpoolSamples.open(this.dir, 64 << 20)) {
            spool.append(samples);
            assertSameRows(samples, spool.read(0, samples.size()));
        }
    }

    @Test
    void rowsFromTheMemoryTailAreTheRowsOfTheirSamples() throws IOException {
        List<Sample> samples = samples();
        AtomicLong clock = new AtomicLong();
        try (Spool spool = Spool.open(this.dir, 64 << 20,
                new SpoolPolicy(SpoolPolicy.Mode.ON_BACKLOG, 60_000, 64 << 20, 0), clock::get)) {
            spool.append(samples);
            assertTrue(spool.memoryBytes() > 0, "held in memory (the database keeps up), not on disk");
            assertSameRows(samples, spool.read(0, samples.size()));
        }
    }

    @Test
    void aSpooledSampleDecodesToTheSampleAppended() throws IOException {
        List<Sample> samples = samples();
        try (Spool spool = SpoolSamples.open(this.dir, 64 << 20)) {
            spool.append(samples);
            List<SpooledSample> read = spool.read(0, samples.size());
            for (int i = 0; i < samples.size(); i++) {
                Sample expected = samples.get(i);
                Sample actual = read.get(i).sample();
                assertEquals(expected.nodeId(), actual.nodeId(), "row " + i);
                assertEquals(expected.sensorName(), actual.sensorName(), "row " + i);
                assertEquals(expected.timestamp(), actual.timestamp(), "row " + i);
            }
        }
    }

    private static void assertSameRows(List<Sample> samples, List<SpooledSample> spooled) {
        assertEquals(samples.size(), spooled.size());
        for (int n : new int[] { 0, 1, 2, 5, samples.size() }) {
            BinaryCopyEncoder.Encoded expected = BinaryCopyEncoder.encodeRows(samples.subList(0, n));
            BinaryCopyEncoder.Encoded actual = BinaryCopyEncoder.encodeSpooled(spooled.subList(0, n));
            assertArrayEquals(Arrays.copyOf(expected.bytes(), expected.length()),
                    Arrays.copyOf(actual.bytes(), actual.length()), n + " rows");
            assertEquals(expected.clientIds(), actual.clientIds(), n + " rows");
        }
        assertTrue(BinaryCopyEncoder.encodeSpooled(spooled).clientIds().size() > 3, "several client ids seen");
    }

    /**
     * Text that is copied (ASCII) and that is not (U+0000, Latin-1, other BMP, supplementary, a lone
     * surrogate, DEL), NULL names, client ids and sensor names that change and come back, NaN with
     * other bits than Java's canonical one, -0.0, no value, the epoch's edges.
     */
    private static List<Sample> samples() {
        Instant t = Instant.parse("2026-12-06T09:00:00.123456789Z");
        List<Sample> out = new ArrayList<>();
        out.add(new Sample(t, "ns=2;s=Line1/Temperature", "gw/opcua", "Line1", "Temperature", 21.5, 0));
        out.add(new Sample(t.plusNanos(1), "ns=2;s=Öl\u0000druck", "gw", null, null, null, 0x80000000L));
        out.add(new Sample(t.minusSeconds(86_400L * 365 * 40), "nsu=urn:ü;s=\uD83C\uDF21", "gw", "Ω", "t",
                Double.NaN, -1));
        out.add(new Sample(t, "lone \uD800 high", "gw\uDC00", "Kühlung", "low \uDFFF", Double.longBitsToDouble(
                0x7FF0_0000_0000_0001L), 0));
        out.add(new Sample(t, "del \u007F", "gw", "Kühlung", "t", Double.longBitsToDouble(0xFFF8_0000_0000_0042L), 0));
        out.add(new Sample(t, "a", "gw\u0000b", "Line1", "t", -0.0, 0));
        out.add(new Sample(t, "b", "gw", "Kühlung", "", 2.0, 0));
        out.add(new Sample(t, "c", "gw\u0000b", null, "t", Double.NEGATIVE_INFINITY, Long.MIN_VALUE));
        out.add(new Sample(t, "d", "gw", "Line1", "t", Double.MIN_VALUE, 0));
        out.add(new Sample(Instant.EPOCH, "e", "client-ü", "Line1", "t", 4.0, 0));
        out.add(new Sample(Instant.parse("1970-01-01T00:00:00.000000999Z"), "f", "client-ü", "Line1", "t", 4.0, 0));
        out.add(new Sample(Instant.parse("1969-12-31T23:59:59.999999Z"), "g", "gw", "Line1", "t", 4.0, 0));
        out.add(new Sample(t, "x".repeat(1_000), "gw", "s".repeat(300), "t", 1.0, 0));
        for (int i = 0; i < 2_000; i++) {
            out.add(new Sample(t.plusMillis(i), "ns=2;s=Sensor" + i + "/Temperature", "gw", "Sensor" + i % 7, "t",
                    (double) i, 0));
        }
        return out;
    }
}
