package io.opcscraper.opcua.internal.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.api.CatalogNode;
import io.opcscraper.api.Sample;

/**
 * Where the collection of each history-readable node had a gap. Per node: the newest timestamp
 * handed to the writer, and whether a gap is open and since which timestamp. A gap opens when the
 * poller may have missed values of the node: when it starts (a restart of the gateway, the bundle,
 * the instance or its configuration), when the session was lost, when a read of the node failed;
 * it starts at the newest timestamp handed over (unknown after a start: the writer tells) and
 * closes at the node's first live sample, which makes it ready for the {@link Backfill}. Thread-safe.
 *
 * <p>Memory: about 100 bytes per history-readable node (a map entry, its state and a reference to
 * the catalog entry: about 5 MB for 50,000 nodes); ready gaps at most {@value #MAX_READY} (about 56
 * bytes each), beyond that the oldest are dropped, counted and logged.
 */
public final class GapTracker {

    static final int MAX_READY = 100_000;
    private static final Logger LOG = LoggerFactory.getLogger(GapTracker.class);

    /** One node: what was handed over and its open gap. */
    private static final class State {
        CatalogNode node;
        long newest = GapRule.UNKNOWN;
        boolean open = true;
        long from = GapRule.UNKNOWN;

        State(CatalogNode node) {
            this.node = node;
        }
    }

    private final String owner;
    private final Map<String, State> nodes = new HashMap<>();
    private final ArrayDeque<Gap> ready = new ArrayDeque<>();
    /** Nodes whose history the server refused, with the catalog entry they had then. */
    private final Map<String, CatalogNode> refused = new HashMap<>();
    private long droppedGaps;

    public GapTracker(String owner) {
        this.owner = owner;
    }

    /**
     * A new catalog: its history-readable nodes are tracked (a node not seen before has an open gap
     * whose start the writer will tell), the others are forgotten; a node whose history was refused
     * is tried again once its catalog entry changed (access level, Historizing).
     */
    public synchronized void catalog(List<CatalogNode> catalog) {
        Map<String, CatalogNode> readable = new HashMap<>();
        for (CatalogNode node : catalog) {
            if (node.isHistoryReadable()) {
                readable.put(node.nodeId(), node);
            }
        }
        this.nodes.keySet().retainAll(readable.keySet());
        readable.forEach((id, node) -> this.nodes.computeIfAbsent(id, k -> new State(node)).node = node);
        this.refused.entrySet().removeIf(e -> !Objects.equals(readable.get(e.getKey()), e.getValue()));
    }

    /** Values of every node may have been missed from now on (session lost, a new sampler). */
    public synchronized void openAll() {
        this.nodes.values().forEach(GapTracker::open);
    }

    /** Values of these nodes may have been missed (their read failed). */
    public synchronized void open(Collection<String> nodeIds) {
        for (String id : nodeIds) {
            State state = this.nodes.get(id);
            if (state != null) {
                open(state);
            }
        }
    }

    private static void open(State state) {
        if (!state.open) {
            state.open = true;
            state.from = state.newest;
        }
    }

    /** Live samples handed to the writer: the first of a node after a gap closes it. */
    public synchronized void live(List<Sample> samples) {
        for (Sample sample : samples) {
            State state = this.nodes.get(sample.nodeId());
            if (state == null) {
                continue;
            }
            long micros = GapRule.micros(sample.timestamp());
            if (state.open) {
                state.open = false;
                add(new Gap(sample.nodeId(), state.from, micros));
            }
            state.newest = Math.max(state.newest, micros);
        }
    }

    private void add(Gap gap) {
        if (this.ready.size() >= MAX_READY) {
            this.ready.pollFirst();
            if (this.droppedGaps++ == 0) {
                LOG.error("{}: more than {} gaps wait to be filled from the history; dropping the oldest (counted)",
                        this.owner, MAX_READY);
            }
        }
        this.ready.addLast(gap);
    }

    /** Up to {@code max} gaps ready to fill, oldest first. */
    synchronized List<Gap> take(int max) {
        List<Gap> taken = new ArrayList<>(Math.min(max, this.ready.size()));
        while (taken.size() < max && !this.ready.isEmpty()) {
            taken.add(this.ready.pollFirst());
        }
        return taken;
    }

    /** Gaps taken but not filled (yet): they are filled by a later round. */
    synchronized void putBack(Collection<Gap> gaps) {
        gaps.forEach(this::add);
    }

    synchronized int readyCount() {
        return this.ready.size();
    }

    /** Gaps dropped because too many waited. */
    synchronized long droppedGaps() {
        return this.droppedGaps;
    }

    /** The catalog entry of a tracked node, or null when it left the catalog. */
    synchronized CatalogNode node(String nodeId) {
        State state = this.nodes.get(nodeId);
        return state == null ? null : state.node;
    }

    /** The server refused the node's history: not asked again until its catalog entry changes. */
    synchronized void refuse(String nodeId) {
        State state = this.nodes.get(nodeId);
        if (state != null) {
            this.refused.put(nodeId, state.node);
        }
    }

    synchronized boolean isRefused(String nodeId) {
        return this.refused.containsKey(nodeId);
    }
}
