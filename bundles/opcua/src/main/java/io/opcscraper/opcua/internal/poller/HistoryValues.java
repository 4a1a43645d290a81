package io.opcscraper.opcua.internal.poller;

import java.time.Instant;
import java.util.List;

import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;

import io.opcscraper.api.CatalogNode;
import io.opcscraper.api.Sample;
import io.opcscraper.opcua.internal.history.HistoryMapping;

/**
 * Values from the server's history become samples by the same rules as live values
 * ({@link SampleMapper}), stamped with their own time under {@code timestamp.source}
 * ({@link TimestampPolicy#recorded}): a value without one is not stored.
 */
final class HistoryValues implements HistoryMapping {

    private final TimestampPolicy timestamps;
    private final SampleMapper mapper;

    HistoryValues(String clientId, TimestampPolicy timestamps) {
        this.timestamps = timestamps;
        this.mapper = new SampleMapper(clientId, timestamps);
    }

    @Override
    public Instant time(DataValue value) {
        return this.timestamps.recorded(value);
    }

    @Override
    public void map(CatalogNode node, DataValue value, List<Sample> out) {
        Instant time = time(value);
        if (time != null) {
            this.mapper.map(node, value, time, out);
        }
    }

    @Override
    public void report() {
        this.mapper.report();
    }
}
