package io.opcscraper.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;

import io.opcscraper.timescale.tooling.WriterTable;

/**
 * The run's sample table: provisioned exactly as the writer provisions it ({@link WriterTable#provision},
 * the writer's own code, without creating the extension), plus a column {@code committed_at timestamptz
 * DEFAULT clock_timestamp()} added while the table is empty. The writer's COPY names its columns, so
 * PostgreSQL fills committed_at for every row as the COPY inserts it: the insert time inside the COPY's
 * transaction (the commit comes a little later).
 */
final class BenchTable {

    /** The writer's settings for the bench: no row cap (every row is counted), the other defaults. */
    static final WriterTable.Settings SETTINGS = new WriterTable.Settings(0, 0, 3600, true, 60, 3600);

    /** Rows stored in a time window and how long after their source timestamp they were inserted. */
    record Window(long rows, double p50Seconds, double p99Seconds, double maxSeconds) {
    }

    /** Rows beyond one per (nodeid, "timestamp"), and in how many such groups. */
    record Repeats(long extraRows, long groups) {
    }

    private final Database db;
    private final WriterTable table;
    private final String name;

    BenchTable(Database db, String name) {
        this.db = db;
        this.table = WriterTable.named(name);
        this.name = this.table.name();
    }

    String name() {
        return name;
    }

    /** Creates the table (hypertable on TimescaleDB), its indexes and aggregates like the writer does. */
    /** Returns the edition it was provisioned for. */
    String provision() throws SQLException {
        try (Connection c = db.connect("provision")) {
            return table.provision(c, SETTINGS);
        }
    }

    /** The writer's COPY statement for this table. */
    String copyStatement() {
        return table.copyStatement();
    }

    void truncate() throws SQLException {
        execute("TRUNCATE " + table.quotedName());
    }

    /** Adds committed_at; the table must be empty (a hypertable with chunks would need a rewrite). */
    void addCommittedAt() throws SQLException {
        execute("ALTER TABLE " + table.quotedName() + " ADD COLUMN committed_at timestamptz DEFAULT clock_timestamp()");
    }

    /** Whether committed_at is still there with its default (the writer's provisioning is IF NOT EXISTS). */
    boolean committedAtIntact() throws SQLException {
        try (Connection c = db.connect("check");
             PreparedStatement s = c.prepareStatement("SELECT column_default FROM information_schema.columns"
                 + " WHERE table_schema = current_schema() AND table_name = ? AND column_name = 'committed_at'")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getString(1) != null && r.getString(1).contains("clock_timestamp()");
            }
        }
    }

    boolean hasRows(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT EXISTS (SELECT 1 FROM " + table.quotedName() + ")")) {
            r.next();
            return r.getBoolean(1);
        }
    }

    long count() throws SQLException {
        return longQuery("SELECT count(*) FROM " + table.quotedName());
    }

    long distinctNodes() throws SQLException {
        return longQuery("SELECT count(DISTINCT nodeid) FROM " + table.quotedName());
    }

    long notGood() throws SQLException {
        return longQuery("SELECT count(*) FROM " + table.quotedName() + " WHERE quality <> 0 OR value IS NULL");
    }

    long withoutCommittedAt() throws SQLException {
        return longQuery("SELECT count(*) FROM " + table.quotedName() + " WHERE committed_at IS NULL");
    }

    /**
     * Rows whose committed_at falls in [from, to), with the 50th and 99th percentile (percentile_cont) and
     * the maximum of committed_at - "timestamp" (source timestamp to insert).
     */
    Window window(OffsetDateTime from, OffsetDateTime to) throws SQLException {
        String sql = "SELECT count(*), percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP (ORDER BY d), max(d) FROM"
            + " (SELECT extract(epoch FROM committed_at - \"timestamp\")::float8 AS d FROM " + table.quotedName()
            + " WHERE committed_at >= ? AND committed_at < ?) w";
        try (Connection c = analysis(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, from);
            s.setObject(2, to);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                long rows = r.getLong(1);
                Array percentiles = r.getArray(2);
                if (rows == 0 || percentiles == null) {
                    return new Window(0, Double.NaN, Double.NaN, Double.NaN);
                }
                Object[] p = (Object[]) percentiles.getArray();
                return new Window(rows, ((Number) p[0]).doubleValue(), ((Number) p[1]).doubleValue(), r.getDouble(3));
            }
        }
    }

    /**
     * Rows that share (nodeid, "timestamp") with another row, beyond the first of each group. In poll mode a
     * value read twice within its period has the same source timestamp both times: such rows are reads,
     * not duplicates of one read.
     */
    Repeats repeats() throws SQLException {
        String sql = "SELECT coalesce(sum(n - 1), 0), count(*) FROM (SELECT count(*) AS n FROM " + table.quotedName()
            + " GROUP BY nodeid, \"timestamp\" HAVING count(*) > 1) g";
        try (Connection c = analysis(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return new Repeats(r.getLong(1), r.getLong(2));
        }
    }

    /** Drops the table (its views go with it), its row-cap procedure and the shared rows of this run. */
    void drop(String clientId) throws SQLException {
        try (Connection c = db.connect("cleanup"); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table.quotedName() + " CASCADE");
            s.execute("DROP PROCEDURE IF EXISTS " + WriterTable.quote(table.rowCapProcedure()) + "(bigint)");
            s.execute("DROP PROCEDURE IF EXISTS " + WriterTable.quote(table.rowCapProcedure()) + "(bigint, text)");
            try (PreparedStatement ranges = c.prepareStatement("DELETE FROM " + WriterTable.RANGES_TABLE
                     + " WHERE writer_id IN (SELECT writer_id FROM " + WriterTable.PROGRESS_TABLE + " WHERE table_name = ?)");
                 PreparedStatement progress = c.prepareStatement("DELETE FROM " + WriterTable.PROGRESS_TABLE
                     + " WHERE table_name = ?");
                 PreparedStatement nodes = c.prepareStatement("DELETE FROM " + WriterTable.NODES_TABLE
                     + " WHERE clientid = ?")) {
                ranges.setString(1, name);
                ranges.executeUpdate();
                progress.setString(1, name);
                progress.executeUpdate();
                nodes.setString(1, clientId);
                nodes.executeUpdate();
            } catch (SQLException e) {
                // the shared tables do not exist when the writer never connected
            }
        }
    }

    private Connection analysis() throws SQLException {
        Connection c = db.connect("analysis");
        try (Statement s = c.createStatement()) {
            s.execute("SET work_mem = '256MB'");
        }
        return c;
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = db.connect("ddl"); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private long longQuery(String sql) throws SQLException {
        try (Connection c = analysis(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
