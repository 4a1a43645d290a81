package io.opcscraper.timescale.internal.spool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.zip.CRC32C;

import io.opcscraper.api.Sample;

/**
 * The spool's record: one sample, little-endian.
 *
 * <pre>
 * record  := crc:u32 len:u32 payload            crc = CRC32C over len and payload
 * payload := seq:i64 epochSecond:i64 nano:i32 quality:i64 flags:u8 [value:f64 raw bits if flags&amp;1]
 *            nodeId clientId sensorName tagName
 * string  := n:varint (0 = null, else byte length + 1) bytes
 * </pre>
 *
 * Strings are in generalized UTF-8 ({@link Wtf8}), so every Java string, well-formed or not, comes
 * back exactly.
 */
final class SampleCodec {

    static final int RECORD_HEADER = 8;
    /** seq, epoch second, nano, quality, flags. */
    static final int FIXED = 8 + 8 + 4 + 8 + 1;
    static final int MIN_PAYLOAD = FIXED + 4;
    static final int MIN_RECORD = RECORD_HEADER + MIN_PAYLOAD;
    static final int MAX_PAYLOAD = 16 << 20;

    static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final int FLAG_VALUE = 1;
    /** What {@link #stringField} returns for a length prefix that is malformed or runs past the record. */
    private static final long MALFORMED = -1;

    private SampleCodec() {
    }

    /**
     * The encoded size of a sample's record.
     *
     * @throws IllegalArgumentException if the record would be larger than the spool takes
     */
    static int recordSize(Sample sample, TextFields texts) {
        long payload = FIXED + (sample.value() != null ? 8 : 0) + field(texts.length(0, sample.nodeId()))
                + field(texts.length(1, sample.clientId())) + field(texts.length(2, sample.sensorName()))
                + field(texts.length(3, sample.tagName()));
        if (payload > MAX_PAYLOAD) {
            throw new IllegalArgumentException("sample " + sample.nodeId() + " takes " + payload
                    + " bytes encoded; the spool takes at most " + MAX_PAYLOAD);
        }
        return RECORD_HEADER + (int) payload;
    }

    /**
     * Encodes one record of exactly {@code size} bytes ({@link #recordSize} with the same
     * {@code texts}) at {@code at}; returns the position after it.
     */
    static int encode(byte[] a, int at, int size, long seq, Sample sample, TextFields texts, CRC32C crc) {
        int p = at + RECORD_HEADER;
        Instant t = sample.timestamp();
        LONG.set(a, p, seq);
        LONG.set(a, p + 8, t.getEpochSecond());
        INT.set(a, p + 16, t.getNano());
        LONG.set(a, p + 20, sample.quality());
        p += 28;
        Double value = sample.value();
        if (value != null) {
            a[p++] = FLAG_VALUE;
            LONG.set(a, p, Double.doubleToRawLongBits(value));
            p += 8;
        } else {
            a[p++] = 0;
        }
        p = putString(a, p, sample.nodeId(), texts.length(0, sample.nodeId()));
        p = putString(a, p, sample.clientId(), texts.length(1, sample.clientId()));
        p = putString(a, p, sample.sensorName(), texts.length(2, sample.sensorName()));
        p = putString(a, p, sample.tagName(), texts.length(3, sample.tagName()));
        int len = size - RECORD_HEADER;
        if (p != at + size) {
            throw new IllegalStateException("record size " + (p - at) + " != " + size);
        }
        INT.set(a, at + 4, len);
        crc.reset();
        crc.update(a, at + 4, len + 4);
        INT.set(a, at, (int) crc.getValue());
        return p;
    }

    /**
     * Decodes a payload (which starts with its sequence number); {@code texts} shares the Strings of
     * fields that repeat from the last payload it decoded.
     *
     * @throws IllegalArgumentException (or another RuntimeException) if it is malformed
     */
    static Sample decode(byte[] a, int off, int len, TextFields texts) {
        int end = off + len;
        int p = off + 8;
        long second = (long) LONG.get(a, p);
        int nano = (int) INT.get(a, p + 8);
        long quality = (long) LONG.get(a, p + 12);
        p += 20;
        int flags = a[p++];
        Double value = null;
        if ((flags & FLAG_VALUE) != 0) {
            value = Double.longBitsToDouble((long) LONG.get(a, p));
            p += 8;
        }
        String[] s = new String[TextFields.COUNT];
        for (int k = 0; k < TextFields.COUNT; k++) {
            long field = stringField(a, p, end);
            if (field == MALFORMED) {
                throw new IllegalArgumentException("string " + k + " malformed or past the record");
            }
            int v = (int) (field >>> 32);
            p = (int) field;
            if (v != 0) {
                s[k] = texts.decode(k, a, p, v - 1);
                p += v - 1;
            }
        }
        if (p != end) {
            throw new IllegalArgumentException("trailing bytes in the record");
        }
        return new Sample(Instant.ofEpochSecond(second, nano), s[0], s[1], s[2], s[3], value, quality);
    }

