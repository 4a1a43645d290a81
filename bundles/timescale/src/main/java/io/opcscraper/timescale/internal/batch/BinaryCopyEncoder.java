package io.opcscraper.timescale.internal.batch;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import io.opcscraper.api.Sample;
import io.opcscraper.timescale.internal.spool.SpooledSample;

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
    /** Bytes a row takes with node ids and names of usual length: the first size of the array. */
    private static final int ROW_ESTIMATE = 160;
    /** 2000-01-01T00:00:00Z in microseconds since the Unix epoch. */
    static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    private BinaryCopyEncoder() {
    }

    /** The encoded rows of {@code samples}: an array of exactly the stream's length. */
    public static byte[] encode(List<Sample> samples) {
        Encoded rows = encodeRows(samples);
        return rows.length() == rows.bytes().length ? rows.bytes() : Arrays.copyOf(rows.bytes(), rows.length());
    }

    /**
     * The encoded rows of {@code samples} in the first {@code length} bytes of {@code bytes}, for
     * {@code CopyIn.writeToCopy}: written straight into one array, not through a stream and copied
     * out again.
     */
    public static Encoded encodeRows(List<Sample> samples) {
        CopyRows out = start(samples.size());
        for (Sample sample : samples) {
            out.putShort(FIELDS);
            out.timestamp(sample.timestamp().getEpochSecond(), sample.timestamp().getNano());
            out.text(sample.nodeId());
            out.repeatedText(CopyRows.CLIENT_ID, sample.clientId());
            out.repeatedText(CopyRows.SENSOR_NAME, sample.sensorName());
            out.text(sample.tagName());
            Double value = sample.value();
            out.value(value != null, value != null ? Double.doubleToRawLongBits(value) : 0);
            out.quality(sample.quality());
        }
        return end(out);
    }

    /**
     * The same rows for spooled samples, made from their records' fields: text that is plain ASCII
     * is copied from the record as it is, without a String (the writer's way, byte for byte the
     * rows {@link #encodeRows} makes of the samples they hold).
     */
    public static Encoded encodeSpooled(List<SpooledSample> samples) {
        CopyRows out = start(samples.size());
        for (SpooledSample sample : samples) {
            out.putShort(FIELDS);
            sample.fields(out);
        }
        return end(out);
    }

    /**
     * Encoded rows: the first {@code length} bytes of {@code bytes}, and the client ids of the rows
     * (in the order they first came).
     */
    public record Encoded(byte[] bytes, int length, Set<String> clientIds) {
    }

    /** Microseconds since the Unix epoch, truncated toward the past like PostgreSQL. */
    public static long micros(Instant time) {
        return micros(time.getEpochSecond(), time.getNano());
    }

    /** {@link #micros(Instant)} of an epoch second and its nanoseconds. */
    static long micros(long epochSecond, int nano) {
        return Math.addExact(Math.multiplyExact(epochSecond, 1_000_000L), nano / 1_000);
    }

    private static CopyRows start(int rows) {
        CopyRows out = new CopyRows(64 + rows * ROW_ESTIMATE);
        out.bytes(SIGNATURE, 0, SIGNATURE.length);
        out.putInt(0);
        out.putInt(0);
        return out;
    }

    private static Encoded end(CopyRows out) {
        out.putShort(-1);
        return new Encoded(out.a, out.p, out.clientIds());
    }
}
