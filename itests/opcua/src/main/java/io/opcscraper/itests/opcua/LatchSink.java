package io.opcscraper.itests.opcua;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.opcscraper.api.Sample;
import io.opcscraper.api.SampleSink;

/** A SampleSink service for tests: keeps samples and opens a latch once enough distinct nodes arrived. */
final class LatchSink implements SampleSink {

    private final List<Sample> samples = new ArrayList<>();
    private final Set<String> nodes = new HashSet<>();
    private final int expectedNodes;
    private final CountDownLatch enough = new CountDownLatch(1);

    LatchSink(int expectedNodes) {
        this.expectedNodes = expectedNodes;
    }

    @Override
    public synchronized void accept(List<Sample> batch) {
        this.samples.addAll(batch);
        batch.forEach(s -> this.nodes.add(s.nodeId()));
        if (this.nodes.size() >= this.expectedNodes) {
            this.enough.countDown();
        }
        notifyAll();
    }

    boolean awaitNodes(long seconds) throws InterruptedException {
        return this.enough.await(seconds, TimeUnit.SECONDS);
    }

    synchronized List<Sample> samples() {
        return new ArrayList<>(this.samples);
    }
}
