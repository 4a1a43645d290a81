package io.opcscraper.timescale.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import io.opcscraper.timescale.TestDatabase;
import io.opcscraper.timescale.internal.schema.TableNames;

/** What writer tests ask of the table they write: rows, duplicates, whether it exists. */
public final class WriterTable {

    private final TestDatabase db;
    private final String table;
    private final boolean plain;

    /** The table in the TimescaleDB database ({@link TestDatabase#url()}). */
    public WriterTable(TestDatabase db, String table) {
        this(db, table, false);
    }

    private WriterTable(TestDatabase db, String table, boolean plain) {
        this.db = db;
        this.table = table;
        this.plain = plain;
    }

    /** The table of that name in the plain PostgreSQL database ({@link TestDatabase#plainUrl()}). */
    public static WriterTable plain(TestDatabase db, String table) {
        return new WriterTable(db, table, true);
    }

    public long rows() throws SQLException {
        return count("SELECT count(*) FROM \"" + this.table + "\"");
    }

    public boolean exists() throws SQLException {
        return count("SELECT CASE WHEN to_regclass('\"" + this.table + "\"') IS NULL THEN 0 ELSE 1 END") == 1;
    }

    /** How many (clientid, nodeid, timestamp) appear more than once. */
    public long duplicates() throws SQLException {
        return count("SELECT count(*) FROM (SELECT clientid, nodeid, \"timestamp\" FROM \"" + this.table
                + "\" GROUP BY 1, 2, 3 HAVING count(*) > 1) d");
    }

    /** How many distinct values between {@code from} and {@code to} (the indexed samples' values are their index). */
    public long distinctValues(long from, long to) throws SQLException {
        return count("SELECT count(DISTINCT value) FROM \"" + this.table + "\" WHERE value BETWEEN " + from + " AND "
                + to);
    }

    public long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    public String name() {
        return this.table;
    }

    /**
     * A Writer configuration for this table: instance name, database, credentials, spool, batches
     * flushed every 50 ms, no aggregates; a test adds what it needs.
     */
    public Map<String, Object> writerProperties(String instance, String jdbcUrl, Path spool) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("kura.service.pid", instance);
        properties.put("jdbc.url", jdbcUrl);
        properties.put("db.user", this.db.user());
        properties.put("db.password", this.db.password());
        properties.put("table.name", this.table);
        properties.put("spool.dir", spool.toString());
        properties.put("flush.interval.ms", 50);
        properties.put("aggregates.enabled", false);
        return properties;
    }

    /** Opens a connection to the table's database. */
    public Connection connect() throws SQLException {
        return this.plain ? this.db.connectPlain() : this.db.connect();
    }

    /** Drops the table (its views go with it), its row-cap procedure and the progress rows naming it. */
    public void drop() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TableNames.quote(this.table) + " CASCADE");
            String procedure = TableNames.quote(TableNames.rowCapProcedure(this.table));
            s.execute("DROP PROCEDURE IF EXISTS " + procedure + "(bigint)");
            s.execute("DROP PROCEDURE IF EXISTS " + procedure + "(bigint, text)");
            String progressOfTable = " WHERE table_name = '" + this.table + "'";
            deleteIfPresent(s, "DELETE FROM opcscraper_progress_ranges WHERE writer_id IN (SELECT writer_id FROM "
                    + "opcscraper_progress" + progressOfTable + ")");
            deleteIfPresent(s, "DELETE FROM opcscraper_progress" + progressOfTable);
        }
    }

    private static void deleteIfPresent(Statement s, String delete) throws SQLException {
        try {
            s.execute(delete);
        } catch (SQLException e) {
            if (!"42P01".equals(e.getSQLState())) { // no progress table: the writer never connected there
                throw e;
            }
        }
    }

    /** The database URL with a port where nothing listens: a database that is down. */
    public static String unreachable(TestDatabase db) throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        return db.url().replaceFirst("//[^/]+/", "//127.0.0.1:" + closedPort + "/");
    }
}
