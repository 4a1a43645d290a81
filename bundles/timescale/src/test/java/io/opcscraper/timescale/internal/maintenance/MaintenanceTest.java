package io.opcscraper.timescale.internal.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.opcscraper.timescale.TestDatabase;
import io.opcscraper.timescale.internal.maintenance.JobStats.Job;
import io.opcscraper.timescale.internal.maintenance.JobStats.Role;
import io.opcscraper.timescale.internal.schema.Edition;
import io.opcscraper.timescale.internal.schema.RowCapScope;
import io.opcscraper.timescale.internal.schema.SchemaProvisioner;
import io.opcscraper.timescale.internal.schema.SchemaSettings;
import io.opcscraper.itests.support.LogCapture;
import io.opcscraper.timescale.testing.WriterTable;

/**
 * The writer takes the row cap over while the database's row-cap job is unhealthy, and hands it
 * back when the job succeeds again: the real row-cap procedure on the real TimescaleDB (provisioned
 * for its Apache edition), with the community edition's job statistics given by the test, since
 * only PGlite runs community jobs here ({@link PgliteJobHealthTest} reads them from it).
 */
class MaintenanceTest {

    private static final TestDatabase DB = TestDatabase.fromEnvironment();
    private static final OffsetDateTime NOW = OffsetDateTime.parse("2026-12-06T10:00:00Z");

    private final String table = "mt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    private final WriterTable rows = new WriterTable(DB, this.table);
    private final AtomicLong clock = new AtomicLong();
    private final AtomicReference<List<Job>> jobs = new AtomicReference<>(List.of());

    @AfterEach
    void drop() throws SQLException {
        this.rows.drop();
    }

    @Test
    void theWriterRunsTheRowCapWhileTheJobFailsAndStopsWhenItSucceedsAgain() throws Exception {
        JobHealth health = new JobHealth("w", this.table, (c, t) -> this.jobs.get(), this.clock::get);
        Maintenance maintenance = new Maintenance("w", new Maintenance.Settings(this.table, 100, 0, 3600), health,
                java.util.Set::of, this.clock::get);
        try (Connection c = DB.connect(); LogCapture log = new LogCapture()) {
            new SchemaProvisioner(false).provision(c, this.table, new SchemaSettings(100, 0, 3600, false, 60));
            c.setAutoCommit(false);
            insert(c, 0, 300);

            // The job is healthy: the database runs the row cap, the writer does not.
            this.jobs.set(List.of(rowCapJob("Success", NOW.minusMinutes(5), null, null)));
            maintenance.runIfDue(c, Edition.COMMUNITY);
            assertEquals(300, this.rows.rows());

            // It fails: at the next check the writer runs the row cap, at once.
            this.jobs.set(List.of(rowCapJob("Failed", NOW.minusHours(3), "24000",
                    "cannot drop portal \"\" while it is being set up")));
            advance(61);
            maintenance.runIfDue(c, Edition.COMMUNITY);
            assertEquals(100, this.rows.rows(), "the writer capped the table itself");
            assertNotNull(log.line("failed at"), log.text());
            assertEquals("TimescaleDB job 1000 (" + "limit_" + this.table + "_rows_job on limit_" + this.table
                    + "_rows_job) failed at 2026-12-06T10:00Z: 24000 cannot drop portal \"\" while it is being set up",
                    maintenance.problem().orElseThrow());

            // Every row.cap.interval.s while it stays unhealthy.
            insert(c, 300, 200);
            advance(3_601);
            maintenance.runIfDue(c, Edition.COMMUNITY);
            assertEquals(100, this.rows.rows());

            // It succeeds again: the writer stops, the database's job is trusted again.
            this.jobs.set(List.of(rowCapJob("Success", NOW, null, null)));
            insert(c, 500, 200);
            advance(3_601);
            maintenance.runIfDue(c, Edition.COMMUNITY);
            assertEquals(300, this.rows.rows(), "the writer no longer caps the table");
            assertNotNull(log.line("healthy again; the writer stops running the row cap itself"), log.text());
            assertEquals(java.util.Optional.empty(), maintenance.problem());
        }
    }

