package io.opcscraper.timescale.internal.ingest;

import static io.opcscraper.timescale.internal.ingest.WriterFixture.DB;
import static io.opcscraper.timescale.internal.ingest.WriterFixture.TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.opcscraper.api.Sample;
import io.opcscraper.testing.kura.TestSystem;
import io.opcscraper.timescale.internal.WriterComponent;
import io.opcscraper.itests.support.LogCapture;
import io.opcscraper.timescale.testing.ScratchSchema;
import io.opcscraper.timescale.testing.WriterTable;
import io.opcscraper.itests.support.TcpProxy;

/**
 * The writer's row of {@code opcscraper_status} on the real databases, each test in a role and
 * schema of its own (a random password: "no secret in the row" is checked against it): the row
 * appears at connect, names the gateway (Kura's SystemService) and the writer, counts what it
 * wrote, lists its clientids, is updated every {@code status.interval.s} with the database's clock,
 * keeps the latest problem with its time after an outage, says {@code stopped} after an orderly
 * stop; and a status row the database refuses never holds the samples up.
 */
class WriterStatusTableTest {

    private static final String MAC = "02:00:00:00:00:31";

    @RegisterExtension
    final WriterFixture writers = new WriterFixture("st_");
    private ScratchSchema scratch;

    @AfterEach
    void cleanUp() throws Exception {
        if (this.scratch != null) {
            this.scratch.close();
        }
    }

    private WriterComponent writer(String jdbcUrl) {
        Map<String, Object> properties = new WriterTable(DB, "sensor_data").writerProperties("status-writer", jdbcUrl,
                this.writers.spool());
        properties.put("db.user", this.scratch.user());
        properties.put("db.password", this.scratch.password());
        properties.put("status.interval.s", 5);
        return this.writers.start(properties, TestSystem.withMac(MAC));
    }

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void theWriterKeepsItsRowWithItsFiguresAndNoSecret(boolean plain) throws Exception {
        this.scratch = ScratchSchema.create(DB, plain);
        WriterComponent writer = writer(this.scratch.url());
        accept(writer, "gw/line-2", 0, 1000);
        accept(writer, "gw/line-1", 1000, 500);

        await().atMost(TIMEOUT).until(() -> longValue(row(), "samples_written") == 1500);
        Map<String, Object> first = row();
        String writerId = Files.readString(this.writers.spool().resolve("writer-id")).trim();
        assertEquals(writerId, first.get("writer_id"));
        assertEquals(MAC, first.get("gateway"), "the gateway named by Kura's SystemService");
        assertEquals("status-writer", first.get("writer"));
        assertEquals("{gw/line-1,gw/line-2}", first.get("clientids"), "the clientids it wrote, sorted");
        assertEquals("sensor_data", first.get("table_name"));
        assertEquals(plain ? "POSTGRESQL" : "APACHE", first.get("edition"));
        assertEquals("KURA_5.5.0", first.get("kura_version"));
        String version = (String) first.get("database_version");
        assertTrue(version.startsWith("PostgreSQL ") && version.contains("TimescaleDB ") != plain, version);
        assertEquals("writing", first.get("state"));
        assertEquals(List.of(1500L, 1500L, 0L, 0L, 0L), List.of(longValue(first, "samples_accepted"),
                longValue(first, "samples_written"), longValue(first, "samples_spooled"),
                longValue(first, "samples_dropped"), longValue(first, "samples_quarantined")));
        assertEquals(null, first.get("samples_backfilled"), "not reported by the writer (yet)");
        assertEquals(null, first.get("last_error"));
        assertEquals(5L, longValue(first, "report_interval_s"));

        // Every status.interval.s, on the database's clock.
        await().atMost(TIMEOUT).until(() -> !row().get("last_seen").equals(first.get("last_seen")));
        assertEquals(first.get("started_at"), row().get("started_at"));

        writer.deactivate();
        Map<String, Object> stopped = row();
        assertEquals("stopped", stopped.get("state"), "the orderly stop's final row");
        assertEquals(1500L, longValue(stopped, "samples_written"));
        assertNoSecret(stopped);
    }

