package io.opcscraper.simulator.internal;

import java.util.function.Supplier;

import org.eclipse.milo.opcua.sdk.server.nodes.AttributeContext;
import org.eclipse.milo.opcua.sdk.server.nodes.UaDataTypeNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNodeContext;
import org.eclipse.milo.opcua.stack.core.serialization.SerializationContext;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.DataTypeDefinition;

/**
 * A DataType node that answers the DataTypeDefinition attribute (id 23, OPC UA 1.04), which Milo
 * 0.6's server does not know: its attribute reader refuses every id it has no constant for. Without
 * a definition (a 1.03 server) it answers as Milo does, Bad_AttributeIdInvalid.
 */
final class DescribedDataTypeNode extends UaDataTypeNode {

    static final int DATA_TYPE_DEFINITION = 23;

    private final Supplier<DataTypeDefinition> definition;
    private final SerializationContext serialization;

    DescribedDataTypeNode(UaNodeContext context, NodeId nodeId, QualifiedName browseName, LocalizedText displayName,
                          Supplier<DataTypeDefinition> definition, SerializationContext serialization) {
        super(context, nodeId, browseName, displayName, LocalizedText.NULL_VALUE, UInteger.MIN, UInteger.MIN, false);
        this.definition = definition;
        this.serialization = serialization;
    }

    @Override
    public DataValue readAttribute(AttributeContext context, UInteger attributeId, TimestampsToReturn timestamps,
                                   String indexRange, QualifiedName dataEncoding) {
        DataTypeDefinition current = definition == null ? null : definition.get();
        if (attributeId.intValue() == DATA_TYPE_DEFINITION && current != null) {
            return new DataValue(new Variant(ExtensionObject.encode(serialization, current)));
        }
        return super.readAttribute(context, attributeId, timestamps, indexRange, dataEncoding);
    }
}
