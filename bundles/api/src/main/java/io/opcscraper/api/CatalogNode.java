package io.opcscraper.api;

import java.util.List;
import java.util.Objects;

/**
 * A Variable found by discovery.
 *
 * @param nodeId the node id in its stable text form: {@code nsu=URI;s=...} outside namespace 0,
 *        so it survives a server that renumbers its namespaces
 * @param browsePath the browse names from the browse root down to the variable, joined with {@code /}
 * @param sensorName display name of the nearest ancestor Object
 * @param tagName browse names from that Object down to the variable, joined with {@code .}
 * @param dataType the data type's name ("Double", "Int32", ...) or its node id when not built in
 * @param valueRank the OPC UA value rank (-1 scalar, 1 one-dimensional array, ...)
 * @param arrayDimensions the array dimensions, empty for scalars or when unknown
 * @param accessLevel the AccessLevel bits (1 = CurrentRead)
 * @param engineeringUnit the engineering unit's display name, or {@code null}
 * @param fields when the value is a structure the server describes: its numeric and Boolean
 *        leaves (each value read gives one row per leaf present), else empty
 */
public record CatalogNode(String nodeId, String browsePath, String sensorName, String tagName, String dataType,
        int valueRank, List<Integer> arrayDimensions, int accessLevel, String engineeringUnit,
        List<CatalogField> fields) {

    /** AccessLevel bit: the current value can be read. */
    public static final int CURRENT_READ = 1;

    public CatalogNode {
        Objects.requireNonNull(nodeId, "nodeId");
        arrayDimensions = arrayDimensions == null ? List.of() : List.copyOf(arrayDimensions);
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    /** A Variable whose value is not a structure (no fields); the constructor of API 1.1. */
    public CatalogNode(String nodeId, String browsePath, String sensorName, String tagName, String dataType,
            int valueRank, List<Integer> arrayDimensions, int accessLevel, String engineeringUnit) {
        this(nodeId, browsePath, sensorName, tagName, dataType, valueRank, arrayDimensions, accessLevel,
                engineeringUnit, List.of());
    }

    /** Whether the current value can be read. */
    public boolean isReadable() {
        return (this.accessLevel & CURRENT_READ) != 0;
    }
}
