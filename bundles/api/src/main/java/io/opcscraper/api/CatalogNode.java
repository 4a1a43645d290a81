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
 * @param accessLevel the AccessLevel bits (1 = CurrentRead, 4 = HistoryRead)
 * @param engineeringUnit the engineering unit's display name, or {@code null}
 * @param userAccessLevel the UserAccessLevel bits: what the session's user may do (since 1.2)
 * @param historizing the Historizing attribute: whether the server collects history of the
 *        value now; {@code null} when the server did not say (since 1.2)
 * @param fields when the value is a structure the server describes: its numeric and Boolean
 *        leaves (each value read gives one row per leaf present), else empty (since 1.2)
 */
public record CatalogNode(String nodeId, String browsePath, String sensorName, String tagName, String dataType,
        int valueRank, List<Integer> arrayDimensions, int accessLevel, String engineeringUnit, int userAccessLevel,
        Boolean historizing, List<CatalogField> fields) {

    /** AccessLevel bit: the current value can be read. */
    public static final int CURRENT_READ = 1;
    /** AccessLevel bit: the value's history can be read (OPC UA Part 11, HistoryRead). */
    public static final int HISTORY_READ = 4;

    public CatalogNode {
        Objects.requireNonNull(nodeId, "nodeId");
        arrayDimensions = arrayDimensions == null ? List.of() : List.copyOf(arrayDimensions);
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    /**
     * The constructor of API 1.0 and 1.1: a Variable whose value is not a structure (no fields),
     * the user's access level taken to be the access level, whether the server historizes the
     * value not known.
     */
    public CatalogNode(String nodeId, String browsePath, String sensorName, String tagName, String dataType,
            int valueRank, List<Integer> arrayDimensions, int accessLevel, String engineeringUnit) {
        this(nodeId, browsePath, sensorName, tagName, dataType, valueRank, arrayDimensions, accessLevel,
                engineeringUnit, accessLevel, null, List.of());
    }

    /** A Variable whose value is a structure of {@code fields}, as the 1.0 form otherwise. */
    public CatalogNode(String nodeId, String browsePath, String sensorName, String tagName, String dataType,
            int valueRank, List<Integer> arrayDimensions, int accessLevel, String engineeringUnit,
            List<CatalogField> fields) {
        this(nodeId, browsePath, sensorName, tagName, dataType, valueRank, arrayDimensions, accessLevel,
                engineeringUnit, accessLevel, null, fields);
    }

    /** A Variable whose value is not a structure, with the user's access level and Historizing. */
    public CatalogNode(String nodeId, String browsePath, String sensorName, String tagName, String dataType,
            int valueRank, List<Integer> arrayDimensions, int accessLevel, String engineeringUnit, int userAccessLevel,
            Boolean historizing) {
        this(nodeId, browsePath, sensorName, tagName, dataType, valueRank, arrayDimensions, accessLevel,
                engineeringUnit, userAccessLevel, historizing, List.of());
    }

    /** Whether the current value can be read. */
    public boolean isReadable() {
        return (this.accessLevel & CURRENT_READ) != 0;
    }

    /**
     * Whether the value's history can be read: HistoryRead in both the AccessLevel and the
     * UserAccessLevel, and the server does not say that it stopped historizing the value.
     */
    public boolean isHistoryReadable() {
        return (this.accessLevel & this.userAccessLevel & HISTORY_READ) != 0 && !Boolean.FALSE.equals(this.historizing);
    }
}
