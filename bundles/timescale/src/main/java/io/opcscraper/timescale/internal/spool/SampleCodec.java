package io.opcscraper.timescale.internal.spool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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
 * Strings are in generalized UTF-8 (WTF-8): UTF-8, except that a lone surrogate is written as its
 * own 3-byte sequence, so every Java string, well-formed or not, comes back exactly.
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
    private static final int STRINGS = 4;
    /** What {@link #stringField} returns for a length prefix that is malformed or runs past the record. */
    private static final long MALFORMED = -1;

    private SampleCodec() {
    }

    /**
     * The encoded size of a sample's record.
     *
     * @throws IllegalArgumentException if the record would be larger than the spool takes
     */
    static int recordSize(Sample sample) {
        long payload = FIXED + (sample.value() != null ? 8 : 0) + field(sample.nodeId()) + field(sample.clientId())
                + field(sample.sensorName()) + field(sample.tagName());
        if (payload > MAX_PAYLOAD) {
            throw new IllegalArgumentException("sample " + sample.nodeId() + " takes " + payload
                    + " bytes encoded; the spool takes at most " + MAX_PAYLOAD);
        }
        return RECORD_HEADER + (int) payload;
    }

    /** Encodes one record of exactly {@code size} bytes at {@code at}; returns the position after it. */
    static int encode(byte[] a, int at, int size, long seq, Sample sample, CRC32C crc) {
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
        p = putString(a, p, sample.nodeId());
        p = putString(a, p, sample.clientId());
        p = putString(a, p, sample.sensorName());
        p = putString(a, p, sample.tagName());
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
     * Decodes a payload (which starts with its sequence number).
     *
     * @throws IllegalArgumentException (or another RuntimeException) if it is malformed
     */
    static Sample decode(byte[] a, int off, int len) {
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
        String[] s = new String[STRINGS];
        for (int k = 0; k < STRINGS; k++) {
            long field = stringField(a, p, end);
            if (field == MALFORMED) {
                throw new IllegalArgumentException("string " + k + " malformed or past the record");
            }
            int v = (int) (field >>> 32);
            p = (int) field;
            if (v != 0) {
                s[k] = getString(a, p, v - 1);
                p += v - 1;
            }
        }
        if (p != end) {
            throw new IllegalArgumentException("trailing bytes in the record");
        }
        return new Sample(Instant.ofEpochSecond(second, nano), s[0], s[1], s[2], s[3], value, quality);
    }

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
        for (int k = 0; k < STRINGS; k++) {
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

    private static long field(String s) {
        if (s == null) {
            return 1;
        }
        long n = wtf8Length(s);
        return varintSize(n + 1) + n;
    }

    static long wtf8Length(String s) {
        int n = s.length();
        long bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // 4 bytes for 2 chars
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    private static int varintSize(long v) {
        int n = 1;
        while (v >= 0x80) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static int putString(byte[] a, int p, String s) {
        if (s == null) {
            a[p] = 0;
            return p + 1;
        }
        int len = (int) wtf8Length(s);
        int v = len + 1;
        while (v >= 0x80) {
            a[p++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        a[p++] = (byte) v;
        int n = s.length();
        if (len == n) {
            for (int i = 0; i < n; i++) {
                a[p + i] = (byte) s.charAt(i);
            }
            return p + n;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                a[p++] = (byte) c;
            } else if (c < 0x800) {
                a[p++] = (byte) (0xC0 | c >> 6);
                a[p++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                a[p++] = (byte) (0xF0 | cp >> 18);
                a[p++] = (byte) (0x80 | cp >> 12 & 0x3F);
                a[p++] = (byte) (0x80 | cp >> 6 & 0x3F);
                a[p++] = (byte) (0x80 | cp & 0x3F);
            } else {
                a[p++] = (byte) (0xE0 | c >> 12);
                a[p++] = (byte) (0x80 | c >> 6 & 0x3F);
                a[p++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return p;
    }

    private static String getString(byte[] a, int p, int n) {
        int end = p + n;
        int i = p;
        while (i < end && a[i] >= 0) {
            i++;
        }
        if (i == end) {
            return new String(a, p, n, StandardCharsets.ISO_8859_1);
        }
        char[] out = new char[n];
        int o = 0;
        while (p < end) {
            int b = a[p++];
            if (b >= 0) {
                out[o++] = (char) b;
            } else if ((b & 0xE0) == 0xC0) {
                need(p, 1, end);
                out[o++] = (char) ((b & 0x1F) << 6 | cont(a[p]));
                p += 1;
            } else if ((b & 0xF0) == 0xE0) {
                need(p, 2, end);
                out[o++] = (char) ((b & 0x0F) << 12 | cont(a[p]) << 6 | cont(a[p + 1]));
                p += 2;
            } else if ((b & 0xF8) == 0xF0) {
                need(p, 3, end);
                int cp = (b & 0x07) << 18 | cont(a[p]) << 12 | cont(a[p + 1]) << 6 | cont(a[p + 2]);
                if (cp < Character.MIN_SUPPLEMENTARY_CODE_POINT || cp > Character.MAX_CODE_POINT) {
                    throw new IllegalArgumentException("bad code point");
                }
                out[o++] = Character.highSurrogate(cp);
                out[o++] = Character.lowSurrogate(cp);
                p += 3;
            } else {
                throw new IllegalArgumentException("bad lead byte");
            }
        }
        return new String(out, 0, o);
    }

    private static void need(int p, int k, int end) {
        if (p + k > end) {
            throw new IllegalArgumentException("truncated character");
        }
    }

    private static int cont(byte b) {
        if ((b & 0xC0) != 0x80) {
            throw new IllegalArgumentException("bad continuation byte");
        }
        return b & 0x3F;
    }
}
