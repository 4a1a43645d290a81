package io.opcscraper.simulator.internal;

import org.eclipse.milo.opcua.sdk.core.AccessLevel;
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
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;

/**
 * A read-only variable whose Value is computed by the {@link ValueModel} on every read. Reads (Read
 * service and subscription sampling alike) reach {@link #getAttribute(AttributeContext, AttributeId)}
 * through Milo's AttributeReader, so there is no stored value and no update thread. The node keeps
 * only its kind and seed: browse names, display names and the placeholder value are shared. A
 * historizing variable also has HistoryRead access and Historizing = true, until
 * {@link #stopHistorizing()}.
 */
final class DynamicVariableNode extends UaVariableNode implements PlantHistory.Variable {

    static final UByte READ_ONLY = AccessLevel.toValue(AccessLevel.CurrentRead);
    static final UByte READ_AND_HISTORY = AccessLevel.toValue(AccessLevel.CurrentRead, AccessLevel.HistoryRead);

    /** Stored in the field Milo reads directly (never null, never served). */
    private static final DataValue PLACEHOLDER = new DataValue(Variant.NULL_VALUE, StatusCode.GOOD, null, null);

    private final ValueModel model;
    private final Kind kind;
    private final int seed;
    private volatile boolean historizing;

    DynamicVariableNode(UaNodeContext context, NodeId nodeId, QualifiedName browseName, LocalizedText displayName,
                        Kind kind, ValueModel model, double minimumSamplingInterval, boolean historizing) {
        super(context, nodeId, browseName, displayName, LocalizedText.NULL_VALUE, UInteger.MIN, UInteger.MIN,
            PLACEHOLDER, kind.dataType, kind.valueRank(), kind.arrayDimensions(),
            historizing ? READ_AND_HISTORY : READ_ONLY, historizing ? READ_AND_HISTORY : READ_ONLY,
            minimumSamplingInterval, historizing);
        this.model = model;
        this.kind = kind;
        this.seed = ValueModel.seed(nodeId.getIdentifier().toString());
        this.historizing = historizing;
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public int seed() {
        return seed;
    }

    @Override
    public boolean historizing() {
        return historizing;
    }

    /** From now on: no HistoryRead access, Historizing = false, HistoryRead answers Bad_HistoryOperationUnsupported. */
    void stopHistorizing() {
        historizing = false;
        setAccessLevel(READ_ONLY);
        setUserAccessLevel(READ_ONLY);
        setHistorizing(false);
    }

    @Override
    public DataValue getAttribute(AttributeContext context, AttributeId attributeId) {
        if (attributeId == AttributeId.Value) {
            return model.value(kind, seed);
        }
        return super.getAttribute(context, attributeId);
    }

    @Override
    public DataValue getValue() {
        return model.value(kind, seed);
    }
}
