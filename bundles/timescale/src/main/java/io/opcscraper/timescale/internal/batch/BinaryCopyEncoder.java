package io.opcscraper.timescale.internal.batch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
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
    /** Bytes a row takes with node ids and names of usual length: the first size of the array. */
    private static final int ROW_ESTIMATE = 160;
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** 2000-01-01T00:00:00Z in microseconds since the Unix epoch. */
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    private BinaryCopyEncoder() {
    }

    /** The encoded rows of {@code samples}: an array of exactly the stream's length. */
    public static byte[] encode(List<Sample> samples) {
        Encoded rows = encodeRows(samples);
        return rows.length() == rows.bytes().length ? rows.bytes() : Arrays.copyOf(rows.bytes(), rows.length());
    }

    /**
     * The encoded rows of {@code samples} in the first {@code length} bytes of {@code bytes}, for
     * {@code CopyIn.writeToCopy}: written straight into one array (grown by doubling when a row does
     * not fit the estimate), not through a stream and copied out again.
     */
    public static Encoded encodeRows(List<Sample> samples) {
        Rows out = new Rows(64 + samples.size() * ROW_ESTIMATE);
        out.bytes(SIGNATURE);
        out.putInt(0);
        out.putInt(0);
        for (Sample sample : samples) {
            out.putShort(FIELDS);
            out.putInt(8);
            out.putLong(micros(sample.timestamp()) - POSTGRES_EPOCH_MICROS);
            out.text(sample.nodeId());
            out.repeatedText(0, sample.clientId());
            out.repeatedText(1, sample.sensorName());
            out.text(sample.tagName());
            if (sample.value() == null) {
                out.putInt(-1);
            } else {
                out.putInt(8);
                out.putLong(Double.doubleToLongBits(sample.value()));
            }
            out.putInt(8);
            out.putLong(sample.quality());
        }
        out.putShort(-1);
        return new Encoded(out.a, out.p);
    }

    /** Encoded rows: the first {@code length} bytes of {@code bytes}. */
    public record Encoded(byte[] bytes, int length) {
    }

    /** Microseconds since the Unix epoch, truncated toward the past like PostgreSQL. */
    public static long micros(Instant time) {
        return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000);
    }

    /** A growing array in network byte order. */
    private static final class Rows {

        private byte[] a;
        private int p;
        /** The last String of each repeated field and its UTF-8 bytes (see {@link #repeatedText}). */
        private final String[] lastText = new String[2];
        private final byte[][] lastUtf8 = new byte[2][];

        Rows(int estimate) {
            this.a = new byte[estimate];
        }

        private void ensure(int n) {
            if (this.p + n > this.a.length) {
                this.a = Arrays.copyOf(this.a, Math.max(this.a.length * 2, this.p + n));
            }
        }

        void putShort(int v) {
            ensure(2);
            SHORT.set(this.a, this.p, (short) v);
            this.p += 2;
        }

        void putInt(int v) {
            ensure(4);
            INT.set(this.a, this.p, v);
            this.p += 4;
        }

        void putLong(long v) {
            ensure(8);
            LONG.set(this.a, this.p, v);
            this.p += 8;
        }

        void bytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, this.a, this.p, b.length);
            this.p += b.length;
        }

        /** A text field: its UTF-8 length and bytes, -1 for NULL; U+0000 as U+FFFD (see the class). */
        void text(String value) {
            if (value == null) {
                putInt(-1);
            } else {
                field(utf8(value));
            }
        }

        /**
         * A text field of a column whose rows mostly repeat one String (the client id, the sensor
         * name: shared by a poll's samples and by the spool's reads): coded once while it repeats,
         * slot {@code k} remembering the last one.
         */
        void repeatedText(int k, String value) {
            if (value == null) {
                putInt(-1);
                return;
            }
            if (value != this.lastText[k]) {
                this.lastText[k] = value;
                this.lastUtf8[k] = utf8(value);
            }
            field(this.lastUtf8[k]);
        }

        /** A text field of these UTF-8 bytes: their length, then them. */
        private void field(byte[] utf8) {
            putInt(utf8.length);
            bytes(utf8);
        }

        private static byte[] utf8(String value) {
            return value.indexOf('\u0000') < 0 ? value.getBytes(StandardCharsets.UTF_8)
                    : value.replace('\u0000', '\uFFFD').getBytes(StandardCharsets.UTF_8);
        }
    }
}
