package io.opcscraper.timescale.internal.ingest;

import static io.opcscraper.timescale.internal.ingest.WriterFixture.accept;
import static io.opcscraper.timescale.internal.ingest.WriterFixture.drained;
import static io.opcscraper.timescale.internal.ingest.WriterFixture.write;
import static io.opcscraper.timescale.internal.ingest.WriterFixture.DB;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.opcscraper.timescale.internal.WriterComponent;
import io.opcscraper.timescale.testing.WriterTable;

/**
 * {@code spool.mode} with the real database: on-backlog keeps the disk quiet while the database
 * keeps up, spills when it is away, switches at run time without loss, and a crash while the
 * database is up loses at most the memory window, never writing a sample twice.
 */
class WriterSpoolModeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @RegisterExtension
    final WriterFixture writers = new WriterFixture("sm_");
    private final WriterTable rows = this.writers.table();

    @Test
    void onBacklogWritesNoSampleToDiskWhileTheDatabaseKeepsUp() throws Exception {
        WriterComponent writer = this.writers.start(properties(DB.url(), "on-backlog"));
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
        WriterComponent writer = this.writers.start(properties);
        accept(writer, 0, 3000);
        await().atMost(TIMEOUT).until(() -> writer.status().lastError() != null
                && writer.ingest().orElseThrow().spool().memoryBytes() == 0);
        assertTrue(writer.ingest().orElseThrow().spool().diskWrites() > 0, "spilled to disk");
        writer.deactivate();

        WriterComponent again = this.writers.start(properties(DB.url(), "on-backlog"));
        write(again, 3000, 1000, this.rows, 4000, TIMEOUT);
        assertEquals(0, this.rows.duplicates());
    }

    @Test
    void switchingTheModeAtRunTimeLosesNothing() throws Exception {
        Map<String, Object> properties = properties(DB.url(), "always");
        WriterComponent writer = this.writers.start(properties);
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
        ChildWriter child = ChildWriter.start(1, this.rows.name(), this.writers.spool(), DB.url(), 0, rate, "on-backlog",
                Path.of("target", "writer-spool-mode"), DB);
        this.writers.closeAfter(child);
        child.awaitAck(20_000);
        await().atMost(TIMEOUT).until(() -> this.rows.exists() && this.rows.rows() > 10_000);
        child.killAfterAck();
        long acknowledged = child.lastAck() + 1;

        WriterComponent drainer = this.writers.start(properties(DB.url(), "on-backlog"));
        await().atMost(TIMEOUT).until(() -> drained(drainer));
        long stored = this.rows.distinctValues(0, child.lastAck());
        long lost = acknowledged - stored;
        long window = rate * 2000 / 1000;
        System.out.printf("spool mode: killed at %d acknowledged, %d stored, %d lost (window %d ms = %d samples)%n",
                acknowledged, stored, lost, 2000, window);
        assertTrue(lost >= 0 && lost <= window + WriterChild.BATCH, lost + " lost, more than the window's " + window);
        assertEquals(0, this.rows.duplicates(), "a sample written twice");
        assertEquals(0, this.rows.count("SELECT count(*) FROM \"" + this.rows.name() + "\" WHERE value > " + child.lastTry()),
                "rows nobody tried to accept");
    }

    // ---------------------------------------------------------------- helpers

    private Map<String, Object> properties(String jdbcUrl, String mode) {
        Map<String, Object> properties = this.writers.properties("mode-writer", jdbcUrl);
        properties.put("batch.size", 1000);
        properties.put("max.rows", 0L);
        properties.put("spool.mode", mode);
        return properties;
    }

}
