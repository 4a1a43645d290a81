package io.opcscraper.simulator;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.api.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaSubscription;
import org.eclipse.milo.opcua.stack.client.DiscoveryClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.XmlElement;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MonitoringMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseNextResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.EUInformation;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoredItemCreateRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoringParameters;
import org.eclipse.milo.opcua.stack.core.types.structured.Range;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ViewDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One plant of 5,000 tags at 10 Hz with small operation limits, exercised by a Milo 0.6.16 client
 * from the same milo jar.
 */
class PlantServerTest {

    static final int TAGS = 5000;
    static final int MAX_NODES_PER_READ = 100;
    static final int MAX_NODES_PER_BROWSE = 50;
    static final int MAX_MONITORED_ITEMS_PER_CALL = 20;
    static final String USER = "operator";
    static final String PASSWORD = "s3cret'; --";

    @TempDir
    static Path tmp;

    static PlantServer server;
    static MiloClients.Session anonymous;
    static OpcUaClient client;
    static int ns;

    @BeforeAll
    static void start() throws Exception {
        server = PlantServer.builder()
            .tags(TAGS)
            .changeRateHz(10)
            .maxNodesPerRead(MAX_NODES_PER_READ)
            .maxNodesPerBrowse(MAX_NODES_PER_BROWSE)
            .maxMonitoredItemsPerCall(MAX_MONITORED_ITEMS_PER_CALL)
            .user(USER, PASSWORD)
            .pkiDir(tmp.resolve("server-pki"))
            .start();
        ns = server.namespaceIndex();
        anonymous = MiloClients.connectAnonymous(server, tmp);
        client = anonymous.client();
    }

