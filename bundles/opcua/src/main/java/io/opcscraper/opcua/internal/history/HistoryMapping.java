package io.opcscraper.opcua.internal.history;

import java.time.Instant;
import java.util.List;

import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;

import io.opcscraper.api.CatalogNode;
import io.opcscraper.api.Sample;

/** How a value from the history becomes samples: the poller's own rules, with the value's own time. */
public interface HistoryMapping {

    /** The time a value is stored at (its source time, or server time, as configured), or null when it has none. */
    Instant time(DataValue value);

    /** Adds the samples of a value that has a {@link #time} to {@code out}. */
    void map(CatalogNode node, DataValue value, List<Sample> out);

    /** Reports what the mapping noted (once per kind), after a round. */
    void report();
}
