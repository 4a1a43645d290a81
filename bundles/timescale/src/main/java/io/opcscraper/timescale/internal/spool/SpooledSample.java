package io.opcscraper.timescale.internal.spool;

import io.opcscraper.api.Sample;

/**
 * A sample as the spool holds it: its record's payload ({@link SampleCodec}), read field by field
 * ({@link #fields}) into a COPY row without becoming a {@link Sample} first, or decoded into one
 * ({@link #sample}) where a Sample is needed (the quarantine). The payload is a range of an array
 * that is never written again: the memory tail's chunk, or a copy of a record read from disk.
 */
public final class SpooledSample {

    private final long sequence;
    private final byte[] record;
    private final int payload;
    private final int payloadLength;

    SpooledSample(long sequence, byte[] record, int payload, int payloadLength) {
        this.sequence = sequence;
        this.record = record;
        this.payload = payload;
        this.payloadLength = payloadLength;
    }

    /** Its sequence number: unique in the spool, growing with the order of appends. */
    public long sequence() {
        return this.sequence;
    }

    /** The size of its record in the spool (what memory bounds count). */
    public int encodedBytes() {
        return SampleCodec.RECORD_HEADER + this.payloadLength;
    }

    /** The sample, exactly as appended (decoded at each call). */
    public Sample sample() {
        return SampleCodec.decode(this.record, this.payload, this.payloadLength, new TextFields());
    }

    /** Hands its fields to {@code out} in the table's column order. */
    public void fields(SampleFields out) {
        SampleCodec.fields(this.record, this.payload, this.payloadLength, out);
    }

    @Override
    public String toString() {
        return "SpooledSample[" + this.sequence + "]";
    }
}
