package io.opcscraper.timescale.internal.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.opcscraper.timescale.TestDatabase;
import io.opcscraper.timescale.internal.catalog.CatalogWriter;
import io.opcscraper.timescale.internal.ledger.JdbcLedgerStore;
import io.opcscraper.timescale.internal.maintenance.Maintenance;
import io.opcscraper.timescale.internal.maintenance.Retention;

/**
 * The provisioned schema on the real TimescaleDB (Apache edition) and on the same server's
 * database without the extension (plain PostgreSQL), each test in fresh uniquely named tables
 * that are dropped afterwards. An unreachable database fails these tests; they never skip.
 */
class SchemaProvisionerTest {

    static final SchemaSettings SETTINGS = new SchemaSettings(100_000, 0, 3600, true, 60);

    /** Where a test runs, and the edition it must find there. */
    enum Target {
        TIMESCALEDB(Edition.APACHE), PLAIN(Edition.POSTGRESQL);

        final Edition edition;

        Target(Edition edition) {
            this.edition = edition;
        }
    }

    private final TestDatabase db = TestDatabase.fromEnvironment();
    private final List<Runnable> cleanUp = new ArrayList<>();

    private Connection connect(Target target) throws SQLException {
        return target == Target.TIMESCALEDB ? db.connect() : db.connectPlain();
    }

    /** On the plain database the provisioner must not create the extension (it is available there). */
    private static SchemaProvisioner provisioner(Target target) {
        return new SchemaProvisioner(target == Target.TIMESCALEDB);
    }

    /** A fresh table name, dropped (with what provisioning made for it) after the test. */
    private String freshTable(Target target, String prefix) {
        String table = DbSupport.uniqueTable(prefix);
        cleanUp.add(() -> {
            try (Connection c = connect(target)) {
                DbSupport.drop(c, table);
            } catch (SQLException e) {
                throw new IllegalStateException("could not drop test table " + table + ": " + e.getMessage(), e);
            }
        });
        return table;
    }

