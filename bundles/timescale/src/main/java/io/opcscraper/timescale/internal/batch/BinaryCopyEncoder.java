package io.opcscraper.timescale.internal.batch;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import io.opcscraper.api.Sample;

/**
 * Encodes samples in PostgreSQL's binary COPY format for
 * {@code COPY t ("timestamp", nodeid, clientid, sensorname, tagname, value, quality) FROM STDIN (FORMAT binary)}.
 * pgjdbc has no binary COPY encoder, so this writes the stream format of the PostgreSQL
 * documentation (COPY, "Binary Format"): the 11-byte signature, flags and header extension
 * (both 0), then per row a 16-bit field count and per field a 32-bit length (-1 for NULL) and
 * the value in network byte order; {@code timestamptz} as 64-bit microseconds since 2000-01-01 UTC,
 * {@code float8} as IEEE 754, {@code int8} as 64 bits, {@code text} as UTF-8; a 16-bit -1 ends it.
 *
 * <p>Text cannot hold U+0000 in PostgreSQL: it is replaced with U+FFFD so one odd name does not
 * make a whole batch fail.
 */
public final class BinaryCopyEncoder {

    public static final String COLUMNS = "(\"timestamp\", nodeid, clientid, sensorname, tagname, value, quality)";

    private static final byte[] SIGNATURE = { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0 };
    private static final short FIELDS = 7;
    /** 2000-01-01T00:00:00Z in microseconds since the Unix epoch. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    private BinaryCopyEncoder() {
    }

    public static byte[] encode(List<Sample> samples) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + samples.size() * 120);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(SIGNATURE);
            out.writeInt(0);
            out.writeInt(0);
            for (Sample sample : samples) {
                out.writeShort(FIELDS);
                out.writeInt(8);
                out.writeLong(micros(sample.timestamp()) - POSTGRES_EPOCH_MICROS);
                text(out, sample.nodeId());
                text(out, sample.clientId());
                text(out, sample.sensorName());
                text(out, sample.tagName());
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
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** Microseconds since the Unix epoch, truncated toward the past like PostgreSQL. */
    public static long micros(Instant time) {
        return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000);
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.indexOf('\u0000') < 0 ? value.getBytes(StandardCharsets.UTF_8)
                : value.replace('\u0000', '\uFFFD').getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }
}
