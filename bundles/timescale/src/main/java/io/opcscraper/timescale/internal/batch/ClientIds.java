package io.opcscraper.timescale.internal.batch;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The clientids of the samples a writer has written since it started (any thread): the ones it caps
 * with row cap scope {@code clientid}, and the ones its row of {@code opcscraper_status} lists. A
 * batch's clientids are gathered by its COPY encoding ({@link BinaryCopyEncoder.Encoded#clientIds}),
 * most often one.
 */
public final class ClientIds {

    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    /** Notes the clientids of a batch's rows. */
    public void note(Collection<String> clientIds) {
        this.seen.addAll(clientIds);
    }

    /** The clientids written so far, sorted. */
    public SortedSet<String> all() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(this.seen));
    }

    /** Whether a sample of {@code clientId} was written. */
    public boolean contains(String clientId) {
        return this.seen.contains(clientId);
    }
}