    @AfterEach
    void dropTestTables() {
        for (Runnable r : cleanUp) {
            r.run();
        }
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void provisionsTwiceAndTheSecondTimeChangesNothing(Target target) throws SQLException {
        String table = freshTable(target, "sp_twice");
        try (Connection c = connect(target)) {
            SchemaProvisioner p = provisioner(target);
            assertEquals(target.edition, p.provision(c, table, SETTINGS));
            assertTrue(c.getAutoCommit(), "auto-commit restored");
            List<String> first = DbSupport.fingerprint(c, table);
            assertEquals(target.edition, p.provision(c, table, SETTINGS));
            assertEquals(first, DbSupport.fingerprint(c, table), "the second provisioning changed the schema");
            // and a third time from a new provisioner on a connection in a transaction
            c.setAutoCommit(false);
            assertEquals(target.edition, new SchemaProvisioner(target == Target.TIMESCALEDB).provision(c, table, SETTINGS));
            assertFalse(c.getAutoCommit(), "auto-commit restored to false");
            c.rollback();
            c.setAutoCommit(true);
            assertEquals(first, DbSupport.fingerprint(c, table));

            assertEquals(List.of("id bigint", "timestamp timestamp with time zone", "nodeid text", "clientid text",
                    "sensorname text", "tagname text", "value double precision", "quality bigint"),
                    DbSupport.columns(c, table));
            assertEquals(1, DbSupport.count(c, "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()"
                    + " AND tablename = ? AND indexname = ? AND indexdef LIKE '%(nodeid, \"timestamp\" DESC)%'",
                    table, TableNames.nodeTimeIndex(table)));
            assertEquals(1, DbSupport.count(c, "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()"
                    + " AND tablename = ? AND indexname = ?", table, TableNames.timeIndex(table)));
            for (String view : TableNames.aggregateNames(table)) {
                assertEquals(1, DbSupport.count(c, "SELECT count(*) FROM pg_views WHERE schemaname = current_schema()"
                        + " AND viewname = ?", view), view + " is not a view");
            }
            assertEquals(List.of("IN max_rows bigint", "IN max_rows bigint, IN client text"), DbSupport.strings(c,
                    "SELECT pg_get_function_identity_arguments(oid) FROM pg_proc WHERE proname = ? AND prokind = 'p'"
                            + " ORDER BY 1", TableNames.rowCapProcedure(table)),
                    "the row cap of the table and of one clientid");
            assertEquals(NODES_COLUMNS, DbSupport.columns(c, TableNames.NODES_TABLE));
            assertEquals(List.of("clientid", "nodeid", "field"), primaryKey(c, TableNames.NODES_TABLE));
            assertEquals(List.of("writer_id text", "table_name text", "last_sequence bigint",
                    "updated_at timestamp with time zone"), DbSupport.columns(c, TableNames.PROGRESS_TABLE));

            if (target == Target.TIMESCALEDB) {
                assertEquals(1, DbSupport.count(c, "SELECT count(*) FROM timescaledb_information.dimensions"
                        + " WHERE hypertable_schema = current_schema() AND hypertable_name = ?"
                        + " AND column_name = 'timestamp' AND time_interval = interval '1 hour'", table),
                        table + " is not a hypertable on \"timestamp\" with 1-hour chunks");
            } else {
                assertFalse(DbSupport.timescaleInstalled(c), "provisioning created the extension in " + db.plainUrl());
            }
        }
    }

    /** A changed chunk interval reaches an existing hypertable. */
    @Test
    void chunkIntervalFollowsTheSettings() throws SQLException {
        String table = freshTable(Target.TIMESCALEDB, "sp_chunk");
        try (Connection c = db.connect()) {
            SchemaProvisioner p = new SchemaProvisioner();
            p.provision(c, table, SETTINGS);
            p.provision(c, table, new SchemaSettings(100_000, 0, 600, true, 60));
            assertEquals(1, DbSupport.count(c, "SELECT count(*) FROM timescaledb_information.dimensions"
                    + " WHERE hypertable_name = ? AND time_interval = interval '10 minutes'", table));
        }
    }

    /** A table provisioned on plain PostgreSQL, with rows, becomes a hypertable once TimescaleDB is there. */
    @Test
    void plainTableWithRowsBecomesAHypertable() throws SQLException {
        String table = freshTable(Target.TIMESCALEDB, "sp_migrate");
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String s : SchemaDdl.statements(Edition.POSTGRESQL, table, SETTINGS)) {
                st.execute(s);
            }
            insertRows(c, table, 1000, 3);
            assertEquals(Edition.APACHE, new SchemaProvisioner().provision(c, table, SETTINGS));
            assertEquals(1, DbSupport.count(c, "SELECT count(*) FROM timescaledb_information.hypertables"
                    + " WHERE hypertable_name = ?", table));
            assertEquals(1000, DbSupport.count(c, "SELECT count(*) FROM " + TableNames.quote(table)));
        }
    }

    /**
     * The three aggregates have identical column names and types on the Apache edition and on
     * plain PostgreSQL (and the PGlite community check compares the community edition against
     * the same lists), and compute the same rows from the same samples.
     */
    @Test
    void aggregatesAreIdenticalAcrossEditions() throws SQLException {
        String ts = freshTable(Target.TIMESCALEDB, "sp_views");
        String plain = freshTable(Target.PLAIN, "sp_views");
        try (Connection a = db.connect(); Connection p = db.connectPlain()) {
            assertEquals(Edition.APACHE, provisioner(Target.TIMESCALEDB).provision(a, ts, SETTINGS));
            assertEquals(Edition.POSTGRESQL, provisioner(Target.PLAIN).provision(p, plain, SETTINGS));
            List<String> aNames = TableNames.aggregateNames(ts);
            List<String> pNames = TableNames.aggregateNames(plain);
            for (int k = 0; k < 3; k++) {
                List<String> expected = k == 2 ? DbSupport.COUNT_COLUMNS : DbSupport.AVG_COLUMNS;
                assertEquals(expected, DbSupport.columns(a, aNames.get(k)), aNames.get(k) + " on TimescaleDB");
                assertEquals(expected, DbSupport.columns(p, pNames.get(k)), pNames.get(k) + " on plain PostgreSQL");
            }
            // Same samples, same aggregate rows: 2 nodes, 0.7 s apart, crossing 5 s and 1 min bounds.
            for (Connection c : List.of(a, p)) {
                String t = c == a ? ts : plain;
                try (Statement st = c.createStatement()) {
                    st.execute("INSERT INTO " + TableNames.quote(t)
                            + " (\"timestamp\", nodeid, clientid, sensorname, tagname, value, quality)"
                            + " SELECT timestamptz '2024-03-01 11:59:50+00' + g * interval '700 milliseconds',"
                            + " 'ns=2;s=N' || (g % 2), 'client', 'sensor' || (g % 2), 'tag', g * 1.5, 0"
                            + " FROM generate_series(0, 59) AS g");
                }
            }
            for (int k = 0; k < 3; k++) {
                String order = " ORDER BY bucket, nodeid";
                List<String> fromA = rows(a, "SELECT * FROM " + TableNames.quote(aNames.get(k)) + order);
                List<String> fromP = rows(p, "SELECT * FROM " + TableNames.quote(pNames.get(k)) + order);
                assertFalse(fromA.isEmpty());
                assertEquals(fromA, fromP, "aggregate " + k + " differs between the editions");
            }
            assertEquals(60, DbSupport.count(a, "SELECT sum(sample_count) FROM " + TableNames.quote(aNames.get(2))));
            // 11:59:50 .. 12:00:31.3: the 1-minute aggregate has two buckets per node
            assertEquals(4, DbSupport.count(a, "SELECT count(*) FROM " + TableNames.quote(aNames.get(0))));
        }
    }

    /**
     * The row cap: 150,000 rows (three per timestamp, so the cutoff falls inside a tie), CALL
     * limit_<t>_rows(100000): exactly 100,000 left, the newest; the tie at the cutoff keeps the
     * highest ids.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void rowCapKeepsTheNewestRows(Target target) throws SQLException {
        String table = freshTable(target, "sp_cap");
        String t = TableNames.quote(table);
        try (Connection c = connect(target)) {
            provisioner(target).provision(c, table, SETTINGS);

            long insertMs = insertRows(c, table, 150_000, 3);
            assertEquals(150_000, DbSupport.count(c, "SELECT count(*) FROM " + t));
            OffsetDateTime maxBefore = instant(c, "SELECT max(\"timestamp\") FROM " + t);
            OffsetDateTime minBefore = instant(c, "SELECT min(\"timestamp\") FROM " + t);
            OffsetDateTime cutoff = instant(c, "SELECT \"timestamp\" FROM " + t
                    + " ORDER BY \"timestamp\" DESC OFFSET 99999 LIMIT 1");
            long newer = DbSupport.count(c, "SELECT count(*) FROM " + t + " WHERE \"timestamp\" > ?", cutoff);
            List<Long> tieIds = longs(c, "SELECT id FROM " + t + " WHERE \"timestamp\" = ? ORDER BY id DESC", cutoff);
            assertTrue(newer + tieIds.size() > 100_000, "the test data must put a tie at the cutoff");
            long chunksBefore = target == Target.TIMESCALEDB ? chunks(c, table) : 0;

            long started = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement(Maintenance.rowCapCall(table))) {
                ps.setLong(1, 100_000);
                ps.execute();
            }
            long capMs = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("[SchemaProvisionerTest] %s: 150,000 rows inserted in %d ms (INSERT ... SELECT"
                    + " generate_series), CALL %s(100000) in %d ms%n", target, insertMs,
                    TableNames.rowCapProcedure(table), capMs);

            long left = DbSupport.count(c, "SELECT count(*) FROM " + t);
            assertTrue(left <= 100_000, left + " rows left, more than the cap");
            assertEquals(100_000, left, "the tie rule keeps exactly max_rows");
            assertEquals(maxBefore, instant(c, "SELECT max(\"timestamp\") FROM " + t), "the newest row is gone");
            OffsetDateTime minAfter = instant(c, "SELECT min(\"timestamp\") FROM " + t);
            assertTrue(minAfter.isAfter(minBefore), "the oldest rows are still there");
            assertEquals(cutoff, minAfter, "rows newer than the cutoff were deleted, or older ones kept");
            assertEquals(tieIds.subList(0, (int) (100_000 - newer)),
                    longs(c, "SELECT id FROM " + t + " WHERE \"timestamp\" = ? ORDER BY id DESC", cutoff),
                    "the tie at the cutoff keeps the highest ids");
            if (target == Target.TIMESCALEDB) {
                long chunksAfter = chunks(c, table);
                assertTrue(chunksAfter < chunksBefore, "drop_chunks dropped no chunk (" + chunksBefore + " before, "
                        + chunksAfter + " after)");
            }

            // Idempotent, and a no-op below the cap, at 0 (no cap) and NULL.
            try (PreparedStatement ps = c.prepareStatement(Maintenance.rowCapCall(table))) {
                for (Long max : new Long[] { 100_000L, 200_000L, 0L, null }) {
                    if (max == null) {
                        ps.setNull(1, java.sql.Types.BIGINT);
                    } else {
                        ps.setLong(1, max);
                    }
                    ps.execute();
                    assertEquals(100_000, DbSupport.count(c, "SELECT count(*) FROM " + t), "after CALL with " + max);
                }
                ps.setLong(1, 1);
                ps.execute();
                assertEquals(1, DbSupport.count(c, "SELECT count(*) FROM " + t));
                assertEquals(maxBefore, instant(c, "SELECT max(\"timestamp\") FROM " + t));
            }
        }
    }

    /** 4 gateways provisioning the same new table at the same moment: all succeed, one schema. */
    @ParameterizedTest
    @EnumSource(Target.class)
    void concurrentProvisioningMakesOneSchema(Target target) throws Exception {
        String table = freshTable(target, "sp_race");
        int n = 4;
        CyclicBarrier start = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Edition>> results = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                results.add(pool.submit(() -> {
                    try (Connection c = connect(target)) {
                        c.isValid(5);
                        start.await(30, TimeUnit.SECONDS);
                        return provisioner(target).provision(c, table, SETTINGS);
                    }
                }));
            }
            for (Future<Edition> f : results) {
                assertEquals(target.edition, f.get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = connect(target)) {
            List<String> after = DbSupport.fingerprint(c, table);
            provisioner(target).provision(c, table, SETTINGS);
            assertEquals(after, DbSupport.fingerprint(c, table), "a sequential provisioning still changed something");
            assertEquals(1, DbSupport.count(c, "SELECT count(*) FROM pg_class c JOIN pg_namespace n"
                    + " ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = ?", table));
            assertEquals(2, DbSupport.count(c, "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()"
                    + " AND tablename = ?", table));
            assertEquals(3, DbSupport.count(c, "SELECT count(*) FROM pg_views WHERE schemaname = current_schema()"
                    + " AND viewname = ANY (?)", (Object) TableNames.aggregateNames(table).toArray(new String[0])));
            if (target == Target.TIMESCALEDB) {
                assertEquals(1, DbSupport.count(c, "SELECT count(*) FROM timescaledb_information.dimensions"
                        + " WHERE hypertable_name = ?", table));
            }
        }
    }

    static Stream<String> hostileNames() {
        return SchemaDdlTest.hostileNames().map(a -> (String) a.get()[0]);
    }

    /** Defence in depth: the provisioner refuses a hostile name before any SQL, naming it. */
    @ParameterizedTest
    @MethodSource("hostileNames")
    void hostileTableNamesAreRefused(String name) throws SQLException {
        try (Connection c = db.connect()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new SchemaProvisioner().provision(c, name, SETTINGS));
            assertTrue(e.getMessage().contains(TableNames.printable(name)), e.getMessage());
            assertTrue(c.getAutoCommit(), "the connection was touched");
            assertNotNull(instantOrNull(c, "SELECT now()"));
            if (TableNames.reservedTableName(name) == null && name.indexOf('\0') < 0) {
                assertEquals(0, DbSupport.count(c, "SELECT count(*) FROM pg_class WHERE relname = ?", name));
            }
        }
    }

    /** Retention by age as the writer runs it on the Apache edition (drop_chunks) and plain PostgreSQL (DELETE). */
    @ParameterizedTest
    @EnumSource(Target.class)
    void retentionStatementsDropOldRows(Target target) throws SQLException {
        String table = freshTable(target, "sp_retention");
        String t = TableNames.quote(table);
        try (Connection c = connect(target); Statement st = c.createStatement()) {
            provisioner(target).provision(c, table, new SchemaSettings(100_000, 30, 86_400, false, 60));
            st.execute("INSERT INTO " + t + " (\"timestamp\", nodeid, clientid, sensorname, tagname, value, quality)"
                    + " SELECT now() - g * interval '1 day', 'n', 'c', 's', 't', g, 0 FROM generate_series(0, 59) g");
            OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minusDays(30);
            for (String sql : Retention.statements(target.edition, table)) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setObject(1, cutoff);
                    ps.execute();
                }
            }
            assertEquals(0, DbSupport.count(c, "SELECT count(*) FROM " + t + " WHERE \"timestamp\" < ? - interval '1 day'",
                    cutoff), "rows older than the cutoff's chunk are left");
            assertTrue(DbSupport.count(c, "SELECT count(*) FROM " + t) >= 30, "rows newer than the cutoff went");
        }
    }

    /**
     * A nodes table an earlier writer made (no field column, key (clientid, nodeid)) gets the column,
     * its rows become the variables' rows, and the key moves to (clientid, nodeid, field): once, and
     * the statements run again change nothing. In a scratch schema, rolled back.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void anEarlierNodesTableGetsTheFieldColumnAndKey(Target target) throws SQLException {
        try (Connection c = connect(target)) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA nodes_upgrade_test");
                st.execute("SET LOCAL search_path TO nodes_upgrade_test");
                st.execute(EARLIER_NODES_DDL);
                st.execute("INSERT INTO nodes VALUES ('ns=2;s=M', 'c1', 'P/M', 'P', 'M', 'Double', NULL, now(), now())");
                for (int round = 0; round < 2; round++) {
                    for (String statement : NodesDdl.statements()) {
                        st.execute(statement);
                    }
                }
                assertEquals(NODES_COLUMNS, DbSupport.columns(c, TableNames.NODES_TABLE));
                assertEquals(List.of("clientid", "nodeid", "field"), primaryKey(c, TableNames.NODES_TABLE));
                assertEquals(List.of(""), strings(c, "SELECT field FROM nodes WHERE nodeid = 'ns=2;s=M'"));
                st.execute("INSERT INTO nodes VALUES ('ns=2;s=M', 'c1', 'P/M', 'P', 'M.Speed', 'Double', 'rpm', now(),"
                        + " now(), '.Speed')");
                assertEquals(2, DbSupport.count(c, "SELECT count(*) FROM nodes WHERE clientid = 'c1'"));
            } finally {
                c.rollback();
            }
        }
    }

    /** The node catalog upsert and the forward-only progress marker. */
    @ParameterizedTest
    @EnumSource(Target.class)
    void nodeCatalogAndProgressMarker(Target target) throws SQLException {
        String table = freshTable(target, "sp_catalog");
        String client = "test-" + table;
        try (Connection c = connect(target)) {
            provisioner(target).provision(c, table, SETTINGS);
            try {
                OffsetDateTime t1 = OffsetDateTime.of(2024, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC);
                upsertNode(c, client, "temp", t1);
                upsertNode(c, client, "temperature", t1.plusHours(1));
                upsertNode(c, client, "temperature", t1.minusHours(1)); // late: last_seen stays
                assertEquals(1, DbSupport.count(c, "SELECT count(*) FROM nodes WHERE clientid = ?", client));
                assertEquals(t1, instant(c, "SELECT first_seen FROM nodes WHERE clientid = '" + client + "'"));
                assertEquals(t1.plusHours(1), instant(c, "SELECT last_seen FROM nodes WHERE clientid = '" + client + "'"));
                assertEquals(List.of("temperature"), strings(c, "SELECT tagname FROM nodes WHERE clientid = '" + client + "'"));

                String writer = "writer-" + table;
                assertEquals(1, advance(c, writer, table, 5));
                assertEquals(0, advance(c, writer, table, 3), "the marker moved back");
                assertEquals(0, advance(c, writer, table, 5));
                assertEquals(1, advance(c, writer, table, 7));
                try (PreparedStatement ps = c.prepareStatement(JdbcLedgerStore.READ)) {
                    ps.setString(1, writer);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertTrue(rs.next());
                        assertEquals(7, rs.getLong(1));
                        assertEquals(table, rs.getString(2));
                    }
                    ps.setString(1, "writer-that-never-wrote-" + table);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertFalse(rs.next());
                    }
                }
            } finally {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM nodes WHERE clientid = ?");
                        PreparedStatement pp = c.prepareStatement("DELETE FROM opcscraper_progress WHERE writer_id = ?")) {
                    ps.setString(1, client);
                    ps.execute();
                    pp.setString(1, "writer-" + table);
                    pp.execute();
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Inserts {@code rows} rows, {@code perSecond} per timestamp, newest 2024-03-01; returns the ms it took. */
    private static long insertRows(Connection c, String table, int rows, int perSecond) throws SQLException {
        long started = System.nanoTime();
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO " + TableNames.quote(table)
                    + " (\"timestamp\", nodeid, clientid, sensorname, tagname, value, quality)"
                    + " SELECT timestamptz '2024-03-01 00:00:00+00' - (g / " + perSecond + ") * interval '1 second',"
                    + " 'ns=2;s=Node' || (g % 10), 'client-1', 'sensor' || (g % 10), 'tag' || (g % 10), g, 0"
                    + " FROM generate_series(0, " + (rows - 1) + ") AS g");
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** The nodes table as a writer made it before structured values. */
    static final String EARLIER_NODES_DDL = "CREATE TABLE nodes (nodeid text NOT NULL, clientid text NOT NULL,"
            + " browse_path text, sensorname text, tagname text, data_type text, engineering_unit text,"
            + " first_seen timestamptz NOT NULL, last_seen timestamptz NOT NULL, PRIMARY KEY (clientid, nodeid))";

    static final List<String> NODES_COLUMNS = List.of("nodeid text", "clientid text", "browse_path text",
            "sensorname text", "tagname text", "data_type text", "engineering_unit text",
            "first_seen timestamp with time zone", "last_seen timestamp with time zone", "field text");

    private static List<String> primaryKey(Connection c, String relation) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname FROM pg_index i JOIN pg_attribute a"
                + " ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) WHERE i.indrelid = to_regclass(?)"
                + " AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)")) {
            ps.setString(1, TableNames.quote(relation));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        return columns;
    }

    private static void upsertNode(Connection c, String client, String tag, OffsetDateTime seen) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CatalogWriter.UPSERT)) {
            ps.setString(1, "ns=2;s=Temperature");
            ps.setString(2, client);
            ps.setString(3, "/Objects/Plant/Temperature");
            ps.setString(4, "plant");
            ps.setString(5, tag);
            ps.setString(6, "Double");
            ps.setString(7, "°C");
            ps.setObject(8, seen);
            ps.setString(9, "");
            assertEquals(1, ps.executeUpdate());
        }
    }

    private static int advance(Connection c, String writer, String table, long sequence) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JdbcLedgerStore.ADVANCE)) {
            ps.setString(1, writer);
            ps.setString(2, table);
            ps.setLong(3, sequence);
            return ps.executeUpdate();
        }
    }

    private static long chunks(Connection c, String table) throws SQLException {
        return DbSupport.count(c, "SELECT count(*) FROM show_chunks(?::regclass)", TableNames.quote(table));
    }

    private static OffsetDateTime instant(Connection c, String sql) throws SQLException {
        OffsetDateTime v = instantOrNull(c, sql);
        assertNotNull(v, sql);
        return v;
    }

    private static OffsetDateTime instantOrNull(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getObject(1, OffsetDateTime.class) : null;
        }
    }

    private static List<Long> longs(Connection c, String sql, Object param) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        return rows(c, sql);
    }

    /** Each row as its columns' text joined by '|'. */
    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int k = 1; k <= n; k++) {
                    b.append(k == 1 ? "" : "|").append(rs.getString(k));
                }
                out.add(b.toString());
            }
        }
        return out;
    }
}
