package io.opcscraper.opcua.internal.discovery;

import java.util.HashMap;
import java.util.Map;

/**
 * One instance per distinct value while a catalog is built: the first equal value seen is handed back for every
 * later one. The catalog keeps its nodes for as long as discovery runs, and the server's responses decode every
 * browse name, unit and data type id of every node into an object of its own ("Temperature" 12,500 times at 50,000
 * tags); sharing them keeps one. Only for immutable values (String, NodeId). Not thread-safe: one per build.
 */
final class Canonical<T> {

    private final Map<T, T> seen = new HashMap<>();

    /** The first value equal to {@code value} given to this instance, or null for null. */
    T of(T value) {
        if (value == null) {
            return null;
        }
        T first = this.seen.putIfAbsent(value, value);
        return first == null ? value : first;
    }

    /** Distinct values seen. */
    int size() {
        return this.seen.size();
    }
}
