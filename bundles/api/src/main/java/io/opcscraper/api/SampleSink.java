package io.opcscraper.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where samples go: the TimescaleDB writer provides it, the poller calls it.
 */
@ProviderType
public interface SampleSink {

    /**
     * Takes the samples. When this returns normally the sink holds them durably: they are
     * written to the database or will be, even if the database is down or the gateway restarts.
     *
     * @throws SinkUnavailableException when the sink cannot take them now; the caller keeps them
     */
    void accept(List<Sample> samples) throws SinkUnavailableException;

    /**
     * The current catalog of one client, each time it changes, so the sink can keep a catalog of
     * node names beside the samples. Best effort: a sink that keeps no catalog ignores it.
     */
    default void catalog(String clientId, List<CatalogNode> nodes) {
        // a sink without a catalog ignores it
    }

    /**
     * For each node of one client, the timestamp of the newest sample this sink has stored with a
     * timestamp before the node's time: where a gap in the collection begins, so a poller can
     * fill it from the server's history without storing anything twice. "Stored" covers every
     * sample this sink accepted before the call, so a sink that cannot tell that now (its
     * database unreachable, samples accepted earlier not in it yet) throws rather than answer
     * from part of what it holds. Since 1.2.
     *
     * @param clientId the client id of the samples
     * @param nodes the nodes and their times; a caller asks for a bounded number at a time
     * @return node id to the newest stored timestamp before its time (at the sink's precision:
     *         microseconds for the TimescaleDB writer); a node with no such sample is absent
     * @throws SinkUnavailableException when the sink cannot tell now; ask again later
     */
    default Map<String, Instant> lastStored(String clientId, List<NodeTime> nodes) throws SinkUnavailableException {
        throw new SinkUnavailableException("this sink does not tell what it stored");
    }

    /**
     * Samples this sink has accepted that are not in their final store yet (for the TimescaleDB
     * writer: in the spool, not committed). A caller that adds many samples at once which are
     * not urgent (the history backfill) waits while it is high, so that live samples never queue
     * behind them. 0 for a sink that does not tell. Cheap, no I/O. Since 1.2.
     */
    default long backlog() {
        return 0;
    }
}
