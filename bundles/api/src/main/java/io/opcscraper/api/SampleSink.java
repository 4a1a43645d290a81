package io.opcscraper.api;

import java.util.List;

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
}
