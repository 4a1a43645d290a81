package io.opcscraper.timescale.internal.ingest;

import static io.opcscraper.timescale.internal.ingest.WriterFixture.DB;
import static io.opcscraper.timescale.internal.ingest.WriterFixture.TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.opcscraper.api.Sample;
import io.opcscraper.timescale.internal.WriterComponent;
import io.opcscraper.itests.support.LogCapture;
import io.opcscraper.timescale.testing.WriterTable;

/**
 * What the writer says about its backlog when it starts: the spool line does not count samples
 * that already committed (the spool keeps them until their segment is reclaimed), and the line
 * after connecting counts what really waits: not what the marker covers, nor the ranges that
 * committed beyond it.
 */
class WriterStartupLogTest {

    @RegisterExtension
    final WriterFixture writers = new WriterFixture("wl_");
    private final WriterTable tables = this.writers.table();

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
        String writerId = Files.readString(this.writers.spool().resolve("writer-id")).trim();
        this.writers.committedBeforeACrash(writerId, 600, new long[] { 701, 800 });

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
        Map<String, Object> properties = this.writers.properties("startup-writer", jdbcUrl);
        properties.put("max.rows", 0L);
        return this.writers.start(properties);
    }
}
