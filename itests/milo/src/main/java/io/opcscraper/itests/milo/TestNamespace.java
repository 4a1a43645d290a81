package io.opcscraper.itests.milo;

import java.util.List;

import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.api.DataItem;
import org.eclipse.milo.opcua.sdk.server.api.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.api.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/** A namespace of the test server holding one Int32 variable, {@value #ANSWER_NAME} = {@value #ANSWER}. */
final class TestNamespace extends ManagedNamespaceWithLifecycle {

    static final String URI = "urn:opcscraper:itests:milo";
    static final String ANSWER_NAME = "answer";
    static final int ANSWER = 42;

    private final SubscriptionModel subscriptionModel;

    TestNamespace(OpcUaServer server) {
        super(server, URI);
        subscriptionModel = new SubscriptionModel(server, this);
        getLifecycleManager().addLifecycle(subscriptionModel);
        getLifecycleManager().addStartupTask(this::addNodes);
    }

    NodeId answerNodeId() {
        return newNodeId(ANSWER_NAME);
    }

    private void addNodes() {
        UaVariableNode answer = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
            .setNodeId(answerNodeId())
            .setBrowseName(newQualifiedName(ANSWER_NAME))
            .setDisplayName(LocalizedText.english(ANSWER_NAME))
            .setDataType(Identifiers.Int32)
            .setTypeDefinition(Identifiers.BaseDataVariableType)
            .setAccessLevel(AccessLevel.CurrentRead)
            .setUserAccessLevel(AccessLevel.CurrentRead)
            .build();
        answer.setValue(new DataValue(new Variant(ANSWER)));
        getNodeManager().addNode(answer);
    }

    @Override
    public void onDataItemsCreated(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsCreated(dataItems);
    }

    @Override
    public void onDataItemsModified(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsModified(dataItems);
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> dataItems) {
        subscriptionModel.onDataItemsDeleted(dataItems);
    }

    @Override
    public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
        subscriptionModel.onMonitoringModeChanged(monitoredItems);
    }
}
