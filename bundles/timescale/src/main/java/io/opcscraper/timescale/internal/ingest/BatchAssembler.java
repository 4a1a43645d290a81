package io.opcscraper.timescale.internal.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.opcscraper.timescale.internal.ledger.ProgressLedger;
import io.opcscraper.timescale.internal.spool.Spool;
import io.opcscraper.timescale.internal.spool.SpooledSample;

/**
 * Cuts the spool into batches: consecutive samples after what was dispatched, skipping what already
 * committed (a batch never spans a committed range, so its own range overlaps nothing), at most
 * {@code batch.size} samples and {@value #MAX_BATCH_BYTES} bytes (as the spool encodes them) each, so
 * the batches in flight stay bounded in memory however large the samples are. A partial batch waits for more samples, at most {@code flush.interval.ms},
 * and only while nothing else is being written and the spool has room: past half its bound, waiting
 * could make it drop the very samples that wait (a small {@code spool.max.mb}, a fast source).
 * Writer thread only.
 */
final class BatchAssembler {

    /** The most encoded bytes of samples in one batch (at least one sample). */
    static final long MAX_BATCH_BYTES = 4L << 20;

    private final Spool spool;
    private final ProgressLedger ledger;
    private final int batchSize;
    private final long flushIntervalNanos;
    private long dispatchedUpTo;
    private long partialSinceNanos = -1;

    BatchAssembler(Spool spool, ProgressLedger ledger, int batchSize, int flushIntervalMs) {
        this.spool = spool;
        this.ledger = ledger;
        this.batchSize = batchSize;
        this.flushIntervalNanos = TimeUnit.MILLISECONDS.toNanos(flushIntervalMs);
    }

    /** A connect: nothing is dispatched beyond where the writer now stands. */
    void restartAt(long marker) {
        this.dispatchedUpTo = marker;
    }

    /**
     * The next batch to send, or an empty list when there is none yet (nothing waits, or a partial
     * batch may still grow).
     *
     * @param inFlight batches being written now
     */
    List<SpooledSample> next(int inFlight) throws IOException {
        List<SpooledSample> batch = new ArrayList<>();
        long cursor = fill(batch);
        if (batch.isEmpty()) {
            this.dispatchedUpTo = cursor;
            return batch;
        }
        long encoded = batch.stream().mapToLong(SpooledSample::encodedBytes).sum();
        boolean partial = batch.size() < this.batchSize && encoded < MAX_BATCH_BYTES;
        if (partial && this.spool.sizeBytes() <= this.spool.maxBytes() / 2) {
            long now = System.nanoTime();
            if (this.partialSinceNanos < 0) {
                this.partialSinceNanos = now;
            }
            if (inFlight > 0 || now - this.partialSinceNanos < this.flushIntervalNanos) {
                return List.of();
            }
        }
        this.partialSinceNanos = -1;
        this.dispatchedUpTo = cursor;
        return batch;
    }

    /** Fills the batch after what was dispatched; returns the cursor after it. */
    private long fill(List<SpooledSample> batch) throws IOException {
        // Everything at or below the marker is settled; the marker can pass what was never
        // dispatched (committed ranges read at connect, samples the spool dropped).
        long cursor = Math.max(this.dispatchedUpTo, this.ledger.marker());
        long bytes = 0;
        while (true) {
            List<SpooledSample> page = this.spool.read(cursor, this.batchSize - batch.size(),
                    Math.max(1, MAX_BATCH_BYTES - bytes));
            if (page.isEmpty()) {
                return cursor;
            }
            for (SpooledSample sample : page) {
                if (this.ledger.isCommitted(sample.sequence())) {
                    if (!batch.isEmpty()) {
                        return cursor;
                    }
                } else {
                    batch.add(sample);
                    bytes += sample.encodedBytes();
                }
                cursor = sample.sequence();
            }
            if (batch.size() >= this.batchSize || bytes >= MAX_BATCH_BYTES) {
                return cursor;
            }
        }
    }
}
