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
 * Samples the sink could not take yet, kept in memory up to a bound and offered again first at
 * the next delivery. Beyond the bound the oldest are dropped, counted and logged: memory stays
 * bounded whatever the sink does. (The writer's own spool is where durability lives; this only
 * bridges a writer that is restarting or not configured yet.)
 */
final class PendingSamples {

    static final int MAX_PENDING = 100_000;
    private static final Logger LOG = LoggerFactory.getLogger(PendingSamples.class);

    private final String owner;
    private final ArrayDeque<Sample> pending = new ArrayDeque<>();
    private long dropped;
    private boolean sinkDown;
    private volatile String sinkProblem;

    PendingSamples(String owner) {
        this.owner = owner;
    }

    /** Hands the pending samples, then {@code fresh}, to the sink. */
    synchronized void deliver(SampleSink sink, List<Sample> fresh) {
        this.pending.addAll(fresh);
        int overflow = this.pending.size() - MAX_PENDING;
        if (overflow > 0) {
            for (int i = 0; i < overflow; i++) {
                this.pending.pollFirst();
            }
            this.dropped += overflow;
            LOG.error("{}: the writer has not taken samples for a while; dropped the {} oldest ({} dropped in all)",
                    this.owner, overflow, this.dropped);
        }
        if (this.pending.isEmpty()) {
            return;
        }
        List<Sample> batch = new ArrayList<>(this.pending);
        try {
            sink.accept(batch);
            this.pending.clear();
            if (this.sinkDown) {
                LOG.info("{}: the writer takes samples again", this.owner);
                this.sinkDown = false;
                this.sinkProblem = null;
            }
        } catch (SinkUnavailableException | RuntimeException e) {
            if (!this.sinkDown) {
                LOG.warn("{}: the writer does not take samples ({}); keeping up to {} in memory", this.owner,
                        e.getMessage(), MAX_PENDING);
                this.sinkDown = true;
            }
            this.sinkProblem = "the writer does not take samples: " + e.getMessage();
        }
    }

    synchronized int size() {
        return this.pending.size();
    }

    /** Why the writer did not take the last batch, or {@code null} when it did. */
    String sinkProblem() {
        return this.sinkProblem;
    }

    synchronized long dropped() {
        return this.dropped;
    }
}
