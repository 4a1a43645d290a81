package io.opcscraper.simulator.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;

/** What a simulated variable holds: its DataType, ValueRank and array length. */
enum Kind {
    // Plant sensors.
    TEMPERATURE(Identifiers.Double),
    PRESSURE(Identifiers.Double),
    RUNNING(Identifiers.Boolean),
    COUNT(Identifiers.UInt32),

    // Plant/Types: one per scalar built-in type.
    BOOLEAN(Identifiers.Boolean),
    SBYTE(Identifiers.SByte),
    BYTE(Identifiers.Byte),
    INT16(Identifiers.Int16),
    UINT16(Identifiers.UInt16),
    INT32(Identifiers.Int32),
    UINT32(Identifiers.UInt32),
    INT64(Identifiers.Int64),
    UINT64(Identifiers.UInt64),
    FLOAT(Identifiers.Float),
    DOUBLE(Identifiers.Double),
    STRING(Identifiers.String),
    DATE_TIME(Identifiers.DateTime),
    GUID(Identifiers.Guid),
    BYTE_STRING(Identifiers.ByteString),
    XML_ELEMENT(Identifiers.XmlElement),
    NODE_ID(Identifiers.NodeId),
    EXPANDED_NODE_ID(Identifiers.ExpandedNodeId),
    STATUS_CODE(Identifiers.StatusCode),
    QUALIFIED_NAME(Identifiers.QualifiedName),
    LOCALIZED_TEXT(Identifiers.LocalizedText),
    RANGE(Identifiers.Range),
    EU_INFORMATION(Identifiers.EUInformation),
    DOUBLE_ARRAY(Identifiers.Double, 5),
    INT32_ARRAY(Identifiers.Int32, 3),
    BOOLEAN_ARRAY(Identifiers.Boolean, 4),
    STRING_ARRAY(Identifiers.String, 2),
    NAN(Identifiers.Double),
    POS_INF(Identifiers.Double),
    NEG_INF(Identifiers.Double),
    BAD_SENSOR(Identifiers.Double),
    REMOVABLE(Identifiers.Double),

    // Plant/Hostile.
    HOSTILE_DOUBLE(Identifiers.Double),
    HUGE_ARRAY(Identifiers.Double, 100_000);

    /** ValueRank Scalar. */
    static final int SCALAR = -1;
    /** ValueRank OneDimension. */
    static final int ONE_DIMENSION = 1;

    final NodeId dataType;
    /** Array length, or -1 for a scalar. */
    final int length;

    Kind(NodeId dataType) {
        this(dataType, -1);
    }

    Kind(NodeId dataType, int length) {
        this.dataType = dataType;
        this.length = length;
    }

    int valueRank() {
        return length < 0 ? SCALAR : ONE_DIMENSION;
    }

    UInteger[] arrayDimensions() {
        return length < 0 ? null : new UInteger[] {uint(length)};
    }
}
