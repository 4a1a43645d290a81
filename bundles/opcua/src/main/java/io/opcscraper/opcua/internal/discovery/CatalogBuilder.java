package io.opcscraper.opcua.internal.discovery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.BuiltinDataType;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.EUInformation;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ViewDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.api.CatalogNode;
import io.opcscraper.opcua.internal.ua.ChunkedRequests;
import io.opcscraper.opcua.internal.ua.NodeIdText;
import io.opcscraper.opcua.internal.ua.OperationLimits;
import io.opcscraper.opcua.internal.ua.Requests;
import io.opcscraper.opcua.internal.ua.Requests.RequestException;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * Turns what the browser found (and the explicitly configured node ids) into catalog nodes:
 * reads DataType, ValueRank, ArrayDimensions, AccessLevel, UserAccessLevel and Historizing of
 * every variable and the EngineeringUnits of those that have them, in requests of at most
 * MaxNodesPerRead items. The fields of structure values are added later, once their types are
 * known ({@link BrowsedCatalog}).
 */
final class CatalogBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogBuilder.class);
    private static final AttributeId[] ATTRIBUTES = { AttributeId.DataType, AttributeId.ValueRank,
            AttributeId.ArrayDimensions, AttributeId.AccessLevel, AttributeId.UserAccessLevel,
            AttributeId.Historizing };

    private final OpcUaClient client;
    private final long timeoutMs;
    private final ChunkedRequests requests;

    CatalogBuilder(OpcUaClient client, long timeoutMs, OperationLimits limits) {
        this.client = client;
        this.timeoutMs = timeoutMs;
        this.requests = new ChunkedRequests(client, timeoutMs, new OperationLimits(
                Math.max(ATTRIBUTES.length, limits.maxNodesPerRead()), limits.maxNodesPerBrowse(),
                limits.maxMonitoredItemsPerCall(), limits.maxNodesPerHistoryReadData(),
                limits.maxHistoryContinuationPoints()));
    }

    BrowsedCatalog build(Browser.Outcome browsed, List<String> explicitNodeIds) throws RequestException {
        Map<NodeId, Browser.Found> found = new LinkedHashMap<>();
        browsed.variables().forEach(v -> found.putIfAbsent(v.nodeId(), v));
        for (Browser.Found explicit : explicit(explicitNodeIds)) {
            found.putIfAbsent(explicit.nodeId(), explicit);
        }
        List<NodeId> ids = new ArrayList<>(found.keySet());
        List<ReadValueId> reads = new ArrayList<>(ids.size() * ATTRIBUTES.length);
        for (NodeId id : ids) {
            for (AttributeId attribute : ATTRIBUTES) {
                reads.add(new ReadValueId(id, attribute.uid(), null, QualifiedName.NULL_VALUE));
            }
        }
        List<DataValue> attributes = this.requests.read(reads, "variable attributes");
        Canonical<String> names = new Canonical<>();
        Canonical<NodeId> types = new Canonical<>();
        Map<NodeId, String> units = engineeringUnits(browsed.engineeringUnits(), names);
        List<BrowsedCatalog.Variable> variables = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            Browser.Found variable = found.get(ids.get(i));
            int base = i * ATTRIBUTES.length;
            Object dataType = value(attributes.get(base));
            int accessLevel = intValue(value(attributes.get(base + 3)), 0);
            Object historizing = value(attributes.get(base + 5));
            // Names, units and type ids repeat across nodes: one instance of each (Canonical).
            CatalogNode node = new CatalogNode(NodeIdText.format(variable.nodeId(), this.client.getNamespaceTable()),
                    String.join("/", variable.path()), names.of(variable.sensorName()),
                    names.of(String.join(".", variable.fromObject())), names.of(dataTypeName(dataType)),
                    intValue(value(attributes.get(base + 1)), -1), dimensions(value(attributes.get(base + 2))),
                    accessLevel, units.get(variable.nodeId()), intValue(value(attributes.get(base + 4)), accessLevel),
                    historizing instanceof Boolean ? (Boolean) historizing : null);
            variables.add(new BrowsedCatalog.Variable(variable.nodeId(),
                    dataType instanceof NodeId ? types.of((NodeId) dataType) : null, node));
        }
        return BrowsedCatalog.of(variables, units, browsed.components());
    }

    /** Explicit node ids: browse name, and the display name of the parent object as sensor name. */
    private List<Browser.Found> explicit(List<String> texts) throws RequestException {
        List<NodeId> ids = new ArrayList<>();
        for (String text : texts) {
            Optional<NodeId> id = NodeIdText.parse(text, this.client.getNamespaceTable());
            if (id.isPresent()) {
                ids.add(id.get());
            } else {
                LOG.warn("'node.ids' entry '{}' names a namespace this server does not have; skipped", text);
            }
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        List<ReadValueId> reads = new ArrayList<>();
        for (NodeId id : ids) {
            reads.add(new ReadValueId(id, AttributeId.BrowseName.uid(), null, QualifiedName.NULL_VALUE));
            reads.add(new ReadValueId(id, AttributeId.NodeClass.uid(), null, QualifiedName.NULL_VALUE));
        }
        List<DataValue> values = this.requests.read(reads, "attributes of node.ids");
        List<BrowseDescription> parents = new ArrayList<>();
        for (NodeId id : ids) {
            parents.add(new BrowseDescription(id, BrowseDirection.Inverse, Identifiers.HierarchicalReferences, true,
                    uint(NodeClass.Object.getValue()), uint(BrowseResultMask.All.getValue())));
        }
        BrowseResult[] parentResults = Requests.await(this.client.browse(
                new ViewDescription(NodeId.NULL_VALUE, DateTime.MIN_VALUE, uint(0)), uint(1), parents),
                this.timeoutMs, "Browse of the parents of node.ids").getResults();
        List<Browser.Found> found = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Object name = value(values.get(2 * i));
            Object nodeClass = value(values.get(2 * i + 1));
            if (!(name instanceof QualifiedName) || !Integer.valueOf(NodeClass.Variable.getValue()).equals(nodeClass)) {
                LOG.warn("'node.ids' entry '{}' is not a readable Variable ({}); skipped", texts.get(i),
                        Requests.name(values.get(2 * i).getStatusCode()));
                continue;
            }
            String browseName = ((QualifiedName) name).getName();
            String sensor = null;
            BrowseResult parent = parentResults == null || i >= parentResults.length ? null : parentResults[i];
            if (parent != null && parent.getReferences() != null && parent.getReferences().length > 0) {
                LocalizedText display = parent.getReferences()[0].getDisplayName();
                sensor = display == null ? null : display.getText();
            }
            found.add(new Browser.Found(ids.get(i), List.of(browseName), sensor, List.of(browseName)));
        }
        return found;
    }

    private Map<NodeId, String> engineeringUnits(Map<NodeId, NodeId> properties, Canonical<String> names)
            throws RequestException {
        List<NodeId> variables = new ArrayList<>(properties.keySet());
        List<ReadValueId> reads = new ArrayList<>();
        for (NodeId variable : variables) {
            reads.add(new ReadValueId(properties.get(variable), AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE));
        }
        List<DataValue> values = this.requests.read(reads, "engineering units");
        Map<NodeId, String> units = new HashMap<>();
        for (int i = 0; i < variables.size(); i++) {
            Object raw = value(values.get(i));
            if (raw instanceof ExtensionObject) {
                Object decoded = ((ExtensionObject) raw).decodeOrNull(this.client.getStaticSerializationContext());
                if (decoded instanceof EUInformation && ((EUInformation) decoded).getDisplayName() != null) {
                    units.put(variables.get(i), names.of(((EUInformation) decoded).getDisplayName().getText()));
                }
            }
        }
        return units;
    }

    private static Object value(DataValue value) {
        return value.getStatusCode() != null && value.getStatusCode().isGood() ? value.getValue().getValue() : null;
    }

    private String dataTypeName(Object raw) {
        if (!(raw instanceof NodeId)) {
            return null;
        }
        NodeId type = (NodeId) raw;
        BuiltinDataType builtin = BuiltinDataType.isBuiltin(type) ? BuiltinDataType.fromNodeId(type) : null;
        return builtin != null ? builtin.name() : NodeIdText.format(type, this.client.getNamespaceTable());
    }

    private static int intValue(Object raw, int otherwise) {
        return raw instanceof Number ? ((Number) raw).intValue() : otherwise;
    }

    private static List<Integer> dimensions(Object raw) {
        List<Integer> dimensions = new ArrayList<>();
        if (raw instanceof UInteger[]) {
            for (UInteger dimension : (UInteger[]) raw) {
                dimensions.add(dimension.intValue());
            }
        }
        return dimensions;
    }
}
