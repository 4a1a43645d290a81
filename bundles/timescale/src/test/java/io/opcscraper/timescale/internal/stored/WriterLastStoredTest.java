package io.opcscraper.timescale.internal.stored;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opcscraper.api.NodeTime;
import io.opcscraper.api.Sample;
import io.opcscraper.api.SinkUnavailableException;
import io.opcscraper.timescale.TestDatabase;
import io.opcscraper.timescale.internal.WriterComponent;
import io.opcscraper.timescale.testing.PlainCrypto;
import io.opcscraper.itests.support.TcpProxy;
import io.opcscraper.timescale.testing.WriterTable;
import io.opcscraper.testing.kura.TestSystem;

/**
 * What the writer tells a poller about what it stored (SampleSink.lastStored), against the real
 * TimescaleDB: per node the newest timestamp before the node's time, of that client only; nothing
 * for a node never stored; never an answer while samples it accepted are not in the database; its
 * backlog while they wait.
 */
class WriterLastStoredTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final TestDatabase DB = TestDatabase.fromEnvironment();
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final String A = "nsu=urn:t;s=A";
    private static final String B = "nsu=urn:t;s=B";
    private static final String NEVER = "nsu=urn:t;s=Never";

    @TempDir
    Path spool;

    private final List<WriterComponent> writers = new ArrayList<>();
    private final WriterTable tables = new WriterTable(DB,
            "ls_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16));

    @AfterEach
    void dropTable() throws SQLException {
        this.writers.forEach(WriterComponent::deactivate);
        this.tables.drop();
    }

    private WriterComponent writer(String jdbcUrl) {
        WriterComponent writer = new WriterComponent(new PlainCrypto(), TestSystem.unknown(),
                this.tables.writerProperties("last-stored-writer", jdbcUrl, this.spool));
        this.writers.add(writer);
        return writer;
    }

    private static Sample sample(String node, String client, Instant time) {
        return new Sample(time, node, client, "sensor", "tag", 1.0, 0);
    }

    @Test
    void theNewestTimestampBeforeEachNodesTimeOfThatClientOnly() throws Exception {
        WriterComponent writer = writer(DB.url());
        writer.accept(List.of(
                sample(A, "gw", T0), sample(A, "gw", T0.plusSeconds(1)), sample(A, "gw", T0.plusSeconds(2)),
                sample(B, "gw", T0.plusMillis(500)), sample(B, "gw", T0.plusNanos(1_500_700_000L)),
                sample(A, "other", T0.plusSeconds(5)), sample(NEVER, "other", T0)));
        await().atMost(TIMEOUT).until(() -> this.tables.exists() && this.tables.rows() == 7);

        Map<String, Instant> stored = writer.lastStored("gw", List.of(new NodeTime(A, T0.plusSeconds(2)),
                new NodeTime(B, T0.plusSeconds(10)), new NodeTime(NEVER, T0.plusSeconds(10))));
        assertEquals(T0.plusSeconds(1), stored.get(A), "before its time, not at it");
        assertEquals(T0.plusNanos(1_500_700_000L), stored.get(B), "microseconds, as stored");
        assertFalse(stored.containsKey(NEVER), "another client's rows do not count: " + stored);
        assertEquals(2, stored.size());

        Map<String, Instant> early = writer.lastStored("gw", List.of(new NodeTime(A, T0),
                new NodeTime(B, T0.plusNanos(500_000_900L))));
        assertTrue(early.isEmpty(), "nothing before T0; B's row at .500 is not before .500000900 in microseconds: "
                + early);
        assertEquals(T0.plusSeconds(5), writer.lastStored("other", List.of(new NodeTime(A, T0.plusSeconds(60))))
                .get(A));
    }

    /**
     * Samples accepted while the database is unreachable are not in it: the writer does not answer
     * from what the database holds (the poller would take them for a gap) but says why; its backlog
     * counts them. Once they are written it answers with them.
     */
    @Test
    void noAnswerWhileSamplesItAcceptedAreNotInTheDatabase() throws Exception {
        URI target = URI.create(DB.url().substring("jdbc:".length()));
        try (TcpProxy proxy = TcpProxy.start(target.getHost(), target.getPort() < 0 ? 5432 : target.getPort())) {
            WriterComponent writer = writer(DB.url().replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/"));
            writer.accept(List.of(sample(A, "gw", T0)));
            await().atMost(TIMEOUT).until(() -> this.tables.exists() && this.tables.rows() == 1);
            assertEquals(T0, writer.lastStored("gw", List.of(new NodeTime(A, T0.plusSeconds(60)))).get(A));

            proxy.cutOff();
            writer.accept(List.of(sample(A, "gw", T0.plusSeconds(1)), sample(A, "gw", T0.plusSeconds(2))));
            assertEquals(2, writer.backlog(), "two samples wait in the spool");
            SinkUnavailableException refused = assertThrows(SinkUnavailableException.class,
                    () -> writer.lastStored("gw", List.of(new NodeTime(A, T0.plusSeconds(60)))));
            assertTrue(refused.getMessage().contains("2 samples wait in the spool"), refused.getMessage());
            assertFalse(refused.getMessage().contains(DB.password()), refused.getMessage());

            proxy.restore();
            await().atMost(TIMEOUT).until(() -> this.tables.rows() == 3 && writer.backlog() == 0);
            assertEquals(T0.plusSeconds(2), writer.lastStored("gw", List.of(new NodeTime(A, T0.plusSeconds(60))))
                    .get(A));
        }
    }

    @Test
    void aWriterWithoutConfigurationCannotTell() {
        Map<String, Object> properties = this.tables.writerProperties("last-stored-writer", DB.url(), this.spool);
        properties.put("table.name", "NOT valid");
        WriterComponent writer = new WriterComponent(new PlainCrypto(), TestSystem.unknown(), properties);
        this.writers.add(writer);
        SinkUnavailableException refused = assertThrows(SinkUnavailableException.class,
                () -> writer.lastStored("gw", List.of(new NodeTime(A, T0))));
        assertTrue(refused.getMessage().contains("table.name"), refused.getMessage());
        assertEquals(0, writer.backlog());
    }
}
