package io.opcscraper.opcua.internal.poller;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import io.opcscraper.opcua.internal.history.BackfillState;
import io.opcscraper.opcua.internal.history.GapTracker;

/**
 * What outlives one sampler of a poller instance: a configuration change replaces the poll loop
 * or subscription, but keeps the samples the writer has not taken yet, the counters a user
 * reads, and where each node's collection had a gap (so a new sampler knows what was handed over).
 */
final class PollerState {

    private final LongAdder read = new LongAdder();
    private final LongAdder undecoded = new LongAdder();
    private final PendingSamples pending;
    private final AtomicReference<String> readProblem = new AtomicReference<>();
    private final GapTracker gaps;
    private final BackfillState backfill = new BackfillState();

    PollerState(String owner) {
        this.pending = new PendingSamples(owner);
        this.gaps = new GapTracker(owner);
    }

    GapTracker gaps() {
        return this.gaps;
    }

    BackfillState backfill() {
        return this.backfill;
    }

    void read(int samples) {
        this.read.add(samples);
    }

    /** Values read from the server and turned into samples: live and from the history. */
    long read() {
        return this.read.sum() + this.backfill.backfilled();
    }

    /** Structured values read but not decoded (no rows). */
    LongAdder undecoded() {
        return this.undecoded;
    }

    PendingSamples pending() {
        return this.pending;
    }

    /** The current problem reading from the server, or {@code null} once reads succeed again. */
    void readProblem(String problem) {
        this.readProblem.set(problem);
    }

    /** The problem a user should see first: the server's, else the writer's, else the backfill's, else none. */
    String lastError() {
        String problem = this.readProblem.get();
        if (problem == null) {
            problem = this.pending.sinkProblem();
        }
        return problem != null ? problem : this.backfill.problem();
    }
}
