package io.opcscraper.timescale.internal.ingest;

import static io.opcscraper.timescale.internal.ingest.WriterFixture.DB;
import static io.opcscraper.timescale.internal.ingest.WriterFixture.TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.opcscraper.api.Sample;
import io.opcscraper.timescale.internal.WriterComponent;
import io.opcscraper.timescale.internal.schema.SchemaProvisioner;
import io.opcscraper.timescale.internal.schema.SchemaSettings;
import io.opcscraper.timescale.internal.schema.TableNames;
import io.opcscraper.itests.support.LogCapture;
import io.opcscraper.timescale.testing.WriterTable;

/**
 * Retention by age where the database schedules no jobs: the writer's maintenance (run when it
 * connects, then every {@code row.cap.interval.s}) removes the rows older than
 * {@code retention.days} and keeps the newer ones, with or without a row cap. The Apache edition
 * (the local TimescaleDB) drops whole chunks, plain PostgreSQL (its database without the
 * extension) deletes rows; each says in one log line what it removed.
 */
class WriterRetentionTest {

    /** Where the test runs. */
    enum Target {
        TIMESCALEDB, PLAIN;

        String url() {
            return this == TIMESCALEDB ? DB.url() : DB.plainUrl();
        }

        Connection connect() throws SQLException {
            return this == TIMESCALEDB ? DB.connect() : DB.connectPlain();
        }

        WriterTable table(String name) {
            return this == TIMESCALEDB ? new WriterTable(DB, name) : WriterTable.plain(DB, name);
        }
    }

    @RegisterExtension
    final WriterFixture writers = new WriterFixture("wr_");
    private final String table = this.writers.tableName();
    private WriterTable rows;

    @AfterEach
    void dropTable() throws Exception {
        if (this.rows != null) {
            this.rows.drop();
        }
    }

    @ParameterizedTest(name = "{0}, max.rows {1}")
    @CsvSource({ "TIMESCALEDB, 0", "PLAIN, 0", "TIMESCALEDB, 100000", "PLAIN, 100000" })
    void theWriterRemovesRowsOlderThanTheRetentionAndKeepsTheNewerOnes(Target target, long maxRows)
            throws Exception {
        this.rows = target.table(this.table);
        String t = TableNames.quote(this.table);
        // The table as the writer left it before a restart: 200 rows three days old (one a
        // minute), 100 rows of the last hour.
        try (Connection c = target.connect(); Statement s = c.createStatement()) {
            new SchemaProvisioner(false).provision(c, this.table, new SchemaSettings(maxRows, 1, 3600, false, 60));
            s.execute("INSERT INTO " + t + " (\"timestamp\", nodeid, clientid, sensorname, tagname, value, quality)"
                    + " SELECT now() - interval '3 days' - g * interval '1 minute', 'old', 'gw', 's', 't', g, 0"
                    + " FROM generate_series(0, 199) g");
            s.execute("INSERT INTO " + t + " (\"timestamp\", nodeid, clientid, sensorname, tagname, value, quality)"
                    + " SELECT now() - interval '1 hour' + g * interval '1 second', 'recent', 'gw', 's', 't', g, 0"
                    + " FROM generate_series(0, 99) g");
        }
        assertEquals(200, this.rows.count("SELECT count(*) FROM " + t + " WHERE nodeid = 'old'"));

        try (LogCapture log = new LogCapture()) {
            WriterComponent writer = writer(target, maxRows);
            List<Sample> fresh = new ArrayList<>();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            for (int i = 0; i < 50; i++) {
                fresh.add(new Sample(now.plusMillis(i), "new", "gw", "s", "t", (double) i, 0));
            }
            writer.accept(fresh);

            await().atMost(TIMEOUT).until(() -> this.rows.count("SELECT count(*) FROM " + t + " WHERE nodeid = 'old'") == 0);
            await().atMost(TIMEOUT).until(() -> this.rows.count("SELECT count(*) FROM " + t + " WHERE nodeid = 'new'") == 50);
            assertEquals(100, this.rows.count("SELECT count(*) FROM " + t + " WHERE nodeid = 'recent'"),
                    "rows newer than the retention were removed");

            String line = await().atMost(TIMEOUT).until(() -> log.line(": retention ("), l -> l != null);
            assertNotNull(line);
            assertTrue(line.contains(this.table) && line.contains("older than"), line);
            assertTrue(target == Target.TIMESCALEDB ? line.matches(".*dropped \\d+ chunks? .*")
                    : line.contains("deleted 200 rows"), line);
        }
    }

    private WriterComponent writer(Target target, long maxRows) {
        Map<String, Object> properties = this.writers.properties("retention-writer", target.url());
        properties.put("max.rows", maxRows);
        properties.put("retention.days", 1);
        return this.writers.start(properties);
    }
}
