package io.opcscraper.timescale.internal.spool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;


/**
 * The newest samples of a spool in {@code on-backlog} mode, held in memory instead of on disk while
 * the database keeps up: each append's records exactly as they would be written to a segment
 * ({@link SampleCodec}), so going to disk is one write of the same bytes. Committed samples leave
 * without ever being written. Every sequence here is above every sequence on disk. Not
 * thread-safe: the spool guards it with its lock.
 */
final class MemoryTail {

    /** One append: its sequences, its encoded records, and when it was accepted ({@code System.nanoTime}). */
    record Chunk(long first, long last, byte[] records, long acceptedNanos) {
    }

    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private long bytes;

    void add(Chunk chunk) {
        this.chunks.addLast(chunk);
        this.bytes += chunk.records().length;
    }

    boolean isEmpty() {
        return this.chunks.isEmpty();
    }

    /** The encoded size of what it holds. */
    long bytes() {
        return this.bytes;
    }

    /** The first sequence it holds; only when not empty. */
    long first() {
        return this.chunks.getFirst().first();
    }

    /** The last sequence it holds; only when not empty. */
    long last() {
        return this.chunks.getLast().last();
    }

    /** When the oldest chunk was accepted; only when not empty. */
    long oldestNanos() {
        return this.chunks.getFirst().acceptedNanos();
    }

    /** Its chunks, oldest first (a copy: to be written to disk). */
    List<Chunk> chunks() {
        return new ArrayList<>(this.chunks);
    }

    /** Forgets the chunks whose samples are all at or below {@code upTo} (committed: never written). */
    void releaseUpTo(long upTo) {
        for (Iterator<Chunk> it = this.chunks.iterator(); it.hasNext();) {
            Chunk chunk = it.next();
            if (chunk.last() > upTo) {
                return;
            }
            it.remove();
            this.bytes -= chunk.records().length;
        }
    }

    /** Adds to {@code out}, in order, the samples after {@code after} within the budget. */
    void read(long after, ReadBudget budget, List<SpooledSample> out) {
        for (Chunk chunk : this.chunks) {
            if (budget.spent()) {
                return;
            }
            if (chunk.last() <= after) {
                continue;
            }
            byte[] a = chunk.records();
            int at = 0;
            while (at < a.length && !budget.spent()) {
                int length = (int) SampleCodec.INT.get(a, at + 4);
                int payload = at + SampleCodec.RECORD_HEADER;
                long sequence = (long) SampleCodec.LONG.get(a, payload);
                if (sequence > after) {
                    if (!budget.fits(SampleCodec.RECORD_HEADER + length)) {
                        return;
                    }
                    // The chunk's own bytes: it is never written again, and it stays here until
                    // every sample of it is committed.
                    out.add(new SpooledSample(sequence, a, payload, length));
                    budget.take(SampleCodec.RECORD_HEADER + length);
                }
                at = payload + length;
            }
        }
    }
}
