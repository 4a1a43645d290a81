package io.opcscraper.timescale.internal.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opcscraper.api.ComponentStatus;
import io.opcscraper.api.Sample;
import io.opcscraper.testing.kura.TestSystem;
import io.opcscraper.timescale.TestDatabase;
import io.opcscraper.timescale.internal.WriterComponent;
import io.opcscraper.timescale.testing.PlainCrypto;
import io.opcscraper.timescale.testing.WriterTable;

/**
 * {@code spool.mode} with the real database: on-backlog keeps the disk quiet while the database
 * keeps up, spills when it is away, switches at run time without loss, and a crash while the
 * database is up loses at most the memory window, never writing a sample twice.
 */
class WriterSpoolModeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final TestDatabase DB = TestDatabase.fromEnvironment();

    @TempDir
    Path spool;

    private final String table = "sm_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    private final WriterTable rows = new WriterTable(DB, this.table);
    private final List<WriterComponent> writers = new ArrayList<>();
    private final List<ChildWriter> children = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (ChildWriter child : this.children) {
            child.destroy();
        }
        this.writers.forEach(WriterComponent::deactivate);
        this.rows.drop();
    }

    @Test
    void onBacklogWritesNoSampleToDiskWhileTheDatabaseKeepsUp() throws Exception {
        WriterComponent writer = writer(properties(DB.url(), "on-backlog"));
        for (int i = 0; i < 10; i++) {
            accept(writer, i * 1000L, 1000);
            long upTo = (i + 1) * 1000L;
            await().atMost(TIMEOUT).until(() -> this.rows.exists() && this.rows.rows() == upTo);
        }
        assertEquals(0, writer.ingest().orElseThrow().spool().diskWrites(), "no sample was written to disk");
        assertEquals(0, this.rows.duplicates());
    }

    @Test
    void onBacklogSpillsToDiskWhileTheDatabaseIsAwayAndDrainsOnce() throws Exception {
        Map<String, Object> properties = properties(WriterTable.unreachable(DB), "on-backlog");
        WriterComponent writer = writer(properties);
        accept(writer, 0, 3000);
        await().atMost(TIMEOUT).until(() -> writer.status().lastError() != null
                && writer.ingest().orElseThrow().spool().memoryBytes() == 0);
        assertTrue(writer.ingest().orElseThrow().spool().diskWrites() > 0, "spilled to disk");
        writer.deactivate();

        WriterComponent again = writer(properties(DB.url(), "on-backlog"));
        accept(again, 3000, 1000);
        await().atMost(TIMEOUT).until(() -> this.rows.exists() && this.rows.rows() == 4000 && drained(again));
        assertEquals(0, this.rows.duplicates());
    }

    @Test
    void switchingTheModeAtRunTimeLosesNothing() throws Exception {
        Map<String, Object> properties = properties(DB.url(), "always");
        WriterComponent writer = writer(properties);
        long next = 0;
        for (String mode : List.of("on-backlog", "always", "on-backlog", "always")) {
            accept(writer, next, 2500);
            next += 2500;
            properties.put("spool.mode", mode);
            writer.modified(properties);
        }
        accept(writer, next, 2500);
        long total = next + 2500;
        await().atMost(TIMEOUT).until(() -> this.rows.exists() && this.rows.rows() == total && drained(writer));
        assertEquals(0, this.rows.duplicates());
    }

    /**
     * SIGKILL while the database is up: what was only in memory is lost, at most the memory window's
     * worth (at this rate), and nothing is written twice.
     */
    @Test
    void aCrashWhileTheDatabaseIsUpLosesAtMostTheWindow() throws Exception {
        long rate = 5_000;
        ChildWriter child = ChildWriter.start(1, this.table, this.spool, DB.url(), 0, rate, "on-backlog",
                Path.of("target", "writer-spool-mode"), DB);
        this.children.add(child);
        child.awaitAck(20_000);
        await().atMost(TIMEOUT).until(() -> this.rows.exists() && this.rows.rows() > 10_000);
        child.killAfterAck();
        long acknowledged = child.lastAck() + 1;

        WriterComponent drainer = writer(properties(DB.url(), "on-backlog"));
        await().atMost(TIMEOUT).until(() -> drained(drainer));
        long stored = distinct(0, child.lastAck());
        long lost = acknowledged - stored;
        long window = rate * 2000 / 1000;
        System.out.printf("spool mode: killed at %d acknowledged, %d stored, %d lost (window %d ms = %d samples)%n",
                acknowledged, stored, lost, 2000, window);
        assertTrue(lost >= 0 && lost <= window + WriterChild.BATCH, lost + " lost, more than the window's " + window);
        assertEquals(0, this.rows.duplicates(), "a sample written twice");
        assertEquals(0, this.rows.count("SELECT count(*) FROM \"" + this.table + "\" WHERE value > " + child.lastTry()),
                "rows nobody tried to accept");
    }

    // ---------------------------------------------------------------- helpers

    private Map<String, Object> properties(String jdbcUrl, String mode) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("kura.service.pid", "mode-writer");
        properties.put("jdbc.url", jdbcUrl);
        properties.put("db.user", DB.user());
        properties.put("db.password", DB.password());
        properties.put("table.name", this.table);
        properties.put("spool.dir", this.spool.toString());
        properties.put("batch.size", 1000);
        properties.put("flush.interval.ms", 50);
        properties.put("aggregates.enabled", false);
        properties.put("max.rows", 0L);
        properties.put("spool.mode", mode);
        return properties;
    }

    private WriterComponent writer(Map<String, Object> properties) {
        WriterComponent writer = new WriterComponent(new PlainCrypto(), TestSystem.unknown(), properties);
        this.writers.add(writer);
        return writer;
    }

    private static boolean drained(WriterComponent writer) {
        ComponentStatus status = writer.status();
        return status.lastError() == null && status.counter(ComponentStatus.SPOOL_DEPTH) == 0;
    }

    private static void accept(WriterComponent writer, long from, int count) throws Exception {
        for (long start = from; start < from + count; start += 500) {
            List<Sample> batch = new ArrayList<>();
            for (long k = start; k < Math.min(from + count, start + 500); k++) {
                batch.add(WriterChild.sample(k));
            }
            writer.accept(batch);
        }
    }

    private long distinct(long from, long to) throws SQLException {
        try (Connection c = DB.connect(); PreparedStatement s = c.prepareStatement("SELECT count(DISTINCT value) FROM \""
                + this.table + "\" WHERE value BETWEEN ? AND ?")) {
            s.setDouble(1, from);
            s.setDouble(2, to);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
