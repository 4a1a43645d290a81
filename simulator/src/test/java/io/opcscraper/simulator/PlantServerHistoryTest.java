package io.opcscraper.simulator;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryData;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResult;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadRawModifiedDetails;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plant's history (OPC UA Part 11) through a Milo 0.6.16 client: 40 historizing sensor
 * variables at 10 Hz, 60 s of backdated history, small limits so continuation points and the node
 * limit are exercised.
 */
class PlantServerHistoryTest {

    private static final double HZ = 10.0;
    private static final long PERIOD_MS = 100;

    @TempDir
    static Path pki;

    private static PlantServer plant;
    private static MiloClients.Session session;
    private static OpcUaClient client;

    @BeforeAll
    static void start() throws Exception {
        plant = PlantServer.builder().tags(40).changeRateHz(HZ).history(60).historyBackdated(true)
            .maxHistoryValuesPerNode(7).maxNodesPerHistoryReadData(5).maxHistoryContinuationPoints(6).start();
        session = MiloClients.connectAnonymous(plant, pki);
        client = session.client();
    }

    @AfterAll
    static void stop() throws Exception {
        if (session != null) {
            session.close();
        }
        if (plant != null) {
            plant.close();
        }
    }

    private static NodeId id(String path) {
        return new NodeId(plant.namespaceIndex(), path);
    }

    private static final String TEMPERATURE = "Plant/Line01/Machine01/Sensor01/Temperature";
    private static final String RUNNING = "Plant/Line01/Machine01/Sensor01/Running";

    private static HistoryReadResponse read(Instant start, Instant end, int perNode, boolean release,
                                            List<HistoryReadValueId> ids) throws Exception {
        ReadRawModifiedDetails details = new ReadRawModifiedDetails(false, new DateTime(start),
            end == null ? DateTime.MIN_VALUE : new DateTime(end), uint(perNode), false);
        return client.historyRead(details, TimestampsToReturn.Both, release, ids).get(20, SECONDS);
    }

    private static HistoryReadValueId node(NodeId id, ByteString point) {
        return new HistoryReadValueId(id, null, QualifiedName.NULL_VALUE, point);
    }

    private static DataValue[] data(HistoryReadResult result) {
        HistoryData data = (HistoryData) result.getHistoryData().decode(client.getStaticSerializationContext());
        return data.getDataValues();
    }

    @Test
    void sensorVariablesSayTheyAreHistorizingAndTheOthersDoNot() throws Exception {
        List<ReadValueId> reads = new ArrayList<>();
        for (NodeId node : List.of(id(TEMPERATURE), id("Plant/Types/Double"))) {
            reads.add(new ReadValueId(node, AttributeId.AccessLevel.uid(), null, QualifiedName.NULL_VALUE));
            reads.add(new ReadValueId(node, AttributeId.UserAccessLevel.uid(), null, QualifiedName.NULL_VALUE));
            reads.add(new ReadValueId(node, AttributeId.Historizing.uid(), null, QualifiedName.NULL_VALUE));
        }
        DataValue[] values = client.read(0, TimestampsToReturn.Neither, reads).get(10, SECONDS).getResults();
        assertEquals(UByte.valueOf(5), values[0].getValue().getValue(), "CurrentRead | HistoryRead");
        assertEquals(UByte.valueOf(5), values[1].getValue().getValue());
        assertEquals(true, values[2].getValue().getValue());
        assertEquals(UByte.valueOf(1), values[3].getValue().getValue(), "CurrentRead only");
        assertEquals(false, values[5].getValue().getValue());
    }

    @Test
    void theLimitsAreAdvertised() throws Exception {
        List<DataValue> values = client.readValues(0, TimestampsToReturn.Neither, List.of(
            Identifiers.Server_ServerCapabilities_OperationLimits_MaxNodesPerHistoryReadData,
            Identifiers.Server_ServerCapabilities_MaxHistoryContinuationPoints)).get(10, SECONDS);
        assertEquals(5L, ((Number) values.get(0).getValue().getValue()).longValue());
        assertEquals(6L, ((Number) values.get(1).getValue().getValue()).longValue());
    }

