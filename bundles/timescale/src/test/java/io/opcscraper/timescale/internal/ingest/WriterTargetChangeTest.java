package io.opcscraper.timescale.internal.ingest;

import static io.opcscraper.timescale.internal.ingest.WriterFixture.accept;
import static io.opcscraper.timescale.internal.ingest.WriterFixture.drained;
import static io.opcscraper.timescale.internal.ingest.WriterFixture.write;
import static io.opcscraper.timescale.internal.ingest.WriterFixture.DB;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.opcscraper.api.Sample;
import io.opcscraper.timescale.internal.WriterComponent;
import io.opcscraper.timescale.internal.spool.Spool;
import io.opcscraper.itests.support.LogCapture;
import io.opcscraper.timescale.testing.WriterTable;

/**
 * A writer whose database or table changes (issue 10, part 1): a sample any database acknowledged
 * is never written to another one; a new database gets what no database committed, then the live
 * data. Database A is the TimescaleDB database of the tests, database B the plain PostgreSQL one
 * on the same server (another database, another {@code opcscraper_progress}).
 */
class WriterTargetChangeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @RegisterExtension
    final WriterFixture writers = new WriterFixture("tc_");
    private final String table = this.writers.tableName();
    private final String otherTable = this.table + "_b";
    private final WriterTable inA = this.writers.table();
    private final WriterTable otherInA = new WriterTable(DB, this.otherTable);
    private final WriterTable inB = WriterTable.plain(DB, this.table);

    @AfterEach
    void cleanUp() throws Exception {
        this.otherInA.drop();
        this.inB.drop();
    }

    @Test
    void aJdbcUrlChangedAtRunTimeGivesTheNewDatabaseOnlyWhatNoDatabaseCommitted() throws Exception {
        Map<String, Object> properties = properties(DB.url(), this.table);
        WriterComponent writer = this.writers.start(properties);
        write(writer, 0, 5_000, this.inA, 5_000, TIMEOUT);

        try (LogCapture log = new LogCapture()) {
            properties.put("jdbc.url", DB.plainUrl());
            writer.modified(properties);
            write(writer, 5_000, 3_000, this.inB, 3_000, TIMEOUT);
            String line = log.line("has no progress of this writer (a new database): it receives only what no "
                    + "database committed, the samples after sequence 5000");
            assertNotNull(line, log.text());
        }
        assertEquals(5_000, this.inA.rows(), "A keeps what it had");
        assertEquals(0, inBoth(this.inA, this.inB), "no sample in both databases");
        assertEquals(0, this.inB.duplicates());
        assertEquals(List.of(5_000L, 7_999L), indexRange(this.inB), "B holds exactly the samples after the change");
    }

    @Test
    void aTableNameChangedAtRunTimeGetsOnlyWhatNoTableCommitted() throws Exception {
        Map<String, Object> properties = properties(DB.url(), this.table);
        WriterComponent writer = this.writers.start(properties);
        write(writer, 0, 4_000, this.inA, 4_000, TIMEOUT);

        properties.put("table.name", this.otherTable);
        writer.modified(properties);
        write(writer, 4_000, 1_500, this.otherInA, 1_500, TIMEOUT);
        assertEquals(4_000, this.inA.rows());
        assertEquals(List.of(4_000L, 5_499L), indexRange(this.otherInA));
    }

    /** Samples spooled while database A was unreachable were committed nowhere: database B gets them. */
    @Test
    void whatNoDatabaseCommittedGoesToTheNextOne() throws Exception {
        Map<String, Object> properties = properties(WriterTable.unreachable(DB), this.table);
        WriterComponent writer = this.writers.start(properties);
        accept(writer, 0, 2_000);
        await().atMost(TIMEOUT).until(() -> writer.status().lastError() != null);

        properties.put("jdbc.url", DB.plainUrl());
        writer.modified(properties);
        write(writer, 2_000, 500, this.inB, 2_500, TIMEOUT);
        assertEquals(0, this.inB.duplicates());
    }

    /**
     * A writer killed (SIGKILL) after the database committed a marker and before the spool's local
     * record said so: restarted on the same database it writes nothing twice and its record catches
     * up; moved to another database afterwards, that one gets only the new samples.
     */
    @Test
    void aKillBetweenTheCommitAndTheLocalRecordBreaksNeitherRule() throws Exception {
        long next = 0;
        List<long[]> acknowledged = new ArrayList<>();
        boolean between = false;
        String writerId = null;
        for (int attempt = 1; attempt <= 5 && !between; attempt++) {
            ChildWriter child = ChildWriter.start(attempt, this.table, this.writers.spool(), DB.url(), next, 20_000,
                    Path.of("target", "writer-target"), DB);
            this.writers.closeAfter(child);
            child.awaitAck(next + 10_000);
            long before = next;
            await().atMost(TIMEOUT).until(() -> this.inA.exists() && this.inA.rows() > before);
            child.kill();
            // What a child tried but did not acknowledge may or may not be stored: not counted.
            acknowledged.add(new long[] { child.first(), child.lastAck() });
            next = child.lastTry() + 1;
            writerId = Files.readString(this.writers.spool().resolve("writer-id")).trim();
            long databaseMarker = marker(writerId);
            long recorded;
            try (Spool opened = Spool.open(this.writers.spool(), 512L << 20)) {
                recorded = opened.committedUpTo();
            }
            between = recorded < databaseMarker;
            System.out.printf("writer target: attempt %d killed at index %d; database marker %d, local record %d%n",
                    attempt, child.lastTry(), databaseMarker, recorded);
        }
        assertTrue(between, "no kill fell between a commit and the local record in 5 attempts");

        // Restarted on the same database: everything acknowledged once, and the record catches up.
        WriterComponent again = this.writers.start(properties(DB.url(), this.table));
        await().atMost(TIMEOUT).until(() -> drained(again));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            for (long[] range : acknowledged) {
                assertEquals(range[1] - range[0] + 1, this.inA.distinctValues(range[0], range[1]),
                        "acknowledged " + range[0] + ".." + range[1]);
            }
        });
        assertEquals(0, this.inA.duplicates());
        again.deactivate();
        try (Spool opened = Spool.open(this.writers.spool(), 512L << 20)) {
            assertEquals(marker(writerId), opened.committedUpTo(), "the local record caught up with the database");
        }

        // Moved to database B: only what comes now.
        WriterComponent moved = this.writers.start(properties(DB.plainUrl(), this.table));
        List<Sample> fresh = new ArrayList<>();
        for (long k = next; k < next + 1_000; k++) {
            fresh.add(WriterChild.sample(k));
        }
        moved.accept(fresh);
        await().atMost(TIMEOUT).until(() -> this.inB.exists() && this.inB.rows() == 1_000 && drained(moved));
        assertEquals(0, inBoth(this.inA, this.inB), "no sample in both databases");
    }

    // ---------------------------------------------------------------- helpers

    private Map<String, Object> properties(String jdbcUrl, String tableName) {
        Map<String, Object> properties = this.writers.properties("target-writer", jdbcUrl);
        properties.put("table.name", tableName);
        properties.put("batch.size", 1000);
        properties.put("max.rows", 0L);
        return properties;
    }

    private static long marker(String writerId) throws SQLException {
        try (Connection c = DB.connect();
                PreparedStatement s = c.prepareStatement(
                        "SELECT last_sequence FROM opcscraper_progress WHERE writer_id = ?")) {
            s.setString(1, writerId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }

    /** The lowest and highest sample index (the value) in a table. */
    private static List<Long> indexRange(WriterTable in) throws SQLException {
        String name = in.name();
        return List.of(in.count("SELECT min(value)::bigint FROM \"" + name + "\""),
                in.count("SELECT max(value)::bigint FROM \"" + name + "\""));
    }

    /** How many (nodeid, timestamp) of table b are also in table a. */
    private static long inBoth(WriterTable a, WriterTable b) throws SQLException {
        Set<String> keys = new HashSet<>();
        try (Connection c = a.connect();
                ResultSet r = c.createStatement().executeQuery("SELECT nodeid, \"timestamp\" FROM \"" + a.name() + "\"")) {
            while (r.next()) {
                keys.add(r.getString(1) + "@" + r.getTimestamp(2).toInstant());
            }
        }
        long both = 0;
        try (Connection c = b.connect();
                ResultSet r = c.createStatement().executeQuery("SELECT nodeid, \"timestamp\" FROM \"" + b.name() + "\"")) {
            while (r.next()) {
                if (keys.contains(r.getString(1) + "@" + r.getTimestamp(2).toInstant())) {
                    both++;
                }
            }
        }
        return both;
    }
}
