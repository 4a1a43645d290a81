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
}
