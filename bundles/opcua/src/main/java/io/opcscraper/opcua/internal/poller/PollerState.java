package io.opcscraper.opcua.internal.poller;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What outlives one sampler of a poller instance: a configuration change replaces the poll loop
 * or subscription, but keeps the samples the writer has not taken yet and the counters a user
 * reads.
 */
final class PollerState {

    private final LongAdder read = new LongAdder();
    private final LongAdder undecoded = new LongAdder();
    private final PendingSamples pending;
    private final AtomicReference<String> readProblem = new AtomicReference<>();

    PollerState(String owner) {
        this.pending = new PendingSamples(owner);
    }

    void read(int samples) {
        this.read.add(samples);
    }

    long read() {
        return this.read.sum();
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

    /** The problem a user should see first: the server's, else the writer's, else none. */
    String lastError() {
        String problem = this.readProblem.get();
        return problem != null ? problem : this.pending.sinkProblem();
    }
}