    @AfterAll
    static void stop() throws Exception {
        if (anonymous != null) {
            anonymous.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static final ViewDescription VIEW = new ViewDescription(NodeId.NULL_VALUE, DateTime.MIN_VALUE, uint(0));

    static NodeId node(String id) {
        return new NodeId(ns, id);
    }

    @Test
    void endpointUrlAndNamespace() throws Exception {
        assertEquals("opc.tcp://127.0.0.1:" + server.port() + "/plant", server.endpointUrl());
        assertEquals("urn:opcscraper:simulator:plant", server.namespaceUri());
        assertEquals(ns, client.readNamespaceTableAsync().get(10, SECONDS).getIndex(server.namespaceUri()).intValue());
        boolean removed = !server.variableNodeIds().contains(
            "nsu=urn:opcscraper:simulator:plant;s=Plant/Types/Removable"); // removedVariableReadsNodeIdUnknown
        assertEquals(TAGS + 32 + 7 - (removed ? 1 : 0), server.variableCount(), "tags + Types + Hostile");
        assertEquals(server.variableCount(), server.variableNodeIds().size());
        assertTrue(server.variableNodeIds().contains(
            "nsu=urn:opcscraper:simulator:plant;s=Plant/Line01/Machine03/Sensor07/Temperature"));
        assertEquals(TAGS, server.propertyNodeIds().size(), "EURange + EngineeringUnits per analog item (half the tags)");
    }

    @Test
    void browseFollowsContinuationPointsToEveryVariable() throws Exception {
        Set<String> variables = new HashSet<>();
        AtomicInteger continuationPoints = new AtomicInteger();
        AtomicInteger browseNextCalls = new AtomicInteger();
        int maxReferencesInOneResponse = 0;

        Deque<NodeId> toBrowse = new ArrayDeque<>(List.of(Identifiers.ObjectsFolder));
        Set<NodeId> seen = new HashSet<>(toBrowse);
        boolean plantFound = false;
        while (!toBrowse.isEmpty()) {
            List<BrowseDescription> batch = new ArrayList<>();
            while (!toBrowse.isEmpty() && batch.size() < MAX_NODES_PER_BROWSE) {
                batch.add(new BrowseDescription(toBrowse.poll(), BrowseDirection.Forward,
                    Identifiers.HierarchicalReferences, true,
                    uint(NodeClass.Object.getValue() | NodeClass.Variable.getValue()),
                    uint(BrowseResultMask.All.getValue())));
            }
            BrowseResponse response = client.browse(VIEW, uint(0), batch).get(20, SECONDS);
            List<BrowseResult> results = new ArrayList<>(List.of(response.getResults()));
            maxReferencesInOneResponse = Math.max(maxReferencesInOneResponse, references(results));
            while (!results.isEmpty()) {
                List<ByteString> next = new ArrayList<>();
                for (BrowseResult result : results) {
                    assertTrue(result.getStatusCode().isGood(), () -> "browse status " + result.getStatusCode());
                    for (ReferenceDescription ref : result.getReferences()) {
                        NodeId target = ref.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow();
                        if (target.getNamespaceIndex().intValue() != ns
                            || !String.valueOf(target.getIdentifier()).startsWith("Plant")) {
                            continue; // the Server object etc.; Structures and Diagnostics (PlantStructuresTest)
                        }
                        plantFound |= target.equals(node("Plant"));
                        if (ref.getNodeClass() == NodeClass.Variable) {
                            variables.add("nsu=" + server.namespaceUri() + ";s=" + target.getIdentifier());
                        }
                        if (seen.add(target)) {
                            toBrowse.add(target);
                        }
                    }
                    if (result.getContinuationPoint() != null && result.getContinuationPoint().isNotNull()) {
                        next.add(result.getContinuationPoint());
                    }
                }
                results.clear();
                if (!next.isEmpty()) {
                    continuationPoints.addAndGet(next.size());
                    browseNextCalls.incrementAndGet();
                    BrowseNextResponse nextResponse = client.browseNext(false, next).get(20, SECONDS);
                    results.addAll(List.of(nextResponse.getResults()));
                    maxReferencesInOneResponse = Math.max(maxReferencesInOneResponse, references(results));
                }
            }
        }

        assertTrue(plantFound, "Objects organizes Plant");
        Set<String> expected = new HashSet<>(server.variableNodeIds());
        expected.addAll(server.propertyNodeIds());
        assertEquals(expected, variables, "browsing finds exactly the plant's variables and properties");
        assertTrue(variables.size() >= TAGS, "at least " + TAGS + " variables, got " + variables.size());
        assertTrue(continuationPoints.get() > 0 && browseNextCalls.get() > 0, "continuation points were used");
        // At most 50 references per response, plus at most one for each further node of the request.
        assertTrue(maxReferencesInOneResponse <= 2 * MAX_NODES_PER_BROWSE,
            "references in one response: " + maxReferencesInOneResponse);
        System.out.printf("browse: %d variables, %d continuation points over %d BrowseNext calls%n",
            variables.size(), continuationPoints.get(), browseNextCalls.get());
    }

    private static int references(List<BrowseResult> results) {
        int n = 0;
        for (BrowseResult result : results) {
            n += result.getReferences() == null ? 0 : result.getReferences().length;
        }
        return n;
    }

    @Test
    void continuationPointsCanBeReleasedAndAreSingleUse() throws Exception {
        // Plant has 15 children; a client asking for 4 per node gets them in pages of 4.
        BrowseDescription plant = new BrowseDescription(node("Plant"), BrowseDirection.Forward,
            Identifiers.HierarchicalReferences, true, uint(0), uint(BrowseResultMask.All.getValue()));
        BrowseResult first = client.browse(VIEW, uint(4), List.of(plant)).get(10, SECONDS)
            .getResults()[0];
        assertEquals(4, first.getReferences().length);
        ByteString point = first.getContinuationPoint();
        assertTrue(point.isNotNull());
        BrowseResult second = client.browseNext(false, List.of(point)).get(10, SECONDS).getResults()[0];
        assertEquals(4, second.getReferences().length);
        BrowseResult released = client.browseNext(true, List.of(point)).get(10, SECONDS).getResults()[0];
        assertTrue(released.getStatusCode().isGood());
        BrowseResult gone = client.browseNext(false, List.of(point)).get(10, SECONDS).getResults()[0];
        assertEquals(StatusCodes.Bad_ContinuationPointInvalid, gone.getStatusCode().getValue());
    }

    @Test
    void browseOfMoreNodesThanTheLimitIsRefused() {
        List<BrowseDescription> tooMany = new ArrayList<>();
        for (int i = 0; i <= MAX_NODES_PER_BROWSE; i++) {
            tooMany.add(new BrowseDescription(node("Plant"), BrowseDirection.Forward, Identifiers.References,
                true, uint(0), uint(63)));
        }
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> client.browse(VIEW, uint(0), tooMany).get(10, SECONDS));
        assertEquals(StatusCodes.Bad_TooManyOperations, MiloClients.statusOf(e));
    }

    @Test
    void readOfMoreNodesThanTheLimitIsRefused() throws Exception {
        List<NodeId> ids = new ArrayList<>();
        for (String id : server.variableNodeIds().subList(0, MAX_NODES_PER_READ + 1)) {
            ids.add(node(id.substring(id.indexOf(";s=") + 3)));
        }
        List<DataValue> ok = client.readValues(0, TimestampsToReturn.Both, ids.subList(0, MAX_NODES_PER_READ))
            .get(10, SECONDS);
        assertEquals(MAX_NODES_PER_READ, ok.size());
        assertTrue(ok.stream().allMatch(v -> v.getStatusCode().isGood()));

        ExecutionException e = assertThrows(ExecutionException.class,
            () -> client.readValues(0, TimestampsToReturn.Both, ids).get(10, SECONDS));
        assertEquals(StatusCodes.Bad_TooManyOperations, MiloClients.statusOf(e), e.toString());
    }

    @Test
    void operationLimitsAreAdvertised() throws Exception {
        List<DataValue> limits = client.readValues(0, TimestampsToReturn.Neither, List.of(
            new NodeId(0, 11705), new NodeId(0, 11710), new NodeId(0, 11714))).get(10, SECONDS);
        assertEquals(uint(MAX_NODES_PER_READ), limits.get(0).getValue().getValue(), "MaxNodesPerRead");
        assertEquals(uint(MAX_NODES_PER_BROWSE), limits.get(1).getValue().getValue(), "MaxNodesPerBrowse");
        assertEquals(uint(MAX_MONITORED_ITEMS_PER_CALL), limits.get(2).getValue().getValue(),
            "MaxMonitoredItemsPerCall");
    }

    @Test
    void everyBuiltInTypeHasItsJavaTypeAndDataType() throws Exception {
        Map<String, Object[]> expected = new LinkedHashMap<>();
        expected.put("Boolean", new Object[] {Boolean.class, Identifiers.Boolean});
        expected.put("SByte", new Object[] {Byte.class, Identifiers.SByte});
        expected.put("Byte", new Object[] {UByte.class, Identifiers.Byte});
        expected.put("Int16", new Object[] {Short.class, Identifiers.Int16});
        expected.put("UInt16", new Object[] {UShort.class, Identifiers.UInt16});
        expected.put("Int32", new Object[] {Integer.class, Identifiers.Int32});
        expected.put("UInt32", new Object[] {UInteger.class, Identifiers.UInt32});
        expected.put("Int64", new Object[] {Long.class, Identifiers.Int64});
        expected.put("UInt64", new Object[] {ULong.class, Identifiers.UInt64});
        expected.put("Float", new Object[] {Float.class, Identifiers.Float});
        expected.put("Double", new Object[] {Double.class, Identifiers.Double});
        expected.put("String", new Object[] {String.class, Identifiers.String});
        expected.put("DateTime", new Object[] {DateTime.class, Identifiers.DateTime});
        expected.put("Guid", new Object[] {UUID.class, Identifiers.Guid});
        expected.put("ByteString", new Object[] {ByteString.class, Identifiers.ByteString});
        expected.put("XmlElement", new Object[] {XmlElement.class, Identifiers.XmlElement});
        expected.put("NodeId", new Object[] {NodeId.class, Identifiers.NodeId});
        expected.put("ExpandedNodeId", new Object[] {ExpandedNodeId.class, Identifiers.ExpandedNodeId});
        expected.put("StatusCode", new Object[] {StatusCode.class, Identifiers.StatusCode});
        expected.put("QualifiedName", new Object[] {QualifiedName.class, Identifiers.QualifiedName});
        expected.put("LocalizedText", new Object[] {LocalizedText.class, Identifiers.LocalizedText});
        expected.put("Range", new Object[] {ExtensionObject.class, Identifiers.Range});
        expected.put("EUInformation", new Object[] {ExtensionObject.class, Identifiers.EUInformation});
        expected.put("DoubleArray", new Object[] {Double[].class, Identifiers.Double});
        expected.put("Int32Array", new Object[] {Integer[].class, Identifiers.Int32});
        expected.put("BooleanArray", new Object[] {Boolean[].class, Identifiers.Boolean});
        expected.put("StringArray", new Object[] {String[].class, Identifiers.String});
        expected.put("NaN", new Object[] {Double.class, Identifiers.Double});
        expected.put("PosInf", new Object[] {Double.class, Identifiers.Double});
        expected.put("NegInf", new Object[] {Double.class, Identifiers.Double});

        List<ReadValueId> reads = new ArrayList<>();
        for (String name : expected.keySet()) {
            reads.add(new ReadValueId(node("Plant/Types/" + name), AttributeId.Value.uid(), null,
                QualifiedName.NULL_VALUE));
            reads.add(new ReadValueId(node("Plant/Types/" + name), AttributeId.DataType.uid(), null,
                QualifiedName.NULL_VALUE));
        }
        DataValue[] values = client.read(0, TimestampsToReturn.Both, reads).get(10, SECONDS).getResults();
        int i = 0;
        Map<String, Object> decoded = new LinkedHashMap<>();
        for (Map.Entry<String, Object[]> e : expected.entrySet()) {
            DataValue value = values[i++];
            DataValue dataType = values[i++];
            String name = e.getKey();
            assertTrue(value.getStatusCode().isGood(), () -> name + ": " + value.getStatusCode());
            assertInstanceOf((Class<?>) e.getValue()[0], value.getValue().getValue(), name);
            assertEquals(e.getValue()[1], dataType.getValue().getValue(), name + " DataType");
            assertNotNull(value.getSourceTime(), name + " source timestamp");
            assertNotNull(value.getServerTime(), name + " server timestamp");
            decoded.put(name, value.getValue().getValue());
        }
        assertEquals(5, ((Double[]) decoded.get("DoubleArray")).length);
        assertEquals(3, ((Integer[]) decoded.get("Int32Array")).length);
        assertEquals(4, ((Boolean[]) decoded.get("BooleanArray")).length);
        assertEquals(2, ((String[]) decoded.get("StringArray")).length);
        assertTrue(Double.isNaN((Double) decoded.get("NaN")));
        assertEquals(Double.POSITIVE_INFINITY, decoded.get("PosInf"));
        assertEquals(Double.NEGATIVE_INFINITY, decoded.get("NegInf"));
        assertTrue(((ULong) decoded.get("UInt64")).longValue() < 0, "UInt64 above Long.MAX_VALUE");
        Object range = ((ExtensionObject) decoded.get("Range")).decode(client.getStaticSerializationContext());
        assertInstanceOf(Range.class, range);
        Object units = ((ExtensionObject) decoded.get("EUInformation")).decode(client.getStaticSerializationContext());
        assertEquals("°C", ((EUInformation) units).getDisplayName().getText());
    }

    @Test
    void valuesFollowTheClockWithPeriodStartAsSourceTimestamp() throws Exception {
        DataValue v = client.readValue(0, TimestampsToReturn.Both,
            node("Plant/Line01/Machine01/Sensor01/Temperature")).get(10, SECONDS);
        assertTrue(v.getStatusCode().isGood());
        long source = v.getSourceTime().getJavaTime();
        long serverTime = v.getServerTime().getJavaTime();
        assertTrue(source <= serverTime && serverTime - source <= 100 + 5, source + " vs " + serverTime);
        assertEquals(0, source % 100, "10 Hz: the source timestamp starts a 100 ms period");
    }

    @Test
    void analogItemsHaveRangeAndUnits() throws Exception {
        String temperature = "Plant/Line02/Machine10/Sensor10/Temperature";
        List<DataValue> values = client.readValues(0, TimestampsToReturn.Neither, List.of(
            node(temperature + "/EURange"), node(temperature + "/EngineeringUnits"),
            node("Plant/Line01/Machine01/Sensor01/Pressure/EngineeringUnits"))).get(10, SECONDS);
        Range range = (Range) ((ExtensionObject) values.get(0).getValue().getValue())
            .decode(client.getStaticSerializationContext());
        assertEquals(-50.0, range.getLow());
        EUInformation celsius = (EUInformation) ((ExtensionObject) values.get(1).getValue().getValue())
            .decode(client.getStaticSerializationContext());
        assertEquals("°C", celsius.getDisplayName().getText());
        assertEquals(4408652, celsius.getUnitId());
        EUInformation bar = (EUInformation) ((ExtensionObject) values.get(2).getValue().getValue())
            .decode(client.getStaticSerializationContext());
        assertEquals("bar", bar.getDisplayName().getText());
        DataValue type = client.read(0, TimestampsToReturn.Neither, List.of(new ReadValueId(node(temperature),
            AttributeId.BrowseName.uid(), null, QualifiedName.NULL_VALUE))).get(10, SECONDS).getResults()[0];
        assertEquals(new QualifiedName(ns, "Temperature"), type.getValue().getValue());
    }

    @Test
    void badSensorReadsBadWithoutValue() throws Exception {
        DataValue bad = client.readValue(0, TimestampsToReturn.Both, node("Plant/Types/BadSensor")).get(10, SECONDS);
        assertEquals(StatusCodes.Bad_SensorFailure, bad.getStatusCode().getValue());
        assertEquals(0x808C0000L, bad.getStatusCode().getValue());
        assertTrue(bad.getStatusCode().isBad());
        assertNull(bad.getValue().getValue());
    }

    @Test
    void hostileNodes() throws Exception {
        List<String> hostile = server.variableNodeIds().stream().filter(id -> id.contains(";s=Plant/Hostile/")).toList();
        assertEquals(7, hostile.size());
        assertTrue(hostile.stream().anyMatch(id -> id.endsWith("Robert'); DROP TABLE sensor_data;--")));
        assertTrue(hostile.stream().anyMatch(id -> id.endsWith("/\"quoted\"")));
        String longId = hostile.stream().filter(id -> id.contains("VeryLongName_")).findFirst().orElseThrow();
        DataValue name = client.read(0, TimestampsToReturn.Neither, List.of(new ReadValueId(
                node(longId.substring(longId.indexOf(";s=") + 3)), AttributeId.BrowseName.uid(), null,
                QualifiedName.NULL_VALUE)))
            .get(10, SECONDS).getResults()[0];
        assertEquals(300, ((QualifiedName) name.getValue().getValue()).getName().length());

        DataValue huge = client.readValue(0, TimestampsToReturn.Both, node("Plant/Hostile/Huge")).get(20, SECONDS);
        assertTrue(huge.getStatusCode().isGood(), () -> "Huge: " + huge.getStatusCode());
        assertEquals(100_000, ((Double[]) huge.getValue().getValue()).length);
    }

    @Test
    void removedVariableReadsNodeIdUnknown() throws Exception {
        NodeId removable = node("Plant/Types/Removable");
        assertTrue(client.readValue(0, TimestampsToReturn.Both, removable).get(10, SECONDS).getStatusCode().isGood());
        String id = "nsu=" + server.namespaceUri() + ";s=Plant/Types/Removable";
        assertTrue(server.variableNodeIds().contains(id));
        int before = server.variableCount();

        server.removeVariable(id);

        DataValue gone = client.readValue(0, TimestampsToReturn.Both, removable).get(10, SECONDS);
        assertEquals(StatusCodes.Bad_NodeIdUnknown, gone.getStatusCode().getValue());
        assertFalse(server.variableNodeIds().contains(id));
        assertEquals(before - 1, server.variableCount());
        assertThrows(IllegalArgumentException.class, () -> server.removeVariable(id));
        BrowseResult types = client.browse(VIEW, uint(0), List.of(new BrowseDescription(
                node("Plant/Types"), BrowseDirection.Forward, Identifiers.HierarchicalReferences, true, uint(0),
                uint(63))))
            .get(10, SECONDS).getResults()[0];
        for (ReferenceDescription ref : types.getReferences()) {
            assertNotEquals("Removable", ref.getBrowseName().getName());
        }
    }

    @Test
    void subscriptionSeesTheValuesChange() throws Exception {
        long servedBefore = server.valuesServed();
        UaSubscription subscription = client.getSubscriptionManager().createSubscription(50.0).get(10, SECONDS);
        try {
            Set<Object> distinct = ConcurrentHashMap.newKeySet();
            CompletableFuture<Void> twoValues = new CompletableFuture<>();
            MonitoredItemCreateRequest request = new MonitoredItemCreateRequest(
                new ReadValueId(node("Plant/Line01/Machine01/Sensor01/Temperature"), AttributeId.Value.uid(), null,
                    QualifiedName.NULL_VALUE),
                MonitoringMode.Reporting,
                new MonitoringParameters(uint(1), 20.0, null, uint(10), true));
            List<UaMonitoredItem> items = subscription.createMonitoredItems(TimestampsToReturn.Both, List.of(request),
                (item, index) -> item.setValueConsumer(value -> {
                    if (value.getStatusCode().isGood()) {
                        distinct.add(value.getValue().getValue());
                        if (distinct.size() >= 2) {
                            twoValues.complete(null);
                        }
                    }
                })).get(10, SECONDS);
            assertTrue(items.get(0).getStatusCode().isGood(), () -> "item: " + items.get(0).getStatusCode());
            assertEquals(50.0, items.get(0).getRevisedSamplingInterval(), "max(10 ms, half the 100 ms period)");
            twoValues.get(10, SECONDS);
            assertTrue(server.valuesServed() > servedBefore, "sampling counts as values served");
        } finally {
            client.getSubscriptionManager().deleteSubscription(subscription.getSubscriptionId()).get(10, SECONDS);
        }
    }

    @Test
    void moreMonitoredItemsPerCallThanTheLimitAreRefused() throws Exception {
        UaSubscription subscription = client.getSubscriptionManager().createSubscription(500.0).get(10, SECONDS);
        try {
            List<MonitoredItemCreateRequest> requests = new ArrayList<>();
            for (int i = 0; i <= MAX_MONITORED_ITEMS_PER_CALL; i++) {
                requests.add(new MonitoredItemCreateRequest(
                    new ReadValueId(node("Plant/Types/Double"), AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE),
                    MonitoringMode.Reporting, new MonitoringParameters(uint(i + 1), 500.0, null, uint(1), true)));
            }
            ExecutionException e = assertThrows(ExecutionException.class,
                () -> subscription.createMonitoredItems(TimestampsToReturn.Both, requests).get(10, SECONDS));
            assertEquals(StatusCodes.Bad_TooManyOperations, MiloClients.statusOf(e), e.toString());
            List<UaMonitoredItem> ok = subscription.createMonitoredItems(TimestampsToReturn.Both,
                requests.subList(0, MAX_MONITORED_ITEMS_PER_CALL)).get(10, SECONDS);
            assertEquals(MAX_MONITORED_ITEMS_PER_CALL, ok.size());
        } finally {
            client.getSubscriptionManager().deleteSubscription(subscription.getSubscriptionId()).get(10, SECONDS);
        }
    }

    @Test
    void valuesServedCountsEveryValueRead() throws Exception {
        List<NodeId> ids = List.of(node("Plant/Types/Int32"), node("Plant/Types/BadSensor"), node("NoSuchNode"));
        long before = server.valuesServed();
        client.readValues(0, TimestampsToReturn.Both, ids).get(10, SECONDS);
        long served = server.valuesServed() - before;
        // Two existing nodes; another test's subscription may sample concurrently.
        assertTrue(served >= 2, "served " + served);
    }

    @Test
    void basic256Sha256SignAndEncryptWithUsernameAndPassword() throws Exception {
        try (MiloClients.Session session = MiloClients.connect(server, tmp, SecurityPolicy.Basic256Sha256,
            MessageSecurityMode.SignAndEncrypt, new UsernameProvider(USER, PASSWORD))) {
            DataValue v = session.client().readValue(0, TimestampsToReturn.Both, node("Plant/Types/Int32"))
                .get(10, SECONDS);
            assertTrue(v.getStatusCode().isGood());
        }
        Exception refused = assertThrows(Exception.class, () -> MiloClients.connect(server, tmp,
            SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt,
            new UsernameProvider(USER, "wrong")).close());
        long status = MiloClients.statusOf(refused);
        assertTrue(status == StatusCodes.Bad_UserAccessDenied || status == StatusCodes.Bad_IdentityTokenRejected,
            () -> "wrong password: " + refused);
    }

    @Test
    void usernameOverNoneEncryptsThePasswordWithBasic256Sha256() throws Exception {
        try (MiloClients.Session session = MiloClients.connect(server, tmp, SecurityPolicy.None,
            MessageSecurityMode.None, new UsernameProvider(USER, PASSWORD))) {
            assertTrue(session.client().readValue(0, TimestampsToReturn.Both, node("Plant/Types/Int32"))
                .get(10, SECONDS).getStatusCode().isGood());
        }
    }

    @Test
    void everyEndpointAcceptsASession() throws Exception {
        List<EndpointDescription> endpoints = DiscoveryClient.getEndpoints(server.endpointUrl()).get(10, SECONDS);
        // None + (Sign, SignAndEncrypt) x 3 policies.
        assertEquals(7, endpoints.size(), endpoints::toString);
        for (EndpointDescription endpoint : endpoints) {
            SecurityPolicy policy = SecurityPolicy.fromUri(endpoint.getSecurityPolicyUri());
            assertArrayEquals(server.certificate().getEncoded(), endpoint.getServerCertificate().bytes());
            try (MiloClients.Session session = MiloClients.connect(server, tmp, policy, endpoint.getSecurityMode(),
                new AnonymousProvider())) {
                assertTrue(session.client().readValue(0, TimestampsToReturn.Both, node("Plant/Types/Double"))
                    .get(10, SECONDS).getStatusCode().isGood(), policy + "/" + endpoint.getSecurityMode());
            }
        }
    }
}
