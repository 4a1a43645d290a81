package io.opcscraper.opcua.internal.poller;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.api.CatalogNode;
import io.opcscraper.api.Sample;
import io.opcscraper.api.SampleSink;
import io.opcscraper.opcua.internal.history.GapTracker;

/**
 * The way from fresh samples to the sink, shared by polling and subscribing: the store-on-change
 * filter if configured, then the bounded pending buffer, then the sink. With the history backfill
 * on, it also tells the {@link GapTracker} what was handed over and what may have been missed.
 */
final class SampleOutlet {

    private static final Logger LOG = LoggerFactory.getLogger(SampleOutlet.class);

    private final SampleSink sink;
    private final ChangeFilter changes;
    private final PollerState state;
    /** Null while the backfill is off. */
    private final GapTracker gaps;

    SampleOutlet(SampleSink sink, PollerOptions options, PollerState state) {
        this.sink = sink;
        this.changes = options.storeOnChange() ? new ChangeFilter(options.heartbeatIntervalMs()) : null;
        this.state = state;
        this.gaps = options.backfills() ? state.gaps() : null;
    }

    /** Values of every node may be missed from now on: the session is lost. */
    void missedAll() {
        if (this.gaps != null) {
            this.gaps.openAll();
        }
    }

    /** Values of these nodes were missed: their read failed. */
    void missed(Collection<String> nodeIds) {
        if (this.gaps != null) {
            this.gaps.open(nodeIds);
        }
    }

    /** Hands the fresh samples (changed ones only, with store on change) and any pending ones to the sink. */
    void deliver(List<Sample> fresh, Instant now) {
        this.state.read(fresh.size());
        if (this.changes != null) {
            this.changes.retainChanged(fresh, now);
        }
        if (this.gaps != null) {
            this.gaps.live(fresh);
        }
        this.state.pending().deliver(this.sink, fresh);
    }

    /**
     * A new catalog is sampled: tells the sink (for its node catalog) and forgets the change
     * state of nodes no longer sampled.
     */
    void catalogChanged(String clientId, List<CatalogNode> nodes) {
        if (this.changes != null) {
            this.changes.retainNodes(nodes.stream().map(CatalogNode::nodeId).collect(Collectors.toSet()));
        }
        if (this.gaps != null) {
            this.gaps.catalog(nodes);
        }
        try {
            this.sink.catalog(clientId, nodes);
        } catch (RuntimeException e) {
            LOG.warn("{}: the writer did not take the catalog: {}",
                    clientId, e.toString());
        }
    }

    PendingSamples pending() {
        return this.state.pending();
    }
}
