package io.opcscraper.timescale.grafana;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.opcscraper.api.CatalogNode;
import io.opcscraper.api.Sample;
import io.opcscraper.testing.kura.TestSystem;
import io.opcscraper.timescale.TestDatabase;
import io.opcscraper.timescale.internal.WriterComponent;
import io.opcscraper.timescale.internal.catalog.CatalogWriter;
import io.opcscraper.timescale.internal.schema.Edition;
import io.opcscraper.timescale.internal.schema.SchemaDdl;
import io.opcscraper.timescale.internal.schema.SchemaSettings;
import io.opcscraper.timescale.internal.schema.TableNames;
import io.opcscraper.timescale.internal.status.StatusReporter;
import io.opcscraper.timescale.testing.Json;
import io.opcscraper.timescale.testing.Pglite;
import io.opcscraper.timescale.testing.PlainCrypto;
import io.opcscraper.timescale.testing.ScratchSchema;

/**
 * The Grafana dashboard of the repository ({@code grafana/dashboards/opc-scraper.json}):
 * <ul>
 * <li>it is a Grafana dashboard: {@code testing/grafana/check-dashboard.mjs} compiles it as Grafana's
 * published model (npm {@code @grafana/schema}'s {@code Dashboard}) with {@code tsc --noEmit};</li>
 * <li>every variable's and every panel's SQL, expanded as Grafana's PostgreSQL data source does
 * ({@link GrafanaSql}), returns rows on the Apache edition and on plain PostgreSQL, over tables a
 * real writer made and filled, and on the community edition (PGlite: continuous aggregates);</li>
 * <li>a gateway whose status row is older than the dashboard's "not seen" bound is flagged.</li>
 * </ul>
 * Fails, never skips, without node, {@code npm ci --prefix testing/grafana} or the database.
 */
class GrafanaDashboardTest {

    private static final Path CHECKER = Path.of("../../testing/grafana").toAbsolutePath().normalize();
    private static final TestDatabase DB = TestDatabase.fromEnvironment();
    private static final List<String> CLIENTS = List.of("02:00:00:00:00:41/opcua-connection",
            "02:00:00:00:00:42/opcua-connection");
    private static final List<String> SENSORS = List.of("Line1/Machine1/Sensor1", "Line1/Machine1/Sensor2");
    private static final List<String> TAGS = List.of("Temperature", "Pressure");
    private static final String KILLED = "02:00:00:00:00:99";

    @TempDir
    Path spool;

    private ScratchSchema scratch;
    private WriterComponent writer;

    @AfterEach
    void cleanUp() throws SQLException {
        if (this.writer != null) {
            this.writer.deactivate();
        }
        if (this.scratch != null) {
            this.scratch.close();
        }
    }

