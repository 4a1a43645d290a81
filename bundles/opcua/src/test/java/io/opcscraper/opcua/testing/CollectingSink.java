package io.opcscraper.opcua.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.opcscraper.api.Sample;
import io.opcscraper.api.SampleSink;
import io.opcscraper.api.SinkUnavailableException;

/** A sink that keeps every sample in memory, for tests. */
public final class CollectingSink implements SampleSink {

    private final List<Sample> samples = new ArrayList<>();
    private String refusal;

    @Override
    public synchronized void accept(List<Sample> batch) throws SinkUnavailableException {
        if (this.refusal != null) {
            throw new SinkUnavailableException(this.refusal);
        }
        this.samples.addAll(batch);
    }

    /** Refuses every batch with this reason from now on; {@code null} takes them again. */
    public synchronized void refuse(String reason) {
        this.refusal = reason;
    }

    public synchronized List<Sample> samples() {
        return new ArrayList<>(this.samples);
    }

    public synchronized List<Sample> matching(Predicate<Sample> filter) {
        return this.samples.stream().filter(filter).toList();
    }

    public synchronized void clear() {
        this.samples.clear();
    }
}
