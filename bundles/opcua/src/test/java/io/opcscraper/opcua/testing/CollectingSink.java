package io.opcscraper.opcua.testing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.opcscraper.api.NodeTime;
import io.opcscraper.api.Sample;
import io.opcscraper.api.SampleSink;
import io.opcscraper.api.SinkUnavailableException;

/**
 * A sink that keeps every sample in memory, for tests; it tells what it stored as the writer does
 * (the newest timestamp of a node before a time, in microseconds).
 */
public final class CollectingSink implements SampleSink {

    private final List<Sample> samples = new ArrayList<>();
    /** The thread that handed over each sample (same index), for a failing test to say where a sample came from. */
    private final List<String> threads = new ArrayList<>();
    private String refusal;
    private String cannotTell;
    private int lastStoredCalls;

    @Override
    public synchronized void accept(List<Sample> batch) throws SinkUnavailableException {
        if (this.refusal != null) {
            throw new SinkUnavailableException(this.refusal);
        }
        this.samples.addAll(batch);
        String thread = Thread.currentThread().getName();
        batch.forEach(sample -> this.threads.add(thread));
    }

    @Override
    public synchronized Map<String, Instant> lastStored(String clientId, List<NodeTime> nodes)
            throws SinkUnavailableException {
        this.lastStoredCalls++;
        if (this.cannotTell != null) {
            throw new SinkUnavailableException(this.cannotTell);
        }
        Map<String, Instant> before = new HashMap<>();
        nodes.forEach(n -> before.put(n.nodeId(), n.time().truncatedTo(ChronoUnit.MICROS)));
        Map<String, Instant> newest = new HashMap<>();
        for (Sample sample : this.samples) {
            Instant bound = before.get(sample.nodeId());
            Instant time = sample.timestamp().truncatedTo(ChronoUnit.MICROS);
            if (bound != null && clientId.equals(sample.clientId()) && time.isBefore(bound)) {
                newest.merge(sample.nodeId(), time, (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        return newest;
    }

    /** Refuses every batch with this reason from now on; {@code null} takes them again. */
    public synchronized void refuse(String reason) {
        this.refusal = reason;
    }

    /** lastStored throws with this reason from now on, as a writer whose database is down; {@code null} answers again. */
    public synchronized void cannotTell(String reason) {
        this.cannotTell = reason;
    }

    public synchronized int lastStoredCalls() {
        return this.lastStoredCalls;
    }

    public synchronized List<Sample> samples() {
        return new ArrayList<>(this.samples);
    }

    public synchronized List<Sample> matching(Predicate<Sample> filter) {
        return this.samples.stream().filter(filter).toList();
    }

    /** The samples matching {@code filter}, each as its timestamp and the thread that handed it over, in arrival order. */
    public synchronized List<String> origins(Predicate<Sample> filter) {
        List<String> origins = new ArrayList<>();
        for (int i = 0; i < this.samples.size(); i++) {
            if (filter.test(this.samples.get(i))) {
                origins.add(this.samples.get(i).timestamp() + " by " + this.threads.get(i));
            }
        }
        return origins;
    }

    public synchronized void clear() {
        this.samples.clear();
        this.threads.clear();
    }
}
