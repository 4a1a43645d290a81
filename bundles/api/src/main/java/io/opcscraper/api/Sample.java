package io.opcscraper.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One value read from an OPC UA server, as one row of the {@code sensor_data} table.
 *
 * @param timestamp when the value was valid (source, server or gateway clock, as configured)
 * @param nodeId the node id in its stable string form (namespace URI form where known)
 * @param clientId the collecting connection's client id
 * @param sensorName display name of the nearest ancestor Object
 * @param tagName browse names from that Object down to the variable, joined with {@code .}
 * @param value the value as a double, or {@code null} when there is none (a Bad status, or a
 *        value that has no number)
 * @param quality the OPC UA StatusCode, 0 = Good
 */
public record Sample(Instant timestamp, String nodeId, String clientId, String sensorName, String tagName,
        Double value, long quality) {

    public Sample {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(clientId, "clientId");
    }

    /** Whether the StatusCode is Good (its severity bits are 00). */
    public boolean isGood() {
        return (this.quality & 0xC0000000L) == 0;
    }
}
