package io.opcscraper.opcua.internal.history;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** What outlives one backfill of a poller instance: the values it stored and its current problem. */
public final class BackfillState {

    private final LongAdder backfilled = new LongAdder();
    private final AtomicReference<String> problem = new AtomicReference<>();

    void backfilled(int values) {
        this.backfilled.add(values);
    }

    /** Values read from the history and handed to the writer. */
    public long backfilled() {
        return this.backfilled.sum();
    }

    void problem(String current) {
        this.problem.set(current);
    }

    /** Why gaps wait now (the writer cannot tell what it stored, the server fails), or null. */
    public String problem() {
        return this.problem.get();
    }
}