    /**
     * Scope clientid where the writer runs the row cap (the Apache edition): each clientid it wrote
     * keeps its own newest max.rows; a clientid met between two runs is capped at once, the others
     * at the next interval; a clientid this writer never wrote (another gateway's) is never touched.
     */
    @Test
    void withScopeClientidTheWriterCapsEachOfItsClientidsAndNoOther() throws Exception {
        java.util.Set<String> written = new java.util.TreeSet<>(java.util.Set.of("gw-a/c"));
        Maintenance maintenance = new Maintenance("w", new Maintenance.Settings(this.table, 100, 0, 3600,
                RowCapScope.CLIENTID), new JobHealth("w", this.table, (c, t) -> List.of(), this.clock::get),
                () -> written, this.clock::get);
        try (Connection c = DB.connect()) {
            new SchemaProvisioner(false).provision(c, this.table,
                    new SchemaSettings(100, 0, 3600, false, 60, 3600, RowCapScope.CLIENTID));
            c.setAutoCommit(false);
            insert(c, "gw-a/c", 0, 300);
            insert(c, "gw-b/c", 0, 300);
            insert(c, "other-gateway/c", 0, 300);

            maintenance.runIfDue(c, Edition.APACHE);
            assertEquals(List.of(100L, 300L, 300L), perClient(), "gw-a capped at once");

            written.add("gw-b/c");
            insert(c, "gw-a/c", 300, 50);
            advance(10);
            maintenance.runIfDue(c, Edition.APACHE);
            assertEquals(List.of(150L, 100L, 300L), perClient(), "gw-b, newly written, capped at once; gw-a not yet");

            advance(3_601);
            maintenance.runIfDue(c, Edition.APACHE);
            assertEquals(List.of(100L, 100L, 300L), perClient(), "at the interval every clientid of the writer");
            assertEquals(349, this.rows.count("SELECT max(value)::bigint FROM \"" + this.table
                    + "\" WHERE clientid = 'gw-a/c'"), "gw-a's newest row stays");
        }
    }

    /** Rows of gw-a/c, gw-b/c and other-gateway/c. */
    private List<Long> perClient() throws SQLException {
        List<Long> out = new java.util.ArrayList<>();
        for (String client : List.of("gw-a/c", "gw-b/c", "other-gateway/c")) {
            out.add(this.rows.count("SELECT count(*) FROM \"" + this.table + "\" WHERE clientid = '" + client + "'"));
        }
        return out;
    }

    /** The statistics queries are valid where TimescaleDB has no jobs of the table (the Apache edition). */
    @Test
    void theJobQueriesRunOnARealTimescaleDb() throws Exception {
        try (Connection c = DB.connect()) {
            new SchemaProvisioner(false).provision(c, this.table, new SchemaSettings(100, 0, 3600, false, 60));
            assertEquals(List.of(), JobStats.read(c, this.table));
            try (Statement s = c.createStatement()) {
                s.executeQuery(JobStats.errorsQuery(this.table)).close();
            }
        }
    }

    private Job rowCapJob(String status, OffsetDateTime lastSuccess, String code, String message) {
        String proc = "limit_" + this.table + "_rows_job";
        return new Job(1000, Role.ROW_CAP, proc, proc, 3600, true, status, lastSuccess, NOW, code, message,
                message == null ? null : NOW);
    }

    private void advance(long seconds) {
        this.clock.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    private void insert(Connection c, int from, int count) throws SQLException {
        insert(c, "c", from, count);
    }

    private void insert(Connection c, String clientId, int from, int count) throws SQLException {
        try (java.sql.PreparedStatement s = c.prepareStatement("INSERT INTO \"" + this.table + "\" (\"timestamp\","
                + " nodeid, clientid, sensorname, tagname, value, quality) SELECT timestamptz '2026-12-01 00:00:00+00'"
                + " + g * interval '1 second', 'n', ?, 's', 't', g, 0 FROM generate_series(?, ?) g")) {
            s.setString(1, clientId);
            s.setInt(2, from);
            s.setInt(3, from + count - 1);
            s.execute();
        }
        c.commit();
    }
}