    @Test
    void theDashboardConformsToGrafanasPublishedDashboardModel() throws Exception {
        Path types = CHECKER.resolve("node_modules/@grafana/schema/package.json");
        if (!Files.isRegularFile(types)) {
            fail("testing/grafana's dependencies are not installed (" + types.getParent() + " missing): run"
                    + " npm ci --prefix testing/grafana --no-audit --no-fund in the repository root");
        }
        Process p;
        try {
            p = new ProcessBuilder("node", CHECKER.resolve("check-dashboard.mjs").toString(),
                    DashboardFile.PATH.toString()).directory(CHECKER.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("Cannot start node (Node.js 18 or newer must be on the PATH): " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "check-dashboard.mjs did not finish");
        assertEquals(0, p.exitValue(), "the dashboard is not a Grafana Dashboard (tsc):\n" + out);
    }

    /** Apache edition (the data source's TimescaleDB option on) and plain PostgreSQL (off). */
    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void everyQueryReturnsRowsOverWhatAWriterWrote(boolean plain) throws Exception {
        this.scratch = ScratchSchema.create(DB, plain);
        this.writer = startWriter();
        try (Connection c = this.scratch.connect()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> count(c, "SELECT count(*) FROM opcscraper_status") == 1
                    && count(c, "SELECT count(*) FROM nodes") == 8
                    && count(c, "SELECT samples_written FROM opcscraper_status") == 8 * 30);
            // A gateway killed ten minutes ago: its last row stays.
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO opcscraper_status (writer_id, gateway, writer, clientids, table_name, edition,"
                        + " state, samples_accepted, samples_written, samples_spooled, samples_dropped,"
                        + " samples_quarantined, started_at, report_interval_s, last_seen) VALUES ('killed', '" + KILLED
                        + "', 'timescale-writer', ARRAY['" + KILLED + "/opcua-connection'], 'sensor_data', 'APACHE',"
                        + " 'writing', 10, 10, 0, 0, 0, now() - interval '1 hour', 60, now() - interval '10 minutes')");
            }
            DashboardFile dashboard = DashboardFile.read();
            Map<String, GrafanaSql.Value> values = new HashMap<>();
            for (DashboardFile.Variable v : dashboard.variables()) {
                if (v.type().equals("custom")) {
                    values.put(v.name(), GrafanaSql.Value.single(v.query().split(",")[0]));
                    continue;
                }
                List<String> found = rows(c, GrafanaSql.expand(v.query(), context(values, !plain))).stream()
                        .map(r -> String.valueOf(r.values().iterator().next())).toList();
                assertFalse(found.isEmpty(), "variable " + v.name() + " has no value");
                values.put(v.name(), v.includeAll() ? GrafanaSql.Value.all(found) : GrafanaSql.Value.single(found.get(0)));
            }
            assertEquals(GrafanaSql.Value.all(CLIENTS), values.get("clientid"));
            for (DashboardFile.Query q : dashboard.queries()) {
                String sql = GrafanaSql.expand(q.sql(), context(values, !plain));
                List<Map<String, Object>> result = rows(c, sql);
                assertFalse(result.isEmpty(), "panel \"" + q.panel() + "\" returned no rows:\n" + sql);
                if (q.panel().startsWith("Fleet")) {
                    assertEquals(List.of(KILLED, "NOT SEEN"), List.of(result.get(0).get("gateway"),
                            result.get(0).get("health")), "the gateway not seen comes first, flagged");
                    assertEquals("seen", result.get(1).get("health"), result.toString());
                }
                if (q.panel().startsWith("Gateways seen")) {
                    assertEquals(List.of(1L, 1L), List.of(result.get(0).get("seen"), result.get(0).get("not seen")));
                }
            }
        }
    }

    /** The community edition's objects (continuous aggregates with real-time aggregation) in PGlite. */
    @Test
    void everyQueryReturnsRowsOnTheCommunityEdition(@TempDir Path tmp) throws Exception {
        List<String> steps = new ArrayList<>();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        steps.add(Pglite.step("rows", "INSERT INTO sensor_data (\"timestamp\", nodeid, clientid, sensorname, tagname,"
                + " value, quality) SELECT now() - g * interval '10 seconds', 'n' || (g % 8), c.clientid, s.sensor,"
                + " t.tag, g, 0 FROM generate_series(0, 29) g, unnest(?::text[]) c(clientid), unnest(?::text[]) s(sensor),"
                + " unnest(?::text[]) t(tag)", array(CLIENTS), array(SENSORS), array(TAGS)));
        for (String client : CLIENTS) {
            for (String sensor : SENSORS) {
                for (String tag : TAGS) {
                    steps.add(Pglite.step("node " + client + sensor + tag, CatalogWriter.UPSERT, sensor + "/" + tag,
                            client, "Plant/" + sensor + "/" + tag, sensor, tag, "Double", "°C", now.toString(), ""));
                }
            }
            steps.add(Pglite.step("status " + client, StatusReporter.UPSERT, "w-" + client, client.split("/")[0],
                    "timescale-writer", array(List.of(client)), "sensor_data", "COMMUNITY", "0.1.0", "KURA_5.5.0",
                    "writing", 100, 100, 0, 0, 0, null, null, null, now.minusSeconds(600).toString(), 60));
        }
        steps.add(Pglite.step("killed", "UPDATE opcscraper_status SET last_seen = now() - interval '10 minutes'"
                + " WHERE writer_id = ?", "w-" + CLIENTS.get(1)));
        Map<String, GrafanaSql.Value> values = new HashMap<>();
        values.put("table", GrafanaSql.Value.single("sensor_data"));
        values.put("clientid", GrafanaSql.Value.all(CLIENTS));
        values.put("sensorname", GrafanaSql.Value.all(SENSORS));
        values.put("tagname", GrafanaSql.Value.all(TAGS));
        values.put("not_seen_after", GrafanaSql.Value.single("3 minutes"));
        DashboardFile dashboard = DashboardFile.read();
        List<String> names = new ArrayList<>();
        for (DashboardFile.Variable v : dashboard.variables()) {
            if (!v.type().equals("custom")) {
                steps.add(Pglite.step("variable " + v.name(), GrafanaSql.expand(v.query(), context(values, true))));
                names.add("variable " + v.name());
            }
        }
        for (DashboardFile.Query q : dashboard.queries()) {
            steps.add(Pglite.step("panel " + q.panel(), GrafanaSql.expand(q.sql(), context(values, true))));
            names.add("panel " + q.panel());
        }
        String input = "{\n\"lockKey\": " + Json.string(Long.toString(TableNames.lockKey("sensor_data"))) + ",\n"
                + "\"statements\": " + Json.strings(SchemaDdl.statements(Edition.COMMUNITY, "sensor_data",
                        new SchemaSettings(100_000, 0, 3600, true, 60))) + ",\n"
                + "\"steps\": [" + String.join(",\n", steps) + "]\n}\n";
        Map<String, Object> result = Pglite.run("run-steps.mjs", input, tmp);
        assertEquals("timescale", result.get("license"));
        Map<String, Object> done = Json.object(result, "steps");
        for (String name : names) {
            assertFalse(Json.array(done, name).isEmpty(), name + " returned no rows on the community edition");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) Json.array(done, "panel " + dashboard.queries().get(0)
                .panel()).get(0);
        assertEquals("NOT SEEN", first.get("health"), first.toString());
    }

