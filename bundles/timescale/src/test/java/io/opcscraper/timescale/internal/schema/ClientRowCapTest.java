package io.opcscraper.timescale.internal.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.opcscraper.timescale.TestDatabase;
import io.opcscraper.timescale.internal.maintenance.Maintenance;

/**
 * Row cap scope {@code clientid} on the real databases (TimescaleDB Apache edition and plain
 * PostgreSQL): {@code limit_<table>_rows(max_rows, clientid)} keeps that clientid's newest rows and
 * touches no other clientid's, even in chunks older than every cutoff (it never drops a chunk);
 * several gateways capping their own clientids at once while rows arrive, and several caps of one
 * clientid or of the whole table at once, leave exactly {@code max_rows}.
 */
class ClientRowCapTest {

    /** Scope clientid, 10-minute chunks so the rows span many chunks. */
    static final SchemaSettings SETTINGS = new SchemaSettings(1000, 0, 600, false, 60, 3600, RowCapScope.CLIENTID);

    private final TestDatabase db = TestDatabase.fromEnvironment();
    private final List<String> tables = new ArrayList<>();

    private Connection connect(SchemaProvisionerTest.Target target) throws SQLException {
        return target == SchemaProvisionerTest.Target.TIMESCALEDB ? db.connect() : db.connectPlain();
    }

    private String provisioned(SchemaProvisionerTest.Target target, SchemaSettings settings) throws SQLException {
        String table = DbSupport.uniqueTable("cap_client");
        this.tables.add(target.name() + " " + table);
        try (Connection c = connect(target)) {
            assertEquals(target.edition, new SchemaProvisioner(false).provision(c, table, settings));
        }
        return table;
    }

