package io.opcscraper.api;

import java.util.Objects;

/**
 * A Variable found by discovery.
 *
 * @param nodeId the node id in its stable string form ({@code nsu=...;s=...} where the namespace
 *        URI is known)
 * @param browsePath the browse names from the browse root down to the variable, joined with {@code /}
 * @param sensorName display name of the nearest ancestor Object
 * @param tagName browse names from that Object down to the variable, joined with {@code .}
 * @param dataType the data type's browse name ("Double", "Int32", ...)
 * @param engineeringUnit the engineering unit's display name, or {@code null}
 */
public record CatalogNode(String nodeId, String browsePath, String sensorName, String tagName, String dataType,
        String engineeringUnit) {

    public CatalogNode {
        Objects.requireNonNull(nodeId, "nodeId");
    }
}
