package io.opcscraper.opcua.internal.poller;

import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.opcscraper.api.Sample;

/**
 * Store on change: keeps a sample only when its value or status differs from the last stored
 * sample of the same node and tag, or when the heartbeat interval has passed since then
 * (0: no heartbeat). Not thread-safe: one per poll loop.
 */
final class ChangeFilter {

    private record Last(Double value, long quality, Instant storedAt) {
    }

    private final long heartbeatMs;
    private final Map<String, Last> last = new HashMap<>();

    ChangeFilter(long heartbeatMs) {
        this.heartbeatMs = heartbeatMs;
    }

    /** Removes from {@code samples} those that did not change. */
    void retainChanged(List<Sample> samples, Instant now) {
        for (Iterator<Sample> it = samples.iterator(); it.hasNext();) {
            Sample sample = it.next();
            String key = sample.nodeId() + '\u0000' + sample.tagName();
            Last previous = this.last.get(key);
            boolean changed = previous == null || previous.quality() != sample.quality()
                    || !Objects.equals(previous.value(), sample.value())
                    || (this.heartbeatMs > 0 && !now.isBefore(previous.storedAt().plusMillis(this.heartbeatMs)));
            if (changed) {
                this.last.put(key, new Last(sample.value(), sample.quality(), now));
            } else {
                it.remove();
            }
        }
    }

    /** Forgets nodes no longer polled. */
    void retainNodes(java.util.Set<String> nodeIds) {
        this.last.keySet().removeIf(key -> !nodeIds.contains(key.substring(0, key.indexOf('\u0000'))));
    }
}