    /** Every period of a window, once, in order, across continuation points of 7 values. */
    @Test
    void aWindowComesBackWholeInPagesOfSevenWithContinuationPoints() throws Exception {
        Instant start = Instant.ofEpochMilli((System.currentTimeMillis() - 10_000) / PERIOD_MS * PERIOD_MS);
        Instant end = start.plusMillis(3_000); // 30 periods: [start, end)
        int held = plant.historyContinuationPoints();
        List<Instant> times = new ArrayList<>();
        int pages = 0;
        ByteString point = ByteString.NULL_VALUE;
        do {
            HistoryReadResult result = read(start, end, 0, false, List.of(node(id(TEMPERATURE), point)))
                .getResults()[0];
            assertTrue(result.getStatusCode().isGood(), result.getStatusCode().toString());
            DataValue[] values = data(result);
            assertTrue(values.length <= 7, "at most 7 values per response: " + values.length);
            for (DataValue value : values) {
                times.add(value.getSourceTime().getJavaInstant());
                assertEquals(value.getSourceTime(), value.getServerTime());
                assertTrue(value.getValue().getValue() instanceof Double);
            }
            point = result.getContinuationPoint();
            pages++;
        } while (point != null && point.isNotNull());
        assertEquals(30, times.size(), "one value per period of [start, end): " + times);
        assertEquals(start, times.get(0));
        assertEquals(end.minusMillis(PERIOD_MS), times.get(29));
        for (int i = 1; i < times.size(); i++) {
            assertEquals(PERIOD_MS, times.get(i).toEpochMilli() - times.get(i - 1).toEpochMilli());
        }
        assertEquals(5, pages, "30 values in pages of 7");
        assertEquals(held, plant.historyContinuationPoints(), "the last page holds no point");
    }

    @Test
    void aBooleanThatRarelyChangesHasOnlyItsChanges() throws Exception {
        Instant start = plant.historyStart();
        List<DataValue> values = new ArrayList<>();
        ByteString point = ByteString.NULL_VALUE;
        do {
            HistoryReadResult result = read(start, start.plusSeconds(50), 1000, false,
                List.of(node(id(RUNNING), point))).getResults()[0];
            values.addAll(List.of(data(result)));
            point = result.getContinuationPoint();
        } while (point != null && point.isNotNull());
        assertTrue(values.size() < 500 / 20 + 2, "the flips only, at most one per 20 periods: " + values.size());
        for (int i = 0; i < values.size(); i++) {
            assertFalse(values.get(i).getSourceTime().getJavaInstant().isBefore(start));
            assertTrue(i == 0 || !values.get(i).getValue().equals(values.get(i - 1).getValue()), "a change at " + i);
        }
    }

    @Test
    void releasedPointsAreGoneAndTooManyAreRefused() throws Exception {
        Instant start = plant.historyStart();
        List<HistoryReadValueId> five = new ArrayList<>();
        for (int s = 1; s <= 5; s++) {
            five.add(node(id("Plant/Line01/Machine01/Sensor0" + s + "/Count"), ByteString.NULL_VALUE));
        }
        HistoryReadResult[] first = read(start, start.plusSeconds(30), 0, false, five).getResults();
        List<HistoryReadValueId> points = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            assertEquals(StatusCodes.Good_MoreData, first[i].getStatusCode().getValue());
            points.add(node(five.get(i).getNodeId(), first[i].getContinuationPoint()));
        }
        assertEquals(5, plant.historyContinuationPoints());
        // Two more nodes: the sixth point is given, the seventh refused.
        HistoryReadResult[] more = read(start, start.plusSeconds(30), 0, false, List.of(
            node(id("Plant/Line01/Machine01/Sensor06/Count"), ByteString.NULL_VALUE),
            node(id("Plant/Line01/Machine01/Sensor07/Count"), ByteString.NULL_VALUE))).getResults();
        assertEquals(StatusCodes.Good_MoreData, more[0].getStatusCode().getValue());
        assertEquals(StatusCodes.Bad_NoContinuationPoints, more[1].getStatusCode().getValue());

