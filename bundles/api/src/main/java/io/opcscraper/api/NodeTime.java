package io.opcscraper.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A node and a point in time: a question about what a sink stored of that node before the time
 * ({@link SampleSink#lastStored}). Since 1.2.
 *
 * @param nodeId the node id in its stable string form, as in {@link Sample#nodeId()}
 * @param time the time
 */
public record NodeTime(String nodeId, Instant time) {

    public NodeTime {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(time, "time");
    }
}
