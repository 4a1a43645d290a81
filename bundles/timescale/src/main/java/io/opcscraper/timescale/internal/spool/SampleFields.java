package io.opcscraper.timescale.internal.spool;

/**
 * Receives a spooled sample's fields straight from its record ({@link SpooledSample#fields}), in the
 * table's column order: {@link #timestamp}, then {@link #text} for the node id, the client id, the
 * sensor name and the tag name, then {@link #value} and {@link #quality}. Text comes as the record's
 * own bytes, generalized UTF-8 ({@link #decode} makes the exact String of them), so a row can be
 * written without a String for each field.
 */
public interface SampleFields {

    /** The source timestamp: seconds since the epoch and the nanoseconds within that second. */
    void timestamp(long epochSecond, int nano);

    /**
     * Text field {@code k} (0 node id, 1 client id, 2 sensor name, 3 tag name): its {@code n}
     * bytes at {@code p} of {@code a}, or {@code n == -1} for null. Only valid during the call.
     */
    void text(int k, byte[] a, int p, int n);

    /** The value's raw IEEE 754 bits as appended, or {@code present == false} for no value. */
    void value(boolean present, long rawBits);

    /** The quality (OPC UA StatusCode bits). */
    void quality(long quality);

    /**
     * The String that {@link #text} bytes stand for, exactly as appended.
     *
     * @throws IllegalArgumentException if they are not generalized UTF-8 (a record read from disk
     *         is checked when it is read, so this does not happen for a spooled sample)
     */
    static String decode(byte[] a, int p, int n) {
        return Wtf8.decode(a, p, n);
    }

    /**
     * Whether {@link #text} bytes are 0x01 to 0x7F only: ASCII without U+0000, so they are the
     * same bytes in UTF-8 and can be copied as they are.
     */
    static boolean isPlain(byte[] a, int p, int n) {
        return Wtf8.isPlain(a, p, n);
    }
}
