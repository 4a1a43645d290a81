package io.opcscraper.timescale.internal.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * The word-at-a-time scans of {@link Wtf8} against a byte-at-a-time reference: every length up to
 * three words, every offset within a word, and each kind of byte that matters (U+0000, DEL, a high
 * byte) at every position, alone and next to another, so a mistake in a word's mask or in the tail
 * after the last whole word shows.
 */
class Wtf8ScanTest {

    private static final byte[] SPECIAL = {0, 1, 0x7F, (byte) 0x80, (byte) 0xC3, (byte) 0xFF, 'a'};

    @Test
    void scansAgreeWithTheByteAtATimeReference() {
        int checked = 0;
        for (int offset = 0; offset < 9; offset++) {
            for (int n = 0; n <= 24; n++) {
                for (int at = -1; at < n; at++) {
                    for (byte special : SPECIAL) {
                        for (int second = -1; second < n; second += Math.max(1, n / 3)) {
                            byte[] a = new byte[offset + n + 9];
                            Arrays.fill(a, (byte) 0xFF); // outside the range: must not be looked at
                            Arrays.fill(a, offset, offset + n, (byte) 'x');
                            if (at >= 0) {
                                a[offset + at] = special;
                            }
                            if (second >= 0) {
                                a[offset + second] = (byte) (special ^ 0x40);
                            }
                            String what = Arrays.toString(Arrays.copyOfRange(a, offset, offset + n));
                            assertEquals(referenceAscii(a, offset, n), Wtf8.isAscii(a, offset, n), "isAscii of " + what);
                            assertEquals(referencePlain(a, offset, n), Wtf8.isPlain(a, offset, n), "isPlain of " + what);
                            checked++;
                        }
                    }
                }
            }
        }
        assertEquals(true, checked > 10_000, "cases checked: " + checked);
    }

    private static boolean referenceAscii(byte[] a, int p, int n) {
        for (int i = p; i < p + n; i++) {
            if (a[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean referencePlain(byte[] a, int p, int n) {
        for (int i = p; i < p + n; i++) {
            if (a[i] <= 0) {
                return false;
            }
        }
        return true;
    }
}
