package io.opcscraper.simulator.internal;

import java.util.function.Supplier;

import org.eclipse.milo.opcua.sdk.server.nodes.AttributeContext;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNodeContext;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;

/** A read-only variable whose Value is computed on every read (as {@link DynamicVariableNode}), by a function. */
final class ComputedVariableNode extends UaVariableNode {

    private static final DataValue PLACEHOLDER = new DataValue(Variant.NULL_VALUE, StatusCode.GOOD, null, null);

    private final Supplier<DataValue> value;

    ComputedVariableNode(UaNodeContext context, NodeId nodeId, QualifiedName browseName, LocalizedText displayName,
                         NodeId dataType, int valueRank, Supplier<DataValue> value, double minimumSamplingInterval) {
        super(context, nodeId, browseName, displayName, LocalizedText.NULL_VALUE, UInteger.MIN, UInteger.MIN,
            PLACEHOLDER, dataType, valueRank, valueRank == Kind.ONE_DIMENSION ? new UInteger[] {UInteger.MIN} : null,
            DynamicVariableNode.READ_ONLY, DynamicVariableNode.READ_ONLY, minimumSamplingInterval, false);
        this.value = value;
    }

    @Override
    public DataValue getAttribute(AttributeContext context, AttributeId attributeId) {
        if (attributeId == AttributeId.Value) {
            return value.get();
        }
        return super.getAttribute(context, attributeId);
    }

    @Override
    public DataValue getValue() {
        return value.get();
    }
}
