package io.opcscraper.timescale.internal.ingest;

import static io.opcscraper.timescale.internal.ingest.WriterFixture.DB;
import static io.opcscraper.timescale.internal.ingest.WriterFixture.TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.opcscraper.api.CatalogField;
import io.opcscraper.api.CatalogNode;
import io.opcscraper.api.ComponentStatus;
import io.opcscraper.api.Sample;
import io.opcscraper.timescale.internal.WriterComponent;
import io.opcscraper.timescale.internal.schema.SchemaProvisioner;
import io.opcscraper.timescale.internal.schema.SchemaSettings;
import io.opcscraper.timescale.internal.spool.Spool;
import io.opcscraper.itests.support.TcpProxy;
import io.opcscraper.timescale.testing.WriterTable;

/**
 * The writer against the real TimescaleDB: samples go through the spool into the table exactly
 * once, across restarts, outages and a replay after a crash; a sample the table refuses is
 * quarantined while the rest is written.
 */
class WriterIngestTest {

    @RegisterExtension
    final WriterFixture writers = new WriterFixture("w_");
    private final String table = this.writers.tableName();
    private final WriterTable tables = this.writers.table();

    private int spoolMaxMb;

    private WriterComponent writer(String jdbcUrl) {
        Map<String, Object> properties = this.writers.properties("test-writer", jdbcUrl);
        properties.put("batch.size", 2000);
        if (this.spoolMaxMb > 0) {
            properties.put("spool.max.mb", this.spoolMaxMb);
        }
        return this.writers.start(properties);
    }

    @Test
    void everySampleIsStoredOnceAcrossARestart() throws Exception {
        WriterComponent first = writer(DB.url());
        accept(first, 0, 20_000);
        await().atMost(TIMEOUT).until(() -> this.tables.rows() == 20_000);
        first.deactivate();

        WriterComponent second = writer(DB.url());
        accept(second, 20_000, 1_000);
        await().atMost(TIMEOUT).until(() -> this.tables.rows() == 21_000);
        assertEquals(0, this.tables.duplicates());
    }

    /**
     * A spool meets a database without this writer's progress marker (a new database, another
     * one, or ./run switching to its embedded PostgreSQL): it gets only what no database committed
     * (what the spool still holds of the first writer's committed segment is not written again),
     * and the marker advances, so the spool is released. With a 1 MB spool the segments are 128 KB:
     * the first writer's committed segments are deleted, so the spool starts past sequence 1.
     */
    @Test
    void aDatabaseWithoutTheMarkerGetsOnlyWhatNoDatabaseCommittedAndTheMarkerAdvances() throws Exception {
        this.spoolMaxMb = 1;
        WriterComponent first = writer(DB.url());
        accept(first, 0, 5_000);
        await().atMost(TIMEOUT).until(() -> this.tables.exists() && this.tables.rows() == 5_000
                && first.status().counter(ComponentStatus.SPOOL_DEPTH) == 0);
        first.deactivate();
        String writerId = Files.readString(this.writers.spool().resolve("writer-id")).trim();
        try (Connection c = java.sql.DriverManager.getConnection(DB.url(), DB.connectionProperties());
                Statement s = c.createStatement()) {
            s.execute("DELETE FROM opcscraper_progress WHERE writer_id = '" + writerId + "'");
            s.execute("TRUNCATE \"" + this.table + "\"");
        }

        WriterComponent second = writer(DB.url());
        accept(second, 5_000, 3_000);
        String marker = "SELECT coalesce(max(last_sequence), -1) FROM opcscraper_progress WHERE writer_id = '"
                + writerId + "'";
        await().atMost(TIMEOUT).untilAsserted(() -> assertEquals(List.of(0L, 8_000L),
                List.of(second.status().counter(ComponentStatus.SPOOL_DEPTH), count(DB.url(), marker)),
                "spool depth, marker"));
        assertEquals(3_000, this.tables.rows(), "the new samples only");
        assertEquals(0, this.tables.duplicates());
    }

