package io.opcscraper.timescale.internal.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opcscraper.api.Sample;
import io.opcscraper.timescale.TestDatabase;
import io.opcscraper.timescale.internal.WriterComponent;
import io.opcscraper.timescale.internal.schema.SchemaDdl;
import io.opcscraper.timescale.internal.schema.SchemaProvisioner;
import io.opcscraper.timescale.internal.schema.SchemaSettings;
import io.opcscraper.timescale.internal.schema.TableNames;
import io.opcscraper.itests.support.LogCapture;
import io.opcscraper.testing.kura.TestSystem;
import io.opcscraper.timescale.testing.PlainCrypto;
import io.opcscraper.timescale.testing.WriterTable;

/**
 * What the writer says about its backlog when it starts: the spool line does not count samples
 * that already committed (the spool keeps them until their segment is reclaimed), and the line
 * after connecting counts what really waits: not what the marker covers, nor the ranges that
 * committed beyond it.
 */
class WriterStartupLogTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final TestDatabase DB = TestDatabase.fromEnvironment();

    @TempDir
    Path spool;

    private final String table = "wl_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    private final List<WriterComponent> writers = new ArrayList<>();
    private final WriterTable tables = new WriterTable(DB, this.table);
    private String writerId;

    @AfterEach
    void dropTable() throws SQLException {
        this.writers.forEach(WriterComponent::deactivate);
        try (Connection c = DB.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TableNames.quote(this.table) + " CASCADE");
            s.execute("DROP PROCEDURE IF EXISTS " + TableNames.quote(TableNames.rowCapProcedure(this.table))
                    + "(bigint)");
            s.execute("DROP PROCEDURE IF EXISTS " + TableNames.quote(TableNames.rowCapProcedure(this.table))
                    + "(bigint, text)");
            if (this.writerId != null) {
                s.execute("DELETE FROM opcscraper_progress WHERE writer_id = '" + this.writerId + "'");
                s.execute("DELETE FROM opcscraper_progress_ranges WHERE writer_id = '" + this.writerId + "'");
            }
        }
    }

    @Test
    void theStartupLinesDoNotCountWhatAlreadyCommitted() throws Exception {
        // Samples 1..1000 in the spool; 1..600 under the marker and 701..800 committed beyond
        // it, as a crash can leave them: 300 wait.
        WriterComponent down = writer(WriterTable.unreachable(DB));
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            samples.add(new Sample(Instant.parse("2026-11-28T00:00:00Z").plusMillis(i), "n", "gw", "s", "t", (double) i, 0));
        }
        down.accept(samples);
        down.deactivate();
        this.writerId = Files.readString(this.spool.resolve("writer-id")).trim();
        try (Connection c = DB.connect(); Statement s = c.createStatement()) {
            new SchemaProvisioner(false).provision(c, this.table, new SchemaSettings(0, 0, 3600, false, 60));
            s.execute("INSERT INTO opcscraper_progress VALUES ('" + this.writerId + "', '" + this.table
                    + "', 600, now())");
            s.execute("INSERT INTO opcscraper_progress_ranges VALUES ('" + this.writerId + "', 701, 800)");
        }

        try (LogCapture log = new LogCapture()) {
            writer(DB.url());
            await().atMost(TIMEOUT).until(() -> this.tables.rows() == 300);
            String spoolLine = log.line(": spool ");
            assertNotNull(spoolLine, log.text());
            assertFalse(spoolLine.contains("1000 samples"), spoolLine);
            assertTrue(spoolLine.contains("1..1000"), spoolLine);
            String connected = await().atMost(TIMEOUT).until(() -> log.line("writing to "), l -> l != null);
            assertTrue(connected.contains("; 300 samples wait"), connected);
        }
    }

    private WriterComponent writer(String jdbcUrl) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("kura.service.pid", "startup-writer");
        properties.put("jdbc.url", jdbcUrl);
        properties.put("db.user", DB.user());
        properties.put("db.password", DB.password());
        properties.put("table.name", this.table);
        properties.put("spool.dir", this.spool.toString());
        properties.put("flush.interval.ms", 50);
        properties.put("aggregates.enabled", false);
        properties.put("max.rows", 0L);
        WriterComponent writer = new WriterComponent(new PlainCrypto(), TestSystem.unknown(), properties);
        this.writers.add(writer);
        return writer;
    }
}
