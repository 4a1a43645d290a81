package io.opcscraper.opcua.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opcscraper.api.CatalogNode;
import io.opcscraper.api.ComponentStatus;
import io.opcscraper.api.Sample;
import io.opcscraper.opcua.testing.CollectingSink;
import io.opcscraper.opcua.testing.Components;
import io.opcscraper.opcua.testing.UaComponents;
import io.opcscraper.simulator.PlantServer;

/**
 * The three OPC UA components against Milo's server with a generated plant of 5,000+
 * variables, every scalar type, arrays, a Bad node and a node removed at run time; small
 * MaxNodesPerRead and MaxNodesPerBrowse so reads are chunked and browsing is split.
 */
class PlantPipelineTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    static PlantServer server;

    @TempDir
    static Path pki;

    private final UaComponents ua = new UaComponents();

    @BeforeAll
    static void startServer() throws Exception {
        server = PlantServer.builder().tags(5000).maxNodesPerRead(100).maxNodesPerBrowse(50).maxReferencesPerBrowse(20)
                .changeRateHz(10)
                .securityPolicies("None").start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void stopComponents() {
        this.ua.close();
    }

    private void startDiscovery(Map<String, Object> discoveryProperties) {
        this.ua.discover("plant", server.endpointUrl(), pki, discoveryProperties);
    }

    @Test
    void discoversEveryVariableWithItsNamesTypesAndUnits() {
        startDiscovery(Components.discovery("plant-discovery"));
        List<CatalogNode> nodes = this.ua.discovery().nodes();
        Set<String> ids = nodes.stream().map(CatalogNode::nodeId).collect(Collectors.toSet());
        assertTrue(server.variableCount() >= 5000, "the plant is big enough: " + server.variableCount());
        List<String> missing = server.variableNodeIds().stream().filter(id -> !ids.contains(id)).toList();
        assertEquals(List.of(), missing, "every plant variable is in the catalog");

        CatalogNode temperature = nodes.stream().filter(n -> n.browsePath().endsWith("/Temperature")).findFirst()
                .orElseThrow();
        assertTrue(temperature.nodeId().startsWith("nsu=" + server.namespaceUri() + ";"), temperature.nodeId());
        assertEquals("Temperature", temperature.tagName());
        String[] path = temperature.browsePath().split("/");
        assertEquals(path[path.length - 2], temperature.sensorName(), "sensorname is the nearest Object");
        assertEquals("Double", temperature.dataType());
        assertEquals(-1, temperature.valueRank());
        assertTrue(temperature.isReadable());
        assertEquals("°C", temperature.engineeringUnit());

        CatalogNode array = nodes.stream().filter(n -> n.browsePath().endsWith("Types/DoubleArray")).findFirst()
                .orElseThrow(() -> new AssertionError("no Types/DoubleArray in " + nodes.stream()
                        .map(CatalogNode::browsePath).filter(p -> p.contains("Types/")).toList()));
        assertEquals(1, array.valueRank());
    }

    @Test
    void pollsEveryNodeInChunksAndStoresBadValuesAsBad() {
        Map<String, Object> discoveryProperties = Components.discovery("plant-discovery");
        discoveryProperties.put("include.patterns", "Plant/**");
        discoveryProperties.put("rebrowse.interval.s", 0);
        startDiscovery(discoveryProperties);
        CollectingSink sink = new CollectingSink();
        this.ua.poll(sink, Components.poller("plant-poller", "poll", 1000));

        int numeric = (int) this.ua.discovery().nodes().stream().filter(n -> n.browsePath().startsWith("Plant/Line")).count();
        await().atMost(TIMEOUT).until(() -> sink.samples().stream().map(Sample::nodeId).distinct().count() >= numeric);
        ComponentStatus connection = this.ua.connection().status();
        assertEquals("connected", connection.state());
        assertNull(connection.lastError());
        ComponentStatus discovery = this.ua.discovery().status();
        assertEquals("browsed", discovery.state());
        assertEquals(this.ua.discovery().nodes().size(), discovery.counter(ComponentStatus.NODES));
        ComponentStatus poller = this.ua.poller().status();
        assertEquals("running", poller.state());
        assertTrue(poller.counter(ComponentStatus.SAMPLES_READ) >= sink.samples().size(), poller.toString());
        assertEquals(0, poller.counter(ComponentStatus.SAMPLES_PENDING));

        Sample bad = await().atMost(TIMEOUT).until(() -> first(sink, "/BadSensor"), s -> s != null);
        assertNull(bad.value());
        assertFalse(bad.isGood());
        Sample nan = first(sink, "/NaN");
        assertNotNull(nan, "NaN sample");
        assertNull(nan.value(), "NaN is stored as NULL");
        for (String type : List.of("Boolean", "SByte", "Byte", "Int16", "UInt16", "Int32", "UInt32", "Int64",
                "UInt64", "Float", "Double")) {
            Sample typed = first(sink, "/Types/" + type);
            assertNotNull(typed, "a sample of Types/" + type);
            assertNotNull(typed.value(), "a number from Types/" + type);
        }
        for (String other : List.of("String", "DateTime", "Guid", "ByteString", "XmlElement", "NodeId",
                "ExpandedNodeId", "StatusCode", "QualifiedName", "LocalizedText", "StringArray")) {
            assertNull(first(sink, "/Types/" + other), "no sample of the non-numeric Types/" + other);
        }
        assertEquals(Set.of("Range.Low", "Range.High", "EUInformation.UnitId"),
                sink.matching(s -> s.nodeId().endsWith("/Types/Range") || s.nodeId().endsWith("/Types/EUInformation"))
                        .stream().map(Sample::tagName).collect(Collectors.toSet()),
                "standard structures give their numeric fields");
        List<String> arrayTags = sink.matching(s -> s.tagName() != null && s.tagName().startsWith("DoubleArray["))
                .stream().map(Sample::tagName).distinct().sorted().toList();
        assertEquals(List.of("DoubleArray[0]", "DoubleArray[1]", "DoubleArray[2]", "DoubleArray[3]", "DoubleArray[4]"),
                arrayTags);

        String removable = server.variableNodeIds().stream().filter(id -> id.endsWith("/Removable")).findFirst()
                .orElseThrow();
        server.removeVariable(removable);
        Instant removedAt = Instant.now();
        await().atMost(TIMEOUT).until(() -> !sink.matching(s -> s.nodeId().equals(removable)
                && s.quality() == StatusCodes.Bad_NodeIdUnknown).isEmpty());
        this.ua.discovery().modified(discoveryProperties);
        await().atMost(TIMEOUT).until(() -> this.ua.discovery().nodes().stream().noneMatch(n -> n.nodeId().equals(removable)));
        sink.clear();
        await().atMost(TIMEOUT).until(() -> sink.samples().stream().filter(s -> s.timestamp().isAfter(removedAt))
                .map(Sample::nodeId).distinct().count() >= numeric - 1);
    }

    @Test
    void samplesTheWriterRefusesWaitInMemoryAcrossAConfigurationChange() {
        Map<String, Object> discoveryProperties = Components.discovery("plant-discovery");
        discoveryProperties.put("include.patterns", "Plant/Line01/Machine01/**");
        discoveryProperties.put("rebrowse.interval.s", 0);
        startDiscovery(discoveryProperties);
        CollectingSink sink = new CollectingSink();
        sink.refuse("database down (test)");
        this.ua.poll(sink, Components.poller("plant-poller", "poll", 200));
        await().atMost(TIMEOUT).until(() -> this.ua.poller().status().counter(ComponentStatus.SAMPLES_PENDING) > 0);
        assertEquals("the writer does not take samples: database down (test)", this.ua.poller().status().lastError());

        // A new interval replaces the poll loop; what waits in memory stays and keeps counting.
        this.ua.poller().modified(Components.poller("plant-poller", "poll", 300));
        long read = this.ua.poller().status().counter(ComponentStatus.SAMPLES_READ);
        long pending = this.ua.poller().status().counter(ComponentStatus.SAMPLES_PENDING);
        assertTrue(pending > 0 && read >= pending, this.ua.poller().status().toString());
        sink.refuse(null);
        await().atMost(TIMEOUT).until(() -> this.ua.poller().status().counter(ComponentStatus.SAMPLES_PENDING) == 0
                && this.ua.poller().status().lastError() == null);
        assertTrue(sink.samples().size() >= pending, "the pending samples reached the writer");
        assertEquals(0, this.ua.poller().status().counter(ComponentStatus.SAMPLES_DROPPED));
    }

    @Test
    void subscribesAndSeesValuesChange() {
        Map<String, Object> discoveryProperties = Components.discovery("plant-discovery");
        discoveryProperties.put("include.patterns", "Plant/Line01/Machine01/**");
        startDiscovery(discoveryProperties);
        CollectingSink sink = new CollectingSink();
        this.ua.poll(sink, Components.poller("plant-poller", "subscribe", 200));
        await().atMost(TIMEOUT).until(() -> sink.matching(s -> "Temperature".equals(s.tagName())).stream()
                .map(Sample::value).distinct().count() >= 3);
    }

    @Test
    void explicitNodeIdsInTheNamespaceUriFormJoinTheCatalog() {
        Map<String, Object> discoveryProperties = Components.discovery("plant-discovery");
        discoveryProperties.put("browse.roots", "nsu=" + server.namespaceUri() + ";s=Plant/Line01/Machine01/Sensor01");
        discoveryProperties.put("node.ids", "nsu=" + server.namespaceUri() + ";s=Plant/Types/Double\nnsu=urn:nowhere;s=x");
        startDiscovery(discoveryProperties);
        List<CatalogNode> nodes = this.ua.discovery().nodes();
        CatalogNode explicit = nodes.stream().filter(n -> n.nodeId().endsWith(";s=Plant/Types/Double")).findFirst()
                .orElseThrow();
        assertEquals("Types", explicit.sensorName(), "the parent object of an explicit node");
        assertEquals("Double", explicit.tagName());
        assertTrue(nodes.stream().allMatch(n -> n.nodeId().contains("Sensor01/") || n == explicit),
                "only the subtree of the browse root and the explicit node: " + nodes.size());
    }

    private static Sample first(CollectingSink sink, String pathSuffix) {
        return sink.matching(s -> s.nodeId().endsWith(pathSuffix)).stream().findFirst().orElse(null);
    }
}
