package io.opcscraper.opcua.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.opcscraper.api.Sample;
import io.opcscraper.api.SampleSink;

/** A sink that keeps every sample in memory, for tests. */
public final class CollectingSink implements SampleSink {

    private final List<Sample> samples = new ArrayList<>();

    @Override
    public synchronized void accept(List<Sample> batch) {
        this.samples.addAll(batch);
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
