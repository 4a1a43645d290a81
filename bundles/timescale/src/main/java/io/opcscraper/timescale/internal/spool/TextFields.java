package io.opcscraper.timescale.internal.spool;

import java.util.Arrays;

/**
 * The four text fields of the records one coder meets, one sample after another (node id, client
 * id, sensor name, tag name): what it coded last for each, so a field that repeats is not coded
 * again. The samples of one poll, one subscription interval or one read of the spool share their
 * client id and sensor name, so most records measure those two fields once (encoding: the same
 * String instance) and most decoded samples share one String for each (decoding: the same bytes);
 * every field is measured once for both the record's size and its encoding. One per encoder or
 * read; not thread-safe.
 */
final class TextFields {

    static final int COUNT = 4;
    /** The fields whose decoded Strings are shared while their bytes repeat: client id, sensor name. */
    private static final int FIRST_SHARED = 1;
    private static final int LAST_SHARED = 2;
    /** A shared field longer than this is decoded each time (its bytes are not kept). */
    private static final int MAX_SHARED_BYTES = 256;

    private final String[] measured = new String[COUNT];
    /** {@link Wtf8#length} of {@code measured[k]}, -1 for null. */
    private final long[] lengths = new long[COUNT];
    private final boolean[] valid = new boolean[COUNT];

    private final String[] decoded = new String[COUNT];
    private final byte[][] decodedBytes = new byte[COUNT][];

    /** The encoded length of {@code s} as field {@code k} (-1 for null): measured only when it is not the last one's. */
    long length(int k, String s) {
        if (!this.valid[k] || s != this.measured[k]) {
            this.measured[k] = s;
            this.lengths[k] = s == null ? -1 : Wtf8.length(s);
            this.valid[k] = true;
        }
        return this.lengths[k];
    }

    /**
     * The string of the {@code n} bytes at {@code p} as field {@code k}: the last one decoded for
     * that field when its bytes are the same.
     *
     * @throws IllegalArgumentException if they are not WTF-8
     */
    String decode(int k, byte[] a, int p, int n) {
        if (k < FIRST_SHARED || k > LAST_SHARED || n > MAX_SHARED_BYTES) {
            return Wtf8.decode(a, p, n);
        }
        byte[] last = this.decodedBytes[k];
        if (last != null && Arrays.equals(last, 0, last.length, a, p, p + n)) {
            return this.decoded[k];
        }
        String s = Wtf8.decode(a, p, n);
        this.decoded[k] = s;
        this.decodedBytes[k] = Arrays.copyOfRange(a, p, p + n);
        return s;
    }
}
