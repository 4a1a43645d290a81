package io.opcscraper.timescale.internal.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.opcscraper.api.Sample;

/**
 * The encoder's bytes are those of the COPY binary format written field by field through a
 * {@code DataOutputStream} (the reference below, the encoder's earlier form), for rows of every
 * kind: NULL value and names, U+0000, non-Latin-1 and supplementary characters, NaNs, client ids
 * and sensor names that change and come back, and more rows than the first array holds.
 */
class BinaryCopyEncoderBytesTest {

    @Test
    void theRowsAreTheReferenceEncodingByteForByte() throws IOException {
        List<Sample> samples = new ArrayList<>();
        Instant t = Instant.parse("2026-12-06T09:00:00.123456789Z");
        samples.add(new Sample(t, "ns=2;s=Line1/Temperature", "gw/opcua", "Line1", "Temperature", 21.5, 0));
        samples.add(new Sample(t.plusNanos(1), "ns=2;s=Öl\u0000druck", "gw", null, null, null, 0x80000000L));
        samples.add(new Sample(t.minusSeconds(86_400L * 365 * 40), "nsu=urn:ü;s=\uD83C\uDF21", "gw", "Ω", "t",
                Double.NaN, -1));
        samples.add(new Sample(t, "x".repeat(1_000), "gw", "s", "t", -0.0, 0));
        // A NaN with other bits than Java's one NaN: written as that one (DataOutputStream.writeDouble).
        samples.add(new Sample(t, "y", "gw", "s", "t", Double.longBitsToDouble(0x7FF0_0000_0000_0001L), 0));
        // The client id and sensor name change and come back (they are coded once while they repeat).
        samples.add(new Sample(t, "a", "gw\u0000b", "Line1", "t", 1.0, 0));
        samples.add(new Sample(t, "b", new String("gw"), "Line1", "t", 2.0, 0));
        samples.add(new Sample(t, "c", "gw", null, "t", 3.0, 0));
        samples.add(new Sample(t, "d", "gw", "Line1", "t", 4.0, 0));
        for (int i = 0; i < 5_000; i++) {
            samples.add(new Sample(t.plusMillis(i), "ns=2;s=Sensor" + i + "/Temperature", "gw", "Sensor" + i, "t",
                    (double) i, 0));
        }
        for (int n : new int[] { 0, 1, 2, 3, 4, samples.size() }) {
            List<Sample> rows = samples.subList(0, n);
            byte[] expected = reference(rows);
            BinaryCopyEncoder.Encoded encoded = BinaryCopyEncoder.encodeRows(rows);
            assertEquals(expected.length, encoded.length(), n + " rows");
            assertArrayEquals(expected, Arrays.copyOf(encoded.bytes(), encoded.length()), n + " rows");
            assertArrayEquals(expected, BinaryCopyEncoder.encode(rows), n + " rows");
        }
    }

    /** The format of PostgreSQL's COPY documentation, "Binary Format", written with a DataOutputStream. */
    private static byte[] reference(List<Sample> samples) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(new byte[] { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0 });
            out.writeInt(0);
            out.writeInt(0);
            for (Sample sample : samples) {
                out.writeShort(7);
                out.writeInt(8);
                out.writeLong(BinaryCopyEncoder.micros(sample.timestamp()) - 946_684_800_000_000L);
                for (String text : new String[] { sample.nodeId(), sample.clientId(), sample.sensorName(),
                        sample.tagName() }) {
                    if (text == null) {
                        out.writeInt(-1);
                    } else {
                        byte[] utf8 = text.replace('\u0000', '\uFFFD').getBytes(StandardCharsets.UTF_8);
                        out.writeInt(utf8.length);
                        out.write(utf8);
                    }
                }
                if (sample.value() == null) {
                    out.writeInt(-1);
                } else {
                    out.writeInt(8);
                    out.writeDouble(sample.value());
                }
                out.writeInt(8);
                out.writeLong(sample.quality());
            }
            out.writeShort(-1);
        }
        return bytes.toByteArray();
    }
}
