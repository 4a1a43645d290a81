package io.opcscraper.opcua.internal.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;

import io.opcscraper.api.CatalogNode;
import io.opcscraper.api.Sample;

/**
 * One round's reading: every group on the request threads, each page's values that fill their gap
 * ({@link GapRule#fills}, from where the gap got to) mapped to samples and delivered, and how far
 * each gap got, so what is left of it can be filled later.
 */
final class RoundFill {

    /** Hands samples to the writer (paced); throws when the backfill stops. */
    interface Delivery {
        void deliver(List<Sample> samples) throws GroupRead.Stopped;
    }

    /** The longest a group may take (its requests have timeouts; its pages wait for the writer). */
    static final long GROUP_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(30);

    private final GapTracker tracker;
    private final HistoryMapping mapping;
    private final Delivery delivery;
    /** The timestamp of the last value delivered per gap. */
    private final Map<Gap, Long> progress = new ConcurrentHashMap<>();
    private final LongAdder values = new LongAdder();
    private int largestGroup;

    RoundFill(GapTracker tracker, HistoryMapping mapping, Delivery delivery) {
        this.tracker = tracker;
        this.mapping = mapping;
        this.delivery = delivery;
    }

    List<GroupRead.Outcome> run(OpcUaClient client, List<List<Gap>> groups, int valuesPerRequest,
            ExecutorService threads, BooleanSupplier stopped) {
        List<Future<GroupRead.Outcome>> running = new ArrayList<>(groups.size());
        for (List<Gap> group : groups) {
            this.largestGroup = Math.max(this.largestGroup, group.size());
            running.add(threads.submit(() -> new GroupRead(client, valuesPerRequest, stopped).read(group, this::page)));
        }
        List<GroupRead.Outcome> outcomes = new ArrayList<>(groups.size());
        for (int i = 0; i < running.size(); i++) {
            try {
                outcomes.add(running.get(i).get(GROUP_TIMEOUT_MS, TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcomes.add(failed(groups.get(i), "interrupted"));
            } catch (ExecutionException | TimeoutException e) {
                running.get(i).cancel(true);
                outcomes.add(failed(groups.get(i), "a history read of " + groups.get(i).size() + " nodes "
                        + (e instanceof TimeoutException ? "did not end in " + GROUP_TIMEOUT_MS / 1000 + " s" : "failed: "
                                + e.getCause())));
            }
        }
        return outcomes;
    }

    private static GroupRead.Outcome failed(List<Gap> group, String reason) {
        return new GroupRead.Outcome(List.of(), group, Map.of(), HistoryFailures.Verdict.RETRY, reason);
    }

    /**
     * One response: the values that fill each of its gaps, in the server's order, to the writer in
     * one delivery; each gap's progress moves only once the writer has taken them.
     */
    private void page(List<Map.Entry<Gap, DataValue[]>> page) throws GroupRead.Stopped {
        List<Sample> samples = new ArrayList<>();
        Map<Gap, Long> reached = new HashMap<>();
        for (Map.Entry<Gap, DataValue[]> entry : page) {
            Gap gap = entry.getKey();
            CatalogNode node = this.tracker.node(gap.nodeId());
            if (node == null) {
                continue; // it left the catalog
            }
            long last = this.progress.getOrDefault(gap, gap.from());
            Gap rest = gap.from(last);
            for (DataValue value : entry.getValue()) {
                Instant time = this.mapping.time(value);
                if (time == null) {
                    continue;
                }
                long micros = GapRule.micros(time);
                if (GapRule.fills(rest, micros) && micros > last) {
                    this.mapping.map(node, value, samples);
                    last = micros;
                }
            }
            reached.put(gap, last);
        }
        this.delivery.deliver(samples);
        this.values.add(samples.size());
        this.progress.putAll(reached);
    }

    /** What is left of a gap: from the last value delivered of it. */
    Gap progress(Gap gap) {
        return gap.from(this.progress.getOrDefault(gap, gap.from()));
    }

    long values() {
        return this.values.sum();
    }

    int largestGroup() {
        return this.largestGroup;
    }
}
