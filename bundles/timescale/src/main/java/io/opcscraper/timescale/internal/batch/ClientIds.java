package io.opcscraper.timescale.internal.batch;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.opcscraper.api.Sample;

/**
 * The clientids of the samples a writer has written since it started (any thread): the ones it caps
 * with row cap scope {@code clientid}, and the ones its row of {@code opcscraper_status} lists. A
 * batch's samples mostly share one clientid: a sample whose clientid is the same object as the
 * previous one's costs one comparison.
 */
public final class ClientIds {

    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    /** Notes the clientids of {@code samples}. */
    public void note(List<Sample> samples) {
        String last = null;
        for (Sample sample : samples) {
            String clientId = sample.clientId();
            if (clientId != last) {
                this.seen.add(clientId);
                last = clientId;
            }
        }
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
