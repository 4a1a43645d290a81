package io.opcscraper.timescale.internal.spool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Generalized UTF-8 (WTF-8), the spool's text: UTF-8, except that a lone surrogate is written as its
 * own 3-byte sequence, so every Java string, well-formed or not, comes back exactly. Written by
 * hand: the JDK's UTF-8 coder replaces a lone surrogate with '?', which would change a name.
 */
final class Wtf8 {

    /** Eight bytes as one long (the order does not matter to the scans, so the machine's own). */
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long LOW_BITS = 0x0101010101010101L;

    private Wtf8() {
    }

    /** Bytes {@code s} takes encoded. */
    static long length(String s) {
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

    /** Writes the {@code len} ({@link #length}) bytes of {@code s} at {@code p}; returns the position after them. */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): exact for chars below 0x80
    static int encode(String s, int len, byte[] a, int p) {
        int n = s.length();
        if (len == n) {
            // As many bytes as chars: every char is ASCII (any other takes two bytes or more), so
            // each byte is its char's low 8 bits, which that method copies (one array copy for a
            // Latin-1 string) instead of a charAt a char.
            s.getBytes(0, n, a, p);
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

    /**
     * The string of the {@code n} bytes at {@code p}.
     *
     * @throws IllegalArgumentException if they are not WTF-8
     */
    static String decode(byte[] a, int p, int n) {
        if (isAscii(a, p, n)) {
            return new String(a, p, n, StandardCharsets.ISO_8859_1);
        }
        int end = p + n;
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

    /** Whether the {@code n} bytes at {@code p} are all ASCII (then they decode to their own chars). */
    static boolean isAscii(byte[] a, int p, int n) {
        int i = p;
        int end = p + n;
        // Eight bytes at a time: the names are tens of bytes, and each record's text is looked at when it
        // is read and again when its row is made (a harness of that path: about a tenth faster than a byte
        // at a time).
        for (; i <= end - 8; i += 8) {
            if (((long) WORD.get(a, i) & HIGH_BITS) != 0) {
                return false;
            }
        }
        for (; i < end; i++) {
            if (a[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the {@code n} bytes at {@code p} are all 0x01 to 0x7F: ASCII without U+0000, the same
     * bytes in this encoding and in UTF-8, and no character PostgreSQL's text refuses.
     */
    static boolean isPlain(byte[] a, int p, int n) {
        int i = p;
        int end = p + n;
        for (; i <= end - 8; i += 8) {
            long w = (long) WORD.get(a, i);
            // With no high bit set, (w - 0x01..) & ~w has a byte's high bit set exactly when some byte is 0.
            if ((w & HIGH_BITS) != 0 || ((w - LOW_BITS) & ~w & HIGH_BITS) != 0) {
                return false;
            }
        }
        for (; i < end; i++) {
            if (a[i] <= 0) {
                return false;
            }
        }
        return true;
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
