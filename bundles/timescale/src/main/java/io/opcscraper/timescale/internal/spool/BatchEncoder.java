package io.opcscraper.timescale.internal.spool;

import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

import io.opcscraper.api.Sample;

/** Encodes a batch of records into one buffer, so that it is written with one write. Not thread-safe. */
final class BatchEncoder {

    private static final int INITIAL = 64 << 10;
    /** A buffer grown beyond this for a large batch is not kept for the next one. */
    private static final int KEEP = 4 << 20;

    private final CRC32C crc = new CRC32C();
    private final TextFields texts = new TextFields();
    private byte[] buf = new byte[INITIAL];
    private int length;

    /**
     * Encodes the samples with sequence numbers from {@code firstSequence}, replacing what the
     * buffer held.
     *
     * @throws IllegalArgumentException if a sample is too large for a record
     */
    void encode(List<Sample> samples, long firstSequence) {
        this.length = 0;
        long seq = firstSequence;
        for (Sample sample : samples) {
            int size = SampleCodec.recordSize(sample, this.texts);
            ensure(size);
            this.length = SampleCodec.encode(this.buf, this.length, size, seq++, sample, this.texts, this.crc);
        }
    }

    byte[] array() {
        return this.buf;
    }

    int length() {
        return this.length;
    }

    /** Lets go of a buffer a large batch grew. */
    void trim() {
        if (this.buf.length > KEEP) {
            this.buf = new byte[INITIAL];
        }
        this.length = 0;
    }

    private void ensure(int more) {
        long need = (long) this.length + more;
        if (need > this.buf.length) {
            if (need > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("batch too large for the spool: more than 2 GiB encoded");
            }
            long grown = Math.max(need, Math.min((long) this.buf.length * 2, Integer.MAX_VALUE - 16));
            this.buf = Arrays.copyOf(this.buf, (int) grown);
        }
    }
}