    private static String array(List<String> values) {
        return "{" + String.join(",", values.stream().map(v -> "\"" + v + "\"").toList()) + "}";
    }

    private static GrafanaSql.Context context(Map<String, GrafanaSql.Value> values, boolean timescaledb) {
        Instant now = Instant.now();
        return new GrafanaSql.Context(now.minus(Duration.ofHours(1)), now.plusSeconds(60), Duration.ofSeconds(10),
                timescaledb, values);
    }

    /** A writer of the scratch role writing 30 samples of each node of two clientids, with their catalogs. */
    private WriterComponent startWriter() throws Exception {
        Map<String, Object> properties = new HashMap<>();
        properties.put("kura.service.pid", "timescale-writer");
        properties.put("jdbc.url", this.scratch.url());
        properties.put("db.user", this.scratch.user());
        properties.put("db.password", this.scratch.password());
        properties.put("spool.dir", this.spool.toString());
        properties.put("flush.interval.ms", 50);
        properties.put("status.interval.s", 5);
        WriterComponent w = new WriterComponent(new PlainCrypto(), TestSystem.withMac("02:00:00:00:00:41"), properties);
        Instant now = Instant.now();
        for (String client : CLIENTS) {
            List<CatalogNode> nodes = new ArrayList<>();
            List<Sample> samples = new ArrayList<>();
            for (String sensor : SENSORS) {
                for (String tag : TAGS) {
                    String node = "nsu=urn:plant;s=" + sensor + "/" + tag;
                    nodes.add(new CatalogNode(node, "Plant/" + sensor + "/" + tag, sensor, tag, "Double", -1, List.of(), 1,
                            "°C"));
                    for (int i = 0; i < 30; i++) {
                        samples.add(new Sample(now.minusSeconds(10L * i), node, client, sensor, tag, 20.0 + i, 0));
                    }
                }
            }
            w.catalog(client, nodes);
            w.accept(samples);
        }
        return w;
    }

    private static long count(Connection c, String sql) {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getLong(1) : -1;
        } catch (SQLException e) {
            return -1; // not provisioned yet
        }
    }

    private static List<Map<String, Object>> rows(Connection c, String sql) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            ResultSetMetaData m = r.getMetaData();
            while (r.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int k = 1; k <= m.getColumnCount(); k++) {
                    row.put(m.getColumnLabel(k), r.getObject(k));
                }
                out.add(row);
            }
        }
        return out;
    }
}
