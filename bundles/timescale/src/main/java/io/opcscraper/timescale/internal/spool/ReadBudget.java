package io.opcscraper.timescale.internal.spool;

/**
 * How much one read may still return: samples and encoded bytes (at least one sample, whatever its
 * size, so a read always makes progress). Bounding a read in bytes bounds the writer's batches in
 * memory however large the samples are. Not thread-safe: one read.
 */
final class ReadBudget {

    private int samples;
    private long bytes;
    private boolean first = true;

    ReadBudget(int samples, long bytes) {
        this.samples = samples;
        this.bytes = bytes;
    }

    /** Whether a record of {@code recordBytes} still fits (the first one always does). */
    boolean fits(int recordBytes) {
        return this.samples > 0 && (this.first || recordBytes <= this.bytes);
    }

    /** Whether nothing more fits. */
    boolean spent() {
        return this.samples <= 0 || this.bytes <= 0 && !this.first;
    }

    /** A record of {@code recordBytes} was taken. */
    void take(int recordBytes) {
        this.samples--;
        this.bytes -= recordBytes;
        this.first = false;
    }
}
