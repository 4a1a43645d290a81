package io.opcscraper.opcua.internal.poller;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.api.Sample;
import io.opcscraper.api.SampleSink;
import io.opcscraper.api.SinkUnavailableException;

/**
 * Samples the sink could not take yet, kept in memory up to a bound in bytes ({@link SampleBytes})
 * and offered again first at the next delivery. Beyond the bound the oldest are dropped, counted
 * and logged: memory stays bounded whatever the sink does and whatever the samples hold. (The
 * writer's own spool is where durability lives; this only bridges a writer that is restarting or
 * not configured yet.)
 */
final class PendingSamples {

    /** 16 MiB: about 100,000 samples of plain variables, fewer of long structure paths. */
    static final long MAX_BYTES = 16L * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(PendingSamples.class);

    private final String owner;
    private final long maxBytes;
    private final ArrayDeque<Sample> pending = new ArrayDeque<>();
    private long bytes;
    private long dropped;
    private boolean sinkDown;
    private volatile String sinkProblem;

    PendingSamples(String owner) {
        this(owner, MAX_BYTES);
    }

    PendingSamples(String owner, long maxBytes) {
        this.owner = owner;
        this.maxBytes = maxBytes;
    }

    /**
     * Hands the pending samples, then {@code fresh}, to the sink; what it does not take waits here.
     * The bound applies to what waits, not to what passes: a poll larger than the bound reaches a
     * writer that takes it whole.
     */
    synchronized void deliver(SampleSink sink, List<Sample> fresh) {
        if (this.pending.isEmpty() && fresh.isEmpty()) {
            return;
        }
        List<Sample> batch = fresh;
        if (!this.pending.isEmpty()) {
            batch = new ArrayList<>(this.pending.size() + fresh.size());
            batch.addAll(this.pending);
            batch.addAll(fresh);
        }
        try {
            sink.accept(batch);
            this.pending.clear();
            this.bytes = 0;
            if (this.sinkDown) {
                LOG.info("{}: the writer takes samples again", this.owner);
                this.sinkDown = false;
                this.sinkProblem = null;
            }
        } catch (SinkUnavailableException | RuntimeException e) {
            if (!this.sinkDown) {
                LOG.warn("{}: the writer does not take samples ({}); keeping up to {} of them in memory",
                        this.owner, e.getMessage(), SampleBytes.describe(this.maxBytes));
                this.sinkDown = true;
            }
            this.sinkProblem = "the writer does not take samples: " + e.getMessage();
            keep(fresh);
        }
    }

    /** Adds {@code fresh} to what waits and drops the oldest beyond the bound, counted and logged. */
    private void keep(List<Sample> fresh) {
        for (Sample sample : fresh) {
            this.pending.addLast(sample);
            this.bytes += SampleBytes.of(sample);
        }
        int overflow = 0;
        while (this.bytes > this.maxBytes) {
            this.bytes -= SampleBytes.of(this.pending.pollFirst());
            overflow++;
        }
        if (overflow > 0) {
            this.dropped += overflow;
            LOG.error("{}: the writer has not taken samples for a while; dropped the {} oldest ({} dropped in all;"
                    + " up to {} are kept)", this.owner, overflow, this.dropped, SampleBytes.describe(this.maxBytes));
        }
    }

    synchronized int size() {
        return this.pending.size();
    }

    /** The estimated heap the pending samples hold ({@link SampleBytes}). */
    synchronized long bytes() {
        return this.bytes;
    }

    /** Why the writer did not take the last batch, or {@code null} when it did. */
    String sinkProblem() {
        return this.sinkProblem;
    }

    synchronized long dropped() {
        return this.dropped;
    }
}