    /** An outage through a proxy: the row keeps the latest problem with its time, the password never. */
    @Test
    void theLatestProblemStaysInTheRowWithItsTime() throws Exception {
        this.scratch = ScratchSchema.create(DB, false);
        URI target = URI.create(this.scratch.url().substring("jdbc:".length()));
        try (TcpProxy proxy = TcpProxy.start(target.getHost(), target.getPort())) {
            WriterComponent writer = writer(this.scratch.url().replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port()
                    + "/"));
            accept(writer, "gw/line-1", 0, 100);
            await().atMost(TIMEOUT).until(() -> longValue(row(), "samples_written") == 100);
            Instant before = Instant.now();
            proxy.cutOff();
            accept(writer, "gw/line-1", 100, 100);
            await().atMost(TIMEOUT).until(() -> writer.status().lastError() != null);
            proxy.restore();
            await().atMost(TIMEOUT).until(() -> longValue(row(), "samples_written") == 200);
            Map<String, Object> row = row();
            assertEquals("writing", row.get("state"), "the problem is over");
            String error = (String) row.get("last_error");
            assertNotNull(error, "the latest problem stays in the row: " + row);
            assertTrue(((java.sql.Timestamp) row.get("last_error_at")).toInstant().isAfter(before.minusSeconds(1)),
                    row.toString());
            assertNoSecret(row);
        }
    }

    /**
     * The database refuses the status row (a trigger raises): one WARN, the samples are all written
     * all the same; once it accepts again, the row is there and one INFO line says so.
     */
    @Test
    void aStatusRowTheDatabaseRefusesNeverHoldsTheSamplesUp() throws Exception {
        this.scratch = ScratchSchema.create(DB, false);
        try (Connection c = this.scratch.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE opcscraper_status (writer_id text PRIMARY KEY, gateway text, writer text NOT NULL,"
                    + " clientids text[] NOT NULL, table_name text NOT NULL, edition text NOT NULL,"
                    + " writer_version text, kura_version text, database_version text, state text NOT NULL,"
                    + " samples_accepted bigint NOT NULL, samples_written bigint NOT NULL,"
                    + " samples_spooled bigint NOT NULL, samples_dropped bigint NOT NULL,"
                    + " samples_quarantined bigint NOT NULL, samples_backfilled bigint, last_error text,"
                    + " last_error_at timestamptz, started_at timestamptz NOT NULL, report_interval_s integer NOT NULL,"
                    + " last_seen timestamptz NOT NULL)");
            s.execute("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " RAISE EXCEPTION 'status refused by the test'; END $$");
            s.execute("CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON opcscraper_status"
                    + " FOR EACH ROW EXECUTE FUNCTION refuse()");
        }
        try (LogCapture log = new LogCapture()) {
            WriterComponent writer = writer(this.scratch.url());
            accept(writer, "gw/line-1", 0, 2000);
            await().atMost(TIMEOUT).until(() -> rows("SELECT count(*) FROM sensor_data") == 2000);
            await().atMost(TIMEOUT).until(() -> log.line("could not be written") != null);
            String warning = log.line("could not be written");
            assertTrue(warning.contains("status refused by the test") && warning.contains("samples are not affected"),
                    warning);
            assertEquals(0, rows("SELECT count(*) FROM opcscraper_status"));
            assertEquals(null, writer.status().lastError(), "the writer's status has no error: the samples flow");

            try (Connection c = this.scratch.connect(); Statement s = c.createStatement()) {
                s.execute("DROP TRIGGER refuse ON opcscraper_status");
            }
            await().atMost(TIMEOUT).until(() -> rows("SELECT count(*) FROM opcscraper_status") == 1);
            await().atMost(TIMEOUT).until(() -> log.line("is written again") != null);
            assertFalse(log.text().contains(this.scratch.password()));
        }
    }

    private void assertNoSecret(Map<String, Object> row) {
        for (Map.Entry<String, Object> e : row.entrySet()) {
            String v = String.valueOf(e.getValue());
            assertFalse(v.contains(this.scratch.password()), e.getKey() + " holds the password: " + v);
            assertFalse(v.contains("jdbc:"), e.getKey() + " holds a URL: " + v);
        }
    }

    /** The only row of opcscraper_status, column to value (arrays as text); empty before the first. */
    private Map<String, Object> row() throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        try (Connection c = this.scratch.connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT *, clientids::text AS clientids FROM opcscraper_status")) {
            ResultSetMetaData m = r.getMetaData();
            if (r.next()) {
                for (int k = 1; k <= m.getColumnCount(); k++) {
                    out.put(m.getColumnLabel(k), m.getColumnType(k) == java.sql.Types.ARRAY ? null : r.getObject(k));
                }
                assertFalse(r.next(), "one row per writer");
            }
        }
        return out;
    }

    private long rows(String sql) throws SQLException {
        try (Connection c = this.scratch.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static long longValue(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v == null ? -1 : ((Number) v).longValue();
    }

    private static void accept(WriterComponent writer, String clientId, int from, int count) throws Exception {
        List<Sample> batch = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            batch.add(new Sample(Instant.parse("2026-12-01T00:00:00Z").plusMillis(i), "nsu=urn:t;s=n" + (i % 50),
                    clientId, "sensor", "tag", (double) i, 0));
        }
        writer.accept(batch);
    }
}
