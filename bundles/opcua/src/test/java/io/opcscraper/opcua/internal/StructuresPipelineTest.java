package io.opcscraper.opcua.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opcscraper.api.CatalogField;
import io.opcscraper.api.CatalogNode;
import io.opcscraper.api.ComponentStatus;
import io.opcscraper.api.Sample;
import io.opcscraper.opcua.testing.CollectingSink;
import io.opcscraper.opcua.testing.Components;
import io.opcscraper.opcua.testing.UaComponents;
import io.opcscraper.simulator.PlantServer;

/**
 * Structured values end to end against the plant simulator (Milo's server): its own structure
 * types (nested, arrays of structures, an optional field, an enumeration, a union, hostile field
 * names, a type described wrongly on purpose) and a standard one (ServerStatusDataType), described
 * by DataTypeDefinitions or only by a 1.03 dictionary; poll and subscribe; a type changed while
 * the gateway collects. And the server's own diagnostics, left out unless asked for.
 */
class StructuresPipelineTest {

    private static final Duration TIMEOUT = UaComponents.TIMEOUT;
    private static final String MOTOR = "Structures/Machine01/Motor";

    static PlantServer server;

    @TempDir
    static Path pki;

    private final UaComponents ua = new UaComponents();

    @BeforeAll
    static void startServer() throws Exception {
        server = PlantServer.builder().tags(40).changeRateHz(5).maxNodesPerRead(20).securityPolicies("None").start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void stopComponents() {
        this.ua.close();
    }

    @Test
    void everyLeafOfEveryStructureBecomesARowWhenPolled() {
        CollectingSink sink = collect(server, "Structures/**", "poll", false);
        await().atMost(TIMEOUT).until(() -> tags(sink, "Motor.").contains("Motor.Torque")
                && tags(sink, "Reading.").size() == 2);
        assertEquals(new TreeSet<>(List.of("Motor.Speed", "Motor.Status.Current", "Motor.Status.State",
                "Motor.Status.Running", "Motor.Axes[0].Position", "Motor.Axes[0].Velocity", "Motor.Axes[1].Position",
                "Motor.Axes[1].Velocity", "Motor.Axes[2].Position", "Motor.Axes[2].Velocity", "Motor.Temperatures[0]",
                "Motor.Temperatures[1]", "Motor.Torque", "Motor.Limits.Low", "Motor.Limits.High")),
                rowsOf(sink, MOTOR), "strings and LocalizedTexts give no row; the optional Torque when present");
        assertFalse(rowsOf(sink, "Structures/Machine01/IdleMotor").contains("IdleMotor.Torque"),
                "an absent optional field gives no row");
        assertEquals(Set.of("Reading.Level", "Reading.Code"), rowsOf(sink, "Structures/Machine01/Reading"),
                "a union gives its chosen field, Level or Code by period");
        assertTrue(rowsOf(sink, "Structures/Machine01/Readings").containsAll(List.of("Readings[0].Level",
                "Readings[1].Code", "Readings[2].Level")) || rowsOf(sink, "Structures/Machine01/Readings")
                        .containsAll(List.of("Readings[0].Code", "Readings[1].Level", "Readings[2].Code")));
        assertEquals(Set.of("ServerStatus.State", "ServerStatus.SecondsTillShutdown"),
                rowsOf(sink, "Structures/Machine01/ServerStatus"), "a standard structure by the same rules");
        Set<String> hostile = rowsOf(sink, "Structures/Machine01/Hostile");
        assertEquals(6, hostile.size(), hostile.toString());
        assertTrue(hostile.contains("Hostile.Robert'); DROP TABLE sensor_data;--"), hostile.toString());
        assertTrue(hostile.contains("Hostile.Ünïcødé 温度 °C ✓"), hostile.toString());

        Sample state = sink.matching(s -> "Motor.Status.State".equals(s.tagName())).get(0);
        assertTrue(state.value() >= 0 && state.value() <= 2 && state.value() == Math.rint(state.value()),
                "an enumeration stores its integer: " + state.value());
        for (Map.Entry<java.time.Instant, List<Sample>> value : sink.matching(s -> s.nodeId().endsWith(MOTOR)).stream()
                .collect(Collectors.groupingBy(Sample::timestamp)).entrySet()) {
            assertEquals(1, value.getValue().stream().map(Sample::quality).distinct().count());
            assertTrue(value.getValue().stream().allMatch(s -> "Machine01".equals(s.sensorName())));
        }

        assertEquals(List.of(), rowsOf(sink, "Structures/Machine01/Broken").stream().toList(),
                "a type described wrongly on purpose gives no row");
        await().atMost(TIMEOUT).until(() -> this.ua.poller().status().counter(ComponentStatus.VALUES_UNDECODED) > 0);
        assertEquals(1, this.ua.discovery().status().counter(ComponentStatus.STRUCTURE_TYPES_FAILED),
                this.ua.discovery().status().toString());
        assertTrue(sink.samples().stream().map(Sample::nodeId).distinct().count() >= 8, "the others are stored");
    }

    @Test
    void theCatalogListsEachLeafWithItsTypeAndTheUnitsTheServerGives() {
        collect(server, "Structures/**", "poll", false);
        CatalogNode motor = node(MOTOR);
        Map<String, CatalogField> fields = motor.fields().stream()
                .collect(Collectors.toMap(CatalogField::path, f -> f));
        assertEquals(List.of(".Speed", ".Status.Current", ".Status.State", ".Status.Running", ".Axes[].Position",
                ".Axes[].Velocity", ".Temperatures[]", ".Torque", ".Limits.Low", ".Limits.High"),
                motor.fields().stream().map(CatalogField::path).toList());
        assertEquals("rpm", fields.get(".Speed").engineeringUnit(), "from the Motor's Speed variable");
        assertEquals("A", fields.get(".Status.Current").engineeringUnit());
        assertEquals("Float", fields.get(".Axes[].Velocity").dataType());
        assertEquals("nsu=" + server.namespaceUri() + ";s=DataTypes/MotorState", fields.get(".Status.State").dataType());
        assertEquals(List.of("[].Level", "[].Code"),
                node("Structures/Machine01/Readings").fields().stream().map(CatalogField::path).toList());
        assertEquals(List.of(), node("Structures/Machine01/Broken").fields());
        assertEquals(List.of(), node("Structures/Machine01/Motor/Speed").fields(), "a Double has no fields");
    }

    @Test
    void subscribedValuesAreDecodedTheSameWay() {
        CollectingSink sink = collect(server, "Structures/Machine01/Motor", "subscribe", false);
        await().atMost(TIMEOUT).until(() -> rowsOf(sink, MOTOR).containsAll(List.of("Motor.Speed",
                "Motor.Status.State", "Motor.Axes[2].Velocity", "Motor.Limits.High")));
        await().atMost(TIMEOUT).until(() -> sink.matching(s -> "Motor.Speed".equals(s.tagName())).stream()
                .map(Sample::value).distinct().count() >= 3);
    }

    @Test
    void aServerWithOnlyADataTypeDictionaryGivesTheSameRows() throws Exception {
        try (PlantServer old = PlantServer.builder().tags(4).changeRateHz(5).structureDescriptions("dictionary")
                .securityPolicies("None").start()) {
            CollectingSink sink = collect(old, "Structures/**", "poll", false);
            await().atMost(TIMEOUT).until(() -> rowsOf(sink, MOTOR).contains("Motor.Torque")
                    && rowsOf(sink, "Structures/Machine01/Reading").size() == 2);
            assertTrue(rowsOf(sink, MOTOR).containsAll(List.of("Motor.Speed", "Motor.Status.State",
                    "Motor.Axes[1].Position", "Motor.Temperatures[1]", "Motor.Limits.Low")), rowsOf(sink, MOTOR).toString());
            assertEquals("MotorState", node(MOTOR).fields().get(2).dataType(), "the dictionary's name of the enumeration");
            assertEquals(1, this.ua.discovery().status().counter(ComponentStatus.STRUCTURE_TYPES_FAILED),
                    "the broken type's dictionary entry names a type nobody describes");
        }
    }

    @Test
    void aTypeTheServerChangesWhileCollectingIsReadAgainAndItsNewFieldStored() throws Exception {
        try (PlantServer changing = PlantServer.builder().tags(4).changeRateHz(5).securityPolicies("None").start()) {
            CollectingSink sink = collect(changing, "Structures/Machine01/Motor", "poll", false);
            await().atMost(TIMEOUT).until(() -> rowsOf(sink, MOTOR).contains("Motor.Speed"));
            long generation = this.ua.discovery().generation();
            changing.extendStructureType("Motor", "Power");
            await().atMost(TIMEOUT).until(() -> rowsOf(sink, MOTOR).contains("Motor.Power"));
            assertTrue(this.ua.discovery().generation() > generation, "a new catalog");
            assertTrue(node(MOTOR).fields().stream().anyMatch(f -> f.path().equals(".Power")));
            sink.clear();
            await().atMost(TIMEOUT).until(() -> sink.matching(s -> "Motor.Power".equals(s.tagName())).size() >= 3);
            assertEquals(timestamps(sink, "Motor.Speed"), timestamps(sink, "Motor.Power"),
                    "every value since the new description gives the new field too");
        }
    }

    @Test
    void theServersOwnDiagnosticsAreLeftOutUnlessAsked() {
        collect(server, "**", "poll", false);
        List<String> paths = this.ua.discovery().nodes().stream().map(CatalogNode::browsePath).toList();
        assertFalse(paths.stream().anyMatch(p -> p.startsWith("Server/")), "the Server object i=2253");
        assertFalse(paths.stream().anyMatch(p -> p.contains("UaSession:") || p.endsWith("SubscriptionDiagnostics")),
                "session and subscription diagnostics in the plant's own namespace, by their type: " + paths);
        assertTrue(paths.stream().anyMatch(p -> p.startsWith("Plant/")));
        this.ua.close();
        collect(server, "**", "poll", true);
        List<String> all = this.ua.discovery().nodes().stream().map(CatalogNode::browsePath).toList();
        assertTrue(all.contains("Server/ServerStatus/CurrentTime"), "with include.server.diagnostics");
        assertTrue(all.stream().anyMatch(p -> p.startsWith("Diagnostics/UaSession:OPC Scraper:")), all.toString());
        assertTrue(all.contains("Diagnostics/SubscriptionDiagnostics"));
    }

    private CollectingSink collect(PlantServer plant, String include, String mode, boolean diagnostics) {
        Map<String, Object> properties = Components.discovery("structures-discovery");
        properties.put("include.patterns", include);
        properties.put("include.server.diagnostics", diagnostics);
        properties.put("rebrowse.interval.s", 0);
        this.ua.discover("structures", plant.endpointUrl(), pki, properties);
        CollectingSink sink = new CollectingSink();
        if (!"**".equals(include)) {
            this.ua.poll(sink, Components.poller("structures-poller", mode, 200));
        }
        return sink;
    }

    private CatalogNode node(String path) {
        return this.ua.discovery().nodes().stream().filter(n -> n.browsePath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + path + " in " + this.ua.discovery().nodes().stream()
                        .map(CatalogNode::browsePath).toList()));
    }

    private static Set<String> rowsOf(CollectingSink sink, String path) {
        return sink.matching(s -> s.nodeId().endsWith(";s=" + path) && s.value() != null).stream().map(Sample::tagName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<java.time.Instant> timestamps(CollectingSink sink, String tag) {
        return sink.matching(s -> tag.equals(s.tagName())).stream().map(Sample::timestamp)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> tags(CollectingSink sink, String prefix) {
        return sink.matching(s -> s.tagName() != null && s.tagName().startsWith(prefix)).stream().map(Sample::tagName)
                .collect(Collectors.toSet());
    }
}