    @AfterEach
    void drop() throws SQLException {
        for (String entry : this.tables) {
            String[] parts = entry.split(" ");
            try (Connection c = connect(SchemaProvisionerTest.Target.valueOf(parts[0]))) {
                DbSupport.drop(c, parts[1]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SchemaProvisionerTest.Target.class)
    void eachClientidKeepsItsNewestRowsAndTheOthersKeepAllOfTheirs(SchemaProvisionerTest.Target target)
            throws SQLException {
        String table = provisioned(target, SETTINGS);
        String t = TableNames.quote(table);
        try (Connection c = connect(target)) {
            c.setAutoCommit(true);
            assertEquals(1, DbSupport.count(c, "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()"
                    + " AND tablename = ? AND indexname = ? AND indexdef LIKE '%(clientid, \"timestamp\" DESC)%'",
                    table, TableNames.clientIdTimeIndex(table)), "scope clientid provisions the clientid index");
            // gw-a: 3000 rows, two per second (a tie at every timestamp); gw-b: 2000 rows, one per second;
            // gw-c: 50 rows older than anything of the others, in chunks of their own.
            insert(c, table, "gw-a/opcua-connection", 3000, 2, 0);
            insert(c, table, "gw-b/opcua-connection", 2000, 1, 0);
            insert(c, table, "gw-c/opcua-connection", 50, 1, 100_000);
            long newestA = DbSupport.count(c, "SELECT extract(epoch FROM max(\"timestamp\"))::bigint FROM " + t
                    + " WHERE clientid = 'gw-a/opcua-connection'");

            cap(c, table, 1000, "gw-a/opcua-connection");
            assertEquals(List.of(1000L, 2000L, 50L), counts(c, table), "only gw-a was capped");
            cap(c, table, 1000, "gw-b/opcua-connection");
            assertEquals(List.of(1000L, 1000L, 50L), counts(c, table),
                    "gw-b capped too; gw-c's old rows stay: no chunk is dropped for another client's cap");
            assertEquals(newestA, DbSupport.count(c, "SELECT extract(epoch FROM max(\"timestamp\"))::bigint FROM " + t
                    + " WHERE clientid = 'gw-a/opcua-connection'"), "gw-a's newest rows stay");
            assertEquals(500, DbSupport.count(c, "SELECT count(DISTINCT \"timestamp\") FROM " + t
                    + " WHERE clientid = 'gw-a/opcua-connection'"), "gw-a keeps its 500 newest seconds, two rows each");

            // Idempotent, and a no-op above the count, at 0, NULL and for an unknown clientid.
            cap(c, table, 1000, "gw-a/opcua-connection");
            cap(c, table, 5000, "gw-b/opcua-connection");
            cap(c, table, 0, "gw-c/opcua-connection");
            cap(c, table, null, "gw-c/opcua-connection");
            cap(c, table, 1, "nobody");
            assertEquals(List.of(1000L, 1000L, 50L), counts(c, table));
            // The tie rule: exactly max_rows even when the cutoff falls inside a tie.
            cap(c, table, 7, "gw-a/opcua-connection");
            assertEquals(List.of(7L, 1000L, 50L), counts(c, table));
        }
    }

    /**
     * Six gateways, each capping its own clientid three times, with two more sessions capping the
     * first clientid at the same moments and rows arriving for every clientid meanwhile: no error,
     * no deadlock, and after the last cap every clientid has exactly max_rows, its newest.
     */
    @ParameterizedTest
    @EnumSource(SchemaProvisionerTest.Target.class)
    void concurrentCapsOfManyClientidsWhileRowsArrive(SchemaProvisionerTest.Target target) throws Exception {
        String table = provisioned(target, SETTINGS);
        int clients = 6;
        try (Connection c = connect(target)) {
            c.setAutoCommit(true);
            for (int k = 0; k < clients; k++) {
                insert(c, table, "gw-" + k, 3000, 2, 0);
            }
        }
        List<String> sessions = new ArrayList<>();
        for (int k = 0; k < clients; k++) {
            sessions.add("gw-" + k);
        }
        sessions.add("gw-0");
        sessions.add("gw-0");
        sessions.add("insert");
        atOnce(target, sessions.size(), (c, k) -> {
            String session = sessions.get(k);
            for (int round = 0; round < 3; round++) {
                if (session.equals("insert")) {
                    for (int n = 0; n < clients; n++) {
                        insert(c, table, "gw-" + n, 200, 1, -1000 * (round + 1));
                    }
                } else {
                    cap(c, table, 500, session);
                }
            }
        });
        try (Connection c = connect(target)) {
            c.setAutoCommit(true);
            for (int k = 0; k < clients; k++) {
                cap(c, table, 500, "gw-" + k);
            }
            String t = TableNames.quote(table);
            assertEquals(List.of(500L), DbSupport.strings(c, "SELECT DISTINCT count(*)::text FROM " + t
                    + " GROUP BY clientid").stream().map(Long::valueOf).toList(), "every clientid keeps exactly 500");
            assertEquals(clients, DbSupport.count(c, "SELECT count(DISTINCT clientid) FROM " + t));
            // The newest rows are the last insert round's (3000 s after the first rows' newest).
            assertEquals(clients, DbSupport.count(c, "SELECT count(*) FROM (SELECT clientid, max(\"timestamp\") AS m"
                    + " FROM " + t + " GROUP BY clientid) x WHERE m = timestamptz '2024-03-01 00:00:00+00'"
                    + " + interval '3000 seconds'"));
        }
    }

    /** Four sessions capping the whole table at once (the Apache-edition writers of four gateways). */
    @ParameterizedTest
    @EnumSource(SchemaProvisionerTest.Target.class)
    void concurrentTableWideCapsLeaveExactlyMaxRows(SchemaProvisionerTest.Target target) throws Exception {
        String table = provisioned(target, new SchemaSettings(1000, 0, 600, false, 60));
        try (Connection c = connect(target)) {
            c.setAutoCommit(true);
            insert(c, table, "gw-0", 20_000, 3, 0);
        }
        atOnce(target, 4, (c, k) -> {
            try (PreparedStatement cap = c.prepareStatement(Maintenance.rowCapCall(table))) {
                cap.setLong(1, 1000);
                cap.execute();
            }
        });
        try (Connection c = connect(target)) {
            assertEquals(1000, DbSupport.count(c, "SELECT count(*) FROM " + TableNames.quote(table)));
        }
    }

    /** One session's work on its connection (auto-commit on). */
    @FunctionalInterface
    private interface Session {
        void run(Connection c, int index) throws Exception;
    }

    /**
     * Runs {@code n} sessions on their own threads and connections, released together once all are
     * connected; fails with the first failure.
     */
    private void atOnce(SchemaProvisionerTest.Target target, int n, Session session) throws Exception {
        CyclicBarrier start = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                int index = k;
                done.add(pool.submit(() -> {
                    try (Connection c = connect(target)) {
                        c.setAutoCommit(true);
                        c.isValid(5);
                        start.await(30, TimeUnit.SECONDS);
                        session.run(c, index);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * {@code rows} rows of {@code clientId}, {@code perSecond} per second, the newest at 2024-03-01
     * 00:00:00 UTC minus {@code olderBy} seconds (negative: later).
     */
    private static void insert(Connection c, String table, String clientId, int rows, int perSecond, int olderBy)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TableNames.quote(table)
                + " (\"timestamp\", nodeid, clientid, sensorname, tagname, value, quality)"
                + " SELECT timestamptz '2024-03-01 00:00:00+00' - (? + g / ?) * interval '1 second',"
                + " 'ns=2;s=Node' || (g % 10), ?, 'sensor' || (g % 10), 'tag' || (g % 10), g, 0"
                + " FROM generate_series(0, ? - 1) AS g")) {
            ps.setInt(1, olderBy);
            ps.setInt(2, perSecond);
            ps.setString(3, clientId);
            ps.setInt(4, rows);
            ps.execute();
        }
    }

    private static void cap(Connection c, String table, Long max, String clientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Maintenance.clientRowCapCall(table))) {
            if (max == null) {
                ps.setNull(1, java.sql.Types.BIGINT);
            } else {
                ps.setLong(1, max);
            }
            ps.setString(2, clientId);
            ps.execute();
        }
    }

    private static void cap(Connection c, String table, long max, String clientId) throws SQLException {
        cap(c, table, Long.valueOf(max), clientId);
    }

    /** Rows of gw-a, gw-b and gw-c. */
    private static List<Long> counts(Connection c, String table) throws SQLException {
        List<Long> out = new ArrayList<>();
        for (String client : List.of("gw-a/opcua-connection", "gw-b/opcua-connection", "gw-c/opcua-connection")) {
            out.add(DbSupport.count(c, "SELECT count(*) FROM " + TableNames.quote(table) + " WHERE clientid = ?",
                    client));
        }
        return out;
    }
}