        HistoryReadResponse released = read(start, start.plusSeconds(30), 0, true, points);
        for (HistoryReadResult result : released.getResults()) {
            assertTrue(result.getStatusCode().isGood());
        }
        assertEquals(1, plant.historyContinuationPoints(), "the five released, the sixth still held");
        HistoryReadResult reused = read(start, start.plusSeconds(30), 0, false, points.subList(0, 1)).getResults()[0];
        assertEquals(StatusCodes.Bad_ContinuationPointInvalid, reused.getStatusCode().getValue());
        read(start, start.plusSeconds(30), 0, true,
            List.of(node(id("Plant/Line01/Machine01/Sensor06/Count"), more[0].getContinuationPoint())));
        assertEquals(0, plant.historyContinuationPoints());
    }

    @Test
    void moreNodesThanTheLimitIsAServiceFault() {
        List<HistoryReadValueId> six = new ArrayList<>();
        for (int s = 1; s <= 6; s++) {
            six.add(node(id("Plant/Line01/Machine01/Sensor0" + s + "/Count"), ByteString.NULL_VALUE));
        }
        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
            () -> read(Instant.now().minusSeconds(5), Instant.now(), 0, false, six));
        assertEquals(StatusCodes.Bad_TooManyOperations, MiloClients.statusOf(failure));
    }

    @Test
    void nodesWithoutHistorySaySoPerNode() throws Exception {
        HistoryReadResult[] results = read(Instant.now().minusSeconds(5), Instant.now(), 0, false, List.of(
            node(id("Plant/Types/Double"), ByteString.NULL_VALUE),
            node(id("Plant/NoSuchNode"), ByteString.NULL_VALUE),
            node(id("Plant/Line01/Machine01/Sensor01/Pressure"), ByteString.NULL_VALUE))).getResults();
        assertEquals(StatusCodes.Bad_HistoryOperationUnsupported, results[0].getStatusCode().getValue());
        assertEquals(StatusCodes.Bad_NodeIdUnknown, results[1].getStatusCode().getValue());
        assertTrue(results[2].getStatusCode().isGood());
        read(Instant.now().minusSeconds(5), Instant.now(), 0, true,
            List.of(node(id("Plant/Line01/Machine01/Sensor01/Pressure"), results[2].getContinuationPoint())));
    }

    @Test
    void aVariableThatStopsHistorizingSaysSo() throws Exception {
        String pressure = "Plant/Line01/Machine01/Sensor10/Pressure";
        plant.stopHistorizing("nsu=" + PlantServer.NAMESPACE_URI + ";s=" + pressure);
        HistoryReadResult result = read(Instant.now().minusSeconds(5), Instant.now(), 0, false,
            List.of(node(id(pressure), ByteString.NULL_VALUE))).getResults()[0];
        assertEquals(StatusCodes.Bad_HistoryOperationUnsupported, result.getStatusCode().getValue());
        DataValue[] attributes = client.read(0, TimestampsToReturn.Neither, List.of(
            new ReadValueId(id(pressure), AttributeId.AccessLevel.uid(), null, QualifiedName.NULL_VALUE),
            new ReadValueId(id(pressure), AttributeId.Historizing.uid(), null, QualifiedName.NULL_VALUE)))
            .get(10, SECONDS).getResults();
        assertEquals(UByte.valueOf(1), attributes[0].getValue().getValue());
        assertEquals(false, attributes[1].getValue().getValue());
    }

    /** A restarted server's history begins at its new start: the earlier part is lost. */
    @Test
    void aServerWithoutBackdatingBeginsItsHistoryAtItsStart() throws Exception {
        Instant before = Instant.now();
        try (PlantServer fresh = PlantServer.builder().tags(4).changeRateHz(HZ).history(60).start();
             MiloClients.Session other = MiloClients.connectAnonymous(fresh, pki)) {
            assertFalse(fresh.historyStart().isBefore(before.minusMillis(PERIOD_MS)),
                fresh.historyStart() + " more than a period before " + before);
            ReadRawModifiedDetails details = new ReadRawModifiedDetails(false, new DateTime(before.minusSeconds(30)),
                new DateTime(Instant.now().plusSeconds(1)), uint(1000), false);
            HistoryReadResult result = other.client().historyRead(details, TimestampsToReturn.Source, false,
                List.of(new HistoryReadValueId(new NodeId(fresh.namespaceIndex(),
                    "Plant/Line01/Machine01/Sensor01/Count"), null, QualifiedName.NULL_VALUE, ByteString.NULL_VALUE)))
                .get(10, SECONDS).getResults()[0];
            HistoryData data = (HistoryData) result.getHistoryData().decode(other.client().getStaticSerializationContext());
            assertTrue(data.getDataValues().length > 0);
            assertEquals(fresh.historyStart(), data.getDataValues()[0].getSourceTime().getJavaInstant(),
                "the first value of the history, at its start");
            DateTime server = data.getDataValues()[0].getServerTime();
            assertTrue(server == null || server.isNull(), "TimestampsToReturn.Source: " + server);
        }
    }
}
