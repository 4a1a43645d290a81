package io.opcscraper.timescale.internal.ingest;

import static io.opcscraper.timescale.internal.ingest.WriterFixture.DB;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.opcscraper.timescale.internal.WriterComponent;
import io.opcscraper.itests.support.TcpProxy;
import io.opcscraper.timescale.testing.WriterTable;

/**
 * Exactly once across an outage and kill -9 (issue 4, Tests): a writer in a child JVM streams
 * through a {@link TcpProxy} to the real TimescaleDB; the proxy cuts the database off mid-stream
 * while the writer keeps acknowledging into its spool; the child is killed with SIGKILL; a second
 * child on the same spool and table starts after the restore, drains and takes new samples, and
 * is killed too while it drains; a third writer (in this JVM) drains the rest.
 *
 * <p>Then every acknowledged sample is in the table, no (clientid, nodeid, timestamp) is there
 * twice, and nothing is there that no child tried to accept. Samples a child handed to
 * {@code accept()} but had not acknowledged when it died may or may not be stored (the spool may
 * have forced them just before the kill): they are counted, not required. The next child starts
 * after the last index the previous one tried (not after its last acknowledgement): re-sending an
 * unacknowledged batch that did reach the spool would be a producer duplicate no writer can tell
 * from a new sample.
 */
class WriterCrashTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
    private static final long FIRST_ACKS = 20_000;
    private static final long OUTAGE_ACKS = 20_000;
    private static final long SECOND_ACKS = 10_000;
    /**
     * The children's pace: a busy gateway's worth, below the writer's drain rate, so that the
     * volume (and the test's duration) depends on how long each phase lasts, not on how fast this
     * machine can fsync.
     */
    private static final long SAMPLES_PER_SECOND = 40_000;
    private static final Path LOGS = Path.of("target", "writer-crash");

    @RegisterExtension
    final WriterFixture writers = new WriterFixture("crash_");
    private final String table = this.writers.tableName();
    private final WriterTable tables = this.writers.table();
    private TcpProxy proxy;

    @Test
    void everyAcknowledgedSampleIsStoredOnceAcrossAnOutageAndKill9() throws Exception {
        try (Connection c = DB.connect()) {
            // The database must be there: a failure, never a skip.
            assertTrue(c.isValid(10));
        }
        URI target = URI.create(DB.url().substring("jdbc:".length()));
        this.proxy = this.writers.closeAfter(
                TcpProxy.start(target.getHost(), target.getPort() < 0 ? 5432 : target.getPort()));
        String proxyUrl = DB.url().replaceFirst("//[^/]+/", "//127.0.0.1:" + this.proxy.port() + "/");
        Files.createDirectories(LOGS);

        // 1. Stream through the proxy until 20,000 are acknowledged and the table is being written.
        ChildWriter first = start(1, 0, proxyUrl);
        first.awaitAck(FIRST_ACKS - 1);
        await("the first child's writer commits through the proxy").atMost(CHILD_TIMEOUT)
                .pollInterval(Duration.ofMillis(10)).until(() -> this.tables.exists() && rows() > 0);

        // 2. The database "stops"; the child keeps acknowledging into its spool.
        this.proxy.cutOff();
        long ackAtCut = first.lastAck();
        first.awaitAck(ackAtCut + OUTAGE_ACKS);
        await("the writer retries against the stopped database").atMost(CHILD_TIMEOUT)
                .pollInterval(Duration.ofMillis(10)).until(() -> this.proxy.refused() > 0);
        first.kill();
        long rowsAtRestore = rows();
        System.out.printf("writer crash: child 1 acknowledged 0..%d (%d at the cut-off), tried up to %d, "
                + "killed %s; %d rows stored before the restore%n", first.lastAck(), ackAtCut, first.lastTry(),
                first.lastTry() > first.lastAck() ? "inside accept()" : "between batches", rowsAtRestore);
        // What was acknowledged during the outage could not pass the proxy (bar a batch in flight at the cut).
        assertTrue(rowsAtRestore < first.lastAck() + 1 - OUTAGE_ACKS / 2,
                "the cut-off did not keep samples out of the table: " + rowsAtRestore + " rows");

        // 3. The database returns; a second child on the same spool drains and takes new samples.
        this.proxy.restore();
        long restored = System.nanoTime();
        ChildWriter second = start(2, first.lastTry() + 1, proxyUrl);
        second.awaitAck(second.first() + SECOND_ACKS - 1);
        await("the second child's writer commits after the restore").atMost(CHILD_TIMEOUT)
                .pollInterval(Duration.ofMillis(10)).until(() -> rows() > rowsAtRestore);
        String transaction = writerTransaction();
        second.kill();
        long rowsAtSecondKill = rows();
        System.out.printf("writer crash: child 2 acknowledged %d..%d, tried up to %d, killed %s; its database "
                + "session just before the kill: %s; %d rows stored at its kill%n", second.first(), second.lastAck(),
                second.lastTry(), second.lastTry() > second.lastAck() ? "inside accept()" : "between batches",
                transaction, rowsAtSecondKill);

        // 4. A writer that accepts nothing new drains the spool.
        long drainStart = System.nanoTime();
        WriterComponent drainer = drainer();
        await("the spool drains").atMost(TIMEOUT).pollInterval(Duration.ofMillis(10))
                // Before it has read the progress marker the drainer counts the whole spool as waiting.
                .until(() -> drainer.ingest().map(i -> i.spooled() == 0).orElse(false));
        long drained = System.nanoTime();
        long drainerWritten = drainer.ingest().orElseThrow().status().written();

        List<long[]> acknowledged = List.of(new long[] { 0, first.lastAck() },
                new long[] { second.first(), second.lastAck() });
        List<long[]> atRisk = List.of(new long[] { first.lastAck() + 1, first.lastTry() },
                new long[] { second.lastAck() + 1, second.lastTry() });
        long ackedCount = acknowledged.stream().mapToLong(r -> r[1] - r[0] + 1).sum();
        long atRiskCount = atRisk.stream().mapToLong(r -> Math.max(0, r[1] - r[0] + 1)).sum();

        await("every acknowledged sample is stored").atMost(TIMEOUT).untilAsserted(() -> {
            for (long[] range : acknowledged) {
                assertEquals(range[1] - range[0] + 1, distinctIndexes(range[0], range[1]),
                        "stored distinct indexes in the acknowledged range " + range[0] + ".." + range[1]);
            }
        });
        long stored = rows();
        long atRiskStored = 0;
        for (long[] range : atRisk) {
            atRiskStored += range[1] >= range[0] ? distinctIndexes(range[0], range[1]) : 0;
        }
        double overallRate = (stored - rowsAtRestore) / ((drained - restored) / 1e9);
        double drainRate = drainerWritten / ((drained - drainStart) / 1e9);
        System.out.printf("writer crash: acknowledged %d, stored %d, at risk (tried, not acknowledged) %d of which "
                + "stored %d; proxy forwarded %d connections, refused %d%n", ackedCount, stored, atRiskCount,
                atRiskStored, this.proxy.forwarded(), this.proxy.refused());
        System.out.printf("writer crash: drain after the restore %.0f rows/s overall (%d rows in %.2f s, two writer "
                + "start-ups and child 2's new samples included); the last writer drained %d rows in %.2f s = %.0f "
                + "rows/s%n", overallRate, stored - rowsAtRestore, (drained - restored) / 1e9, drainerWritten,
                (drained - drainStart) / 1e9, drainRate);

        assertEquals(0, this.tables.duplicates(), "(clientid, nodeid, timestamp) stored twice");
        assertEquals(0, count("clientid <> ? OR value < 0 OR value > ? OR value <> floor(value)",
                WriterChild.CLIENT_ID, (double) second.lastTry()), "rows no child tried to accept");
        assertEquals(0, count("\"timestamp\" <> (CAST(? AS timestamptz) + value * interval '1 microsecond') "
                + "OR nodeid <> ('n' || (value::bigint % 100)::text)", Timestamp.from(WriterChild.BASE)),
                "rows that are not a produced sample");
        assertEquals(ackedCount + atRiskStored, stored, "stored = acknowledged + at-risk-but-stored");
    }

    // ---------------------------------------------------------------- the writers

    private ChildWriter start(int number, long firstIndex, String jdbcUrl) throws IOException {
        return this.writers.closeAfter(ChildWriter.start(number, this.table, this.writers.spool(), jdbcUrl, firstIndex,
                SAMPLES_PER_SECOND, LOGS, DB));
    }

    private WriterComponent drainer() {
        Map<String, Object> properties = this.writers.properties("crash-drainer", DB.url());
        properties.put("batch.size", 1000);
        properties.put("max.rows", 0L);
        return this.writers.start(properties);
    }

    // ---------------------------------------------------------------- the table

    private long rows() throws SQLException {
        return this.tables.exists() ? this.tables.rows() : 0;
    }

    private long count(String where, Object... parameters) throws SQLException {
        try (Connection c = DB.connect();
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM \"" + this.table + "\" WHERE " + where)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private long distinctIndexes(long from, long to) throws SQLException {
        try (Connection c = DB.connect();
                PreparedStatement s = c.prepareStatement("SELECT count(DISTINCT value) FROM \"" + this.table
                        + "\" WHERE clientid = ? AND value BETWEEN ? AND ?")) {
            s.setString(1, WriterChild.CLIENT_ID);
            s.setDouble(2, from);
            s.setDouble(3, to);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** What the child writer's database session was doing (a COPY or its transaction: mid-batch). */
    private static String writerTransaction() throws SQLException {
        try (Connection c = DB.connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT state, left(query, 40) FROM pg_stat_activity "
                        + "WHERE application_name = 'opc-scraper crash-writer'")) {
            List<String> sessions = new ArrayList<>();
            while (r.next()) {
                sessions.add(r.getString(1) + " (" + r.getString(2).replaceAll("\\s+", " ") + ")");
            }
            return sessions.isEmpty() ? "none" : String.join(", ", sessions);
        }
    }

}
