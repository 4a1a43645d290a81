package io.opcscraper.opcua.internal.poller;

import java.time.Instant;
import java.util.List;

import io.opcscraper.api.Sample;
import io.opcscraper.api.SampleSink;

/**
 * The way from fresh samples to the sink, shared by polling and subscribing: the store-on-change
 * filter if configured, then the bounded pending buffer, then the sink.
 */
final class SampleOutlet {

    private final SampleSink sink;
    private final ChangeFilter changes;
    private final PendingSamples pending;

    SampleOutlet(String clientId, SampleSink sink, PollerOptions options) {
        this.sink = sink;
        this.changes = options.storeOnChange() ? new ChangeFilter(options.heartbeatIntervalMs()) : null;
        this.pending = new PendingSamples(clientId);
    }

    /** Hands the fresh samples (changed ones only, with store on change) and any pending ones to the sink. */
    void deliver(List<Sample> fresh, Instant now) {
        if (this.changes != null) {
            this.changes.retainChanged(fresh, now);
        }
        this.pending.deliver(this.sink, fresh);
    }

    /** Forgets change state of nodes no longer sampled. */
    void retainNodes(java.util.Set<String> nodeIds) {
        if (this.changes != null) {
            this.changes.retainNodes(nodeIds);
        }
    }

    PendingSamples pending() {
        return this.pending;
    }
}
