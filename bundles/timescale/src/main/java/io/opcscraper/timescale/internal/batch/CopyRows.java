package io.opcscraper.timescale.internal.batch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import io.opcscraper.timescale.internal.spool.SampleFields;

/**
 * The rows of one COPY in network byte order, written straight into one array (grown by doubling
 * when a row does not fit the estimate), for {@link BinaryCopyEncoder}: from {@code Sample}s' Strings
 * or from spooled records' fields ({@link SampleFields}). Remembers the batch's client ids. Not
 * thread-safe; one per encoding.
 */
final class CopyRows implements SampleFields {

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** The text fields whose rows mostly repeat one value (see {@link SampleFields#text}). */
    static final int CLIENT_ID = 1;
    static final int SENSOR_NAME = 2;

    byte[] a;
    int p;
    /** The last String of each repeated field (client id, sensor name) and its UTF-8 bytes. */
    private final String[] lastText = new String[2];
    private final byte[][] lastUtf8 = new byte[2][];
    /** The last record bytes of each repeated field that was not plain ASCII, and their UTF-8 bytes. */
    private final byte[][] lastRecordText = new byte[2][];
    private final byte[][] lastRecordUtf8 = new byte[2][];
    /** The record bytes of the last client id, and every client id of the rows. */
    private byte[] lastClientIdBytes;
    private final Set<String> clientIds = new LinkedHashSet<>();

    CopyRows(int estimate) {
        this.a = new byte[estimate];
    }

    Set<String> clientIds() {
        return this.clientIds;
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

    void bytes(byte[] b, int from, int n) {
        ensure(n);
        System.arraycopy(b, from, this.a, this.p, n);
        this.p += n;
    }

    /** A text field: its UTF-8 length and bytes, -1 for NULL; U+0000 as U+FFFD (see {@link BinaryCopyEncoder}). */
    void text(String value) {
        if (value == null) {
            putInt(-1);
        } else {
            field(utf8(value));
        }
    }

    /**
     * Text field {@code k} ({@link #CLIENT_ID} or {@link #SENSOR_NAME}), whose rows mostly repeat one
     * String (shared by a poll's samples): coded once while it repeats.
     */
    void repeatedText(int k, String value) {
        if (value == null) {
            putInt(-1);
            return;
        }
        int slot = k - 1;
        if (value != this.lastText[slot]) {
            this.lastText[slot] = value;
            this.lastUtf8[slot] = utf8(value);
            if (k == CLIENT_ID) {
                this.clientIds.add(value);
            }
        }
        field(this.lastUtf8[slot]);
    }

    @Override
    public void timestamp(long epochSecond, int nano) {
        putInt(8);
        putLong(BinaryCopyEncoder.micros(epochSecond, nano) - BinaryCopyEncoder.POSTGRES_EPOCH_MICROS);
    }

    /**
     * A record's text field: plain ASCII without U+0000 (what node ids and names nearly always are)
     * is the same bytes in UTF-8 and in the record's generalized UTF-8, so they are copied as they
     * are; anything else takes the String's way ({@link #utf8}), so the row is the same either way.
     */
    @Override
    public void text(int k, byte[] record, int at, int n) {
        if (k == CLIENT_ID) {
            noteClientId(record, at, n);
        }
        if (n < 0) {
            putInt(-1);
        } else if (SampleFields.isPlain(record, at, n)) {
            putInt(n);
            bytes(record, at, n);
        } else if (k == CLIENT_ID || k == SENSOR_NAME) {
            int slot = k - 1;
            byte[] last = this.lastRecordText[slot];
            if (last == null || !Arrays.equals(last, 0, last.length, record, at, at + n)) {
                this.lastRecordText[slot] = Arrays.copyOfRange(record, at, at + n);
                this.lastRecordUtf8[slot] = utf8(SampleFields.decode(record, at, n));
            }
            field(this.lastRecordUtf8[slot]);
        } else {
            field(utf8(SampleFields.decode(record, at, n)));
        }
    }

    /** The Sample's way: {@code Double.doubleToLongBits}, so every NaN is the one canonical NaN. */
    @Override
    public void value(boolean present, long rawBits) {
        if (present) {
            putInt(8);
            putLong(Double.doubleToLongBits(Double.longBitsToDouble(rawBits)));
        } else {
            putInt(-1);
        }
    }

    @Override
    public void quality(long quality) {
        putInt(8);
        putLong(quality);
    }

    private void noteClientId(byte[] record, int at, int n) {
        byte[] last = this.lastClientIdBytes;
        if (n >= 0 && (last == null || !Arrays.equals(last, 0, last.length, record, at, at + n))) {
            this.lastClientIdBytes = Arrays.copyOfRange(record, at, at + n);
            this.clientIds.add(SampleFields.decode(record, at, n));
        }
    }

    /** A text field of these UTF-8 bytes: their length, then them. */
    private void field(byte[] utf8) {
        putInt(utf8.length);
        bytes(utf8, 0, utf8.length);
    }

    private static byte[] utf8(String value) {
        return value.indexOf('\u0000') < 0 ? value.getBytes(StandardCharsets.UTF_8)
                : value.replace('\u0000', '\uFFFD').getBytes(StandardCharsets.UTF_8);
    }

    private void ensure(int n) {
        if (this.p + n > this.a.length) {
            this.a = Arrays.copyOf(this.a, Math.max(this.a.length * 2, this.p + n));
        }
    }
}