    /**
     * After a crash the spool hands out sequences above its sent watermark, which the writer had
     * reserved ahead: those it never handed out leave a gap right above a marker that may stand
     * exactly where it was. The marker must cross it, or nothing later would ever count as
     * committed and the spool would never be released.
     */
    @Test
    void theMarkerCrossesTheSequencesReservedBeforeACrash() throws Exception {
        WriterComponent first = writer(DB.url());
        accept(first, 0, 2_000);
        await().atMost(TIMEOUT).until(() -> this.tables.exists() && this.tables.rows() == 2_000
                && first.status().counter(ComponentStatus.SPOOL_DEPTH) == 0);
        first.deactivate();
        try (Spool spool = Spool.open(this.writers.spool(), 512L << 20)) {
            spool.reserve(30_000); // what a writer killed while sending had reserved
        }

        WriterComponent second = writer(DB.url());
        accept(second, 2_000, 1_000);
        await().atMost(TIMEOUT).until(() -> this.tables.rows() == 3_000
                && second.status().counter(ComponentStatus.SPOOL_DEPTH) == 0);
        assertEquals(0, this.tables.duplicates());
    }

    @Test
    void plainPostgresqlGetsTheSameRows() throws Exception {
        WriterComponent writer = writer(DB.plainUrl());
        accept(writer, 0, 5_000);
        await().atMost(TIMEOUT).until(() -> count(DB.plainUrl(), "SELECT CASE WHEN to_regclass('\"" + this.table
                + "\"') IS NULL THEN -1 ELSE (SELECT count(*) FROM \"" + this.table + "\") END") == 5_000);
        assertEquals(0, count(DB.plainUrl(), "SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'"),
                "the writer does not create the extension");
        try (Connection c = java.sql.DriverManager.getConnection(DB.plainUrl(), DB.connectionProperties());
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS \"" + this.table + "\" CASCADE");
            s.execute("DELETE FROM opcscraper_progress WHERE table_name = '" + this.table + "'");
        }
    }

    private static long count(String url, String sql) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(url, DB.connectionProperties());
                Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void samplesWaitInTheSpoolWhileTheDatabaseIsUnreachable() throws Exception {
        String unreachable = WriterTable.unreachable(DB);
        WriterComponent writer = writer(unreachable);
        accept(writer, 0, 5_000);
        await().atMost(TIMEOUT).until(() -> writer.ingest().orElseThrow().status().lastError() != null);
        assertEquals(5_000, writer.ingest().orElseThrow().spooled());
        assertTrue(!writer.ingest().orElseThrow().status().lastError().contains(DB.password()),
                "no password in the error");
        ComponentStatus down = writer.status();
        assertEquals("spooling", down.state());
        assertEquals(5_000, down.counter(ComponentStatus.SAMPLES_ACCEPTED));
        assertEquals(5_000, down.counter(ComponentStatus.SPOOL_DEPTH));
        assertEquals(0, down.counter(ComponentStatus.SAMPLES_WRITTEN));
        assertTrue(down.lastError() != null && !down.lastError().contains(DB.password()), down.lastError());

        Map<String, Object> fixed = this.writers.properties("test-writer", DB.url());
        writer.modified(fixed);
        await().atMost(TIMEOUT).until(() -> this.tables.exists() && this.tables.rows() == 5_000);
        assertEquals(0, this.tables.duplicates());
        // The counters survive the configuration change that replaced the ingest.
        await().atMost(TIMEOUT).until(() -> writer.status().counter(ComponentStatus.SPOOL_DEPTH) == 0);
        ComponentStatus up = writer.status();
        assertEquals("writing", up.state());
        assertEquals(5_000, up.counter(ComponentStatus.SAMPLES_ACCEPTED));
        assertEquals(5_000, up.counter(ComponentStatus.SAMPLES_WRITTEN));
        assertNull(up.lastError());
    }

    /**
     * An outage beyond the spool's bound (1 MB, about 8,000 samples): the oldest samples are
     * dropped and counted as dropped while it lasts; those the database turns out to hold (a
     * recorded range, as a batch whose reply the outage swallowed leaves) are taken back at the
     * reconnect. In the end dropped = samples accepted and not written, exactly.
     */
    @Test
    void samplesTheBoundDropsCountAsDroppedExceptThoseTheDatabaseHolds() throws Exception {
        this.spoolMaxMb = 1;
        java.net.URI target = java.net.URI.create(DB.url().substring("jdbc:".length()));
        try (TcpProxy proxy = TcpProxy.start(target.getHost(), target.getPort() < 0 ? 5432 : target.getPort())) {
            proxy.cutOff();
            WriterComponent writer = writer(DB.url().replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/"));
            accept(writer, 0, 30_000);
            await().atMost(TIMEOUT).until(() -> writer.status().counter(ComponentStatus.SAMPLES_DROPPED) > 0
                    && writer.status().counter(ComponentStatus.SAMPLES_DROPPED)
                            + writer.status().counter(ComponentStatus.SPOOL_DEPTH) == 30_000);
            long droppedWhileDown = writer.status().counter(ComponentStatus.SAMPLES_DROPPED);
            assertTrue(droppedWhileDown > 10_000 && droppedWhileDown < 30_000, droppedWhileDown + " dropped");

            String writerId = Files.readString(this.writers.spool().resolve("writer-id")).trim();
            try (Connection c = DB.connect(); Statement s = c.createStatement()) {
                provision(c);
                s.execute("INSERT INTO opcscraper_progress_ranges VALUES ('" + writerId + "', 1001, 2000)");
            }
            proxy.restore();
            String marker = "SELECT coalesce(max(last_sequence), -1) FROM opcscraper_progress WHERE writer_id = '"
                    + writerId + "'";
            await().atMost(TIMEOUT).untilAsserted(() -> assertEquals(List.of(30_000L, 0L),
                    List.of(count(DB.url(), marker), writer.status().counter(ComponentStatus.SPOOL_DEPTH)),
                    "marker, spool depth"));
            assertEquals(30_000 - droppedWhileDown, this.tables.rows(), "the samples the bound kept");
            assertEquals(droppedWhileDown - 1_000, writer.status().counter(ComponentStatus.SAMPLES_DROPPED),
                    "dropped, less the 1,000 the database holds");
            assertEquals(30_000 - droppedWhileDown, writer.status().counter(ComponentStatus.SAMPLES_WRITTEN));
            assertEquals(0, this.tables.duplicates());
            try (Connection c = DB.connect(); Statement s = c.createStatement()) {
                s.execute("DELETE FROM opcscraper_progress WHERE writer_id = '" + writerId + "'");
            }
        }
    }

    @Test
    void aReplayAfterACrashSkipsWhatAlreadyCommitted() throws Exception {
        String writerId = spoolWhileTheDatabaseIsDown(1_000);
        // As if samples 1..600 had committed just before a crash that left them in the spool.
        this.writers.committedBeforeACrash(writerId, 600);
        writer(DB.url());
        await().atMost(TIMEOUT).until(() -> this.tables.exists() && this.tables.rows() == 400);
        try (Connection c = DB.connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT min(value) FROM \"" + this.table + "\"")) {
            r.next();
            assertEquals(600.0, r.getDouble(1), "the replay starts after the committed sequence");
        }
    }

    @Test
    void aReplaySkipsBatchesCommittedBeyondTheMarkerWhileOthersWereInFlight() throws Exception {
        String writerId = spoolWhileTheDatabaseIsDown(1_000);
        // As if 1..600 were under the marker and 701..800 had committed in parallel, before a crash.
        this.writers.committedBeforeACrash(writerId, 600, new long[] { 701, 800 });
        writer(DB.url());
        await().atMost(TIMEOUT).until(() -> this.tables.exists() && this.tables.rows() == 300);
        assertEquals(0, count(DB.url(), "SELECT count(*) FROM \"" + this.table + "\" WHERE value BETWEEN 700 AND 799"),
                "the range committed beyond the marker is not written again");
        await().atMost(TIMEOUT).until(() -> count(DB.url(),
                "SELECT count(*) FROM opcscraper_progress_ranges WHERE writer_id = '" + writerId + "'") == 0);
    }

    @Test
    void aSampleTheTableRefusesIsQuarantinedAndTheRestIsWritten() throws Exception {
        WriterComponent writer = writer(DB.url());
        accept(writer, 0, 10);
        await().atMost(TIMEOUT).until(() -> this.tables.exists() && this.tables.rows() == 10);
        try (Connection c = DB.connect(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE \"" + this.table + "\" ADD CONSTRAINT no_poison CHECK (tagname <> 'poison')");
        }
        List<Sample> batch = new ArrayList<>();
        for (int i = 10; i < 1010; i++) {
            batch.add(sample(i, i == 500 ? "poison" : "tag"));
        }
        writer.accept(batch);
        await().atMost(TIMEOUT).until(() -> this.tables.rows() == 1009);
        Ingest ingest = writer.ingest().orElseThrow();
        assertEquals(1, ingest.quarantined());
        String quarantined = Files.readString(this.writers.spool().resolve("quarantine.jsonl"));
        assertTrue(quarantined.contains("23514") && quarantined.contains("\"tagname\":\"poison\""), quarantined);
        assertNotNull(ingest.status());
    }

    @Test
    void theCatalogOfEachClientIsKeptInTheNodesTable() throws Exception {
        WriterComponent writer = writer(DB.url());
        String client = "catalog-" + this.table;
        writer.catalog(client, List.of(
                new CatalogNode("nsu=urn:t;s=a", "Plant/M1/Temperature", "M1", "Temperature", "Double", -1, List.of(), 1,
                        "°C"),
                new CatalogNode("nsu=urn:t;s=b", "Plant/M1/Arr", "M1", "Arr", "Int32", 1, List.of(3), 1, null),
                new CatalogNode("nsu=urn:t;s=m", "Plant/M1/Motor", "M1", "Motor", "nsu=urn:t;i=3001", -1, List.of(), 1,
                        null, List.of(new CatalogField(".Status.Current", "Double", "A"),
                                new CatalogField(".Axes[].Position", "Double", null),
                                new CatalogField(".Robert'); DROP TABLE nodes;-- \"温度\"", "Int32", null)))));
        try {
            await().atMost(TIMEOUT).until(() -> count("SELECT count(*) FROM nodes WHERE clientid = '" + client + "'") == 6);
            assertEquals(1, count("SELECT count(*) FROM nodes WHERE clientid = '" + client
                    + "' AND engineering_unit = '°C' AND sensorname = 'M1' AND tagname = 'Temperature' AND field = ''"));
            assertEquals(1, count("SELECT count(*) FROM nodes WHERE clientid = '" + client + "' AND nodeid = 'nsu=urn:t;s=m'"
                    + " AND field = '' AND tagname = 'Motor' AND data_type = 'nsu=urn:t;i=3001'"), "the variable itself");
            assertEquals(1, count("SELECT count(*) FROM nodes WHERE clientid = '" + client + "' AND nodeid = 'nsu=urn:t;s=m'"
                    + " AND field = '.Status.Current' AND tagname = 'Motor.Status.Current' AND data_type = 'Double'"
                    + " AND engineering_unit = 'A' AND browse_path = 'Plant/M1/Motor'"), "a leaf, its tag name the rows'");
            assertEquals(1, count("SELECT count(*) FROM nodes WHERE clientid = '" + client
                    + "' AND tagname = 'Motor.Axes[].Position'"));
            assertEquals(1, count("SELECT count(*) FROM nodes WHERE clientid = '" + client
                    + "' AND field = '.Robert''); DROP TABLE nodes;-- \"温度\"'"), "a hostile field name, verbatim");
        } finally {
            try (Connection c = DB.connect(); Statement s = c.createStatement()) {
                s.execute("DELETE FROM nodes WHERE clientid = '" + client + "'");
            }
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = DB.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Spools samples 0..count-1 while nothing listens at the database address; returns the writer id. */
    private String spoolWhileTheDatabaseIsDown(int count) throws Exception {
        WriterComponent writer = writer(WriterTable.unreachable(DB));
        accept(writer, 0, count);
        writer.deactivate();
        return Files.readString(this.writers.spool().resolve("writer-id")).trim();
    }

    private void provision(Connection c) throws SQLException {
        new SchemaProvisioner(false).provision(c, this.table, new SchemaSettings(0, 0, 3600, false, 60));
    }

    private static void accept(WriterComponent writer, int from, int count) throws Exception {
        for (int start = from; start < from + count; start += 500) {
            List<Sample> batch = new ArrayList<>();
            for (int i = start; i < Math.min(from + count, start + 500); i++) {
                batch.add(sample(i, "tag"));
            }
            writer.accept(batch);
        }
    }

    private static Sample sample(int i, String tag) {
        return new Sample(Instant.parse("2026-11-28T00:00:00Z").plusMillis(i), "nsu=urn:t;s=n" + (i % 50), "gw",
                "sensor", tag, (double) i, 0);
    }
}