    /**
     * Hands a payload's fields to {@code out} in the table's column order ({@link SampleFields}),
     * its text as the record's own bytes: no String and no {@link Sample} for them.
     *
     * @throws IllegalArgumentException if a string field is malformed (a payload that passed
     *         {@link #checkReadable} or came from {@link #encode} never is)
     */
    static void fields(byte[] a, int off, int len, SampleFields out) {
        int end = off + len;
        int p = off + 8;
        out.timestamp((long) LONG.get(a, p), (int) INT.get(a, p + 8));
        long quality = (long) LONG.get(a, p + 12);
        p += 20;
        boolean present = (a[p++] & FLAG_VALUE) != 0;
        long bits = 0;
        if (present) {
            bits = (long) LONG.get(a, p);
            p += 8;
        }
        for (int k = 0; k < TextFields.COUNT; k++) {
            long field = stringField(a, p, end);
            if (field == MALFORMED) {
                throw new IllegalArgumentException("string " + k + " malformed or past the record");
            }
            int n = (int) (field >>> 32) - 1;
            p = (int) field;
            out.text(k, a, p, n);
            p += Math.max(0, n);
        }
        out.value(present, bits);
        out.quality(quality);
    }

    /**
     * Checks that a payload read from disk can be handed on: {@link #isWellFormed}, and each text
     * field generalized UTF-8, so that neither {@link #fields} nor a later {@link #decode} fails on
     * it. Text that is not ASCII (rare in node ids and names) is decoded once for the check, so one
     * set of rules is kept, {@link Wtf8#decode}'s.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static void checkReadable(byte[] a, int off, int len) {
        if (!isWellFormed(a, off, len)) {
            throw new IllegalArgumentException("the payload is not well-formed");
        }
        fields(a, off, len, TEXT_CHECK);
    }

    /** {@link #checkReadable}'s look at the text fields: decodes those that are not ASCII. */
    private static final SampleFields TEXT_CHECK = new SampleFields() {
        @Override
        public void timestamp(long epochSecond, int nano) {
            // only the text is checked here; isWellFormed checked the rest
        }

        @Override
        public void text(int k, byte[] a, int p, int n) {
            if (n > 0 && !Wtf8.isAscii(a, p, n)) {
                Wtf8.decode(a, p, n);
            }
        }

        @Override
        public void value(boolean present, long rawBits) {
            // only the text is checked here
        }

        @Override
        public void quality(long quality) {
            // only the text is checked here
        }
    };

    /** Whether a payload is structurally sound (without building its strings): the check at recovery. */
    static boolean isWellFormed(byte[] a, int off, int len) {
        if (len < MIN_PAYLOAD) {
            return false;
        }
        int end = off + len;
        int p = off + 8;
        int nano = (int) INT.get(a, p + 8);
        if (nano < 0 || nano > 999_999_999) {
            return false;
        }
        p += 20;
        int flags = a[p++];
        if ((flags & ~FLAG_VALUE) != 0) {
            return false;
        }
        if (flags != 0) {
            p += 8;
        }
        for (int k = 0; k < TextFields.COUNT; k++) {
            long field = stringField(a, p, end);
            if (field == MALFORMED) {
                return false;
            }
            int v = (int) (field >>> 32);
            if (v == 0 && k < 2) {
                return false; // nodeId and clientId are never null
            }
            p = (int) field + Math.max(0, v - 1);
        }
        return p == end;
    }

    /**
     * Reads the length prefix of the string field at {@code p} (a varint of the encoded length + 1;
     * 0 for null) and checks it against {@code end}. Returns that prefix in the high 32 bits and the
     * offset of the field's bytes in the low 32 (one long: no object per field on the read path of
     * every sample), or {@link #MALFORMED}.
     */
    private static long stringField(byte[] a, int p, int end) {
        int v = 0;
        int shift = 0;
        int b;
        do {
            if (p >= end || shift > 28) {
                return MALFORMED;
            }
            b = a[p++];
            v |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        if (v != 0 && (v - 1 < 0 || v - 1 > end - p)) {
            return MALFORMED; // v - 1 < 0: a prefix past 2^31 wrapped around
        }
        return (long) v << 32 | p;
    }

    /** The bytes a string field of encoded length {@code n} (-1 for null) takes with its prefix. */
    private static long field(long n) {
        return n < 0 ? 1 : varintSize(n + 1) + n;
    }

    private static int varintSize(long v) {
        int n = 1;
        while (v >= 0x80) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static int putString(byte[] a, int p, String s, long length) {
        if (s == null) {
            a[p] = 0;
            return p + 1;
        }
        int len = (int) length;
        int v = len + 1;
        while (v >= 0x80) {
            a[p++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        a[p++] = (byte) v;
        return Wtf8.encode(s, len, a, p);
    }
}
