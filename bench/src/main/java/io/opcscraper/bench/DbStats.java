package io.opcscraper.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * PostgreSQL's own I/O counters at one moment (cluster-wide, so other users of the server count too):
 * shared-buffer hits, reads, writes and evictions done by client backends on relations ({@code pg_stat_io},
 * PostgreSQL 16+), and WAL written ({@code pg_stat_wal}: bytes, full-page images). Two snapshots tell how
 * the database spent its time: a backend that must evict and write dirty pages to make room, because the
 * indexes outgrew shared_buffers, pays for it in CPU and I/O on every row.
 */
record DbStats(long hits, long reads, long writes, long evictions, long walBytes, long walFullPages) {

    static DbStats take(Connection c) throws SQLException {
        long hits = 0;
        long reads = 0;
        long writes = 0;
        long evictions = 0;
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT coalesce(sum(hits), 0), coalesce(sum(reads), 0), coalesce(sum(writes), 0),"
                 + " coalesce(sum(evictions), 0) FROM pg_stat_io WHERE backend_type = 'client backend'"
                 + " AND object = 'relation'")) {
            if (r.next()) {
                hits = r.getLong(1);
                reads = r.getLong(2);
                writes = r.getLong(3);
                evictions = r.getLong(4);
            }
        } catch (SQLException e) {
            // before PostgreSQL 16: no pg_stat_io
        }
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT wal_bytes, wal_fpi FROM pg_stat_wal")) {
            r.next();
            return new DbStats(hits, reads, writes, evictions, r.getLong(1), r.getLong(2));
        }
    }

    /** "per row: 3.1 buffer reads, 2.9 writes, 3.0 evictions, 95 hits; WAL 310 bytes (0.12 full-page images)". */
    static String perRow(DbStats a, DbStats b, long rows) {
        double n = Math.max(1, rows);
        return String.format(Locale.ROOT, "per row stored: %.2f shared-buffer reads, %.2f writes, %.2f evictions by "
                + "client backends, %.1f hits; WAL %.0f bytes, %.3f full-page images", (b.reads - a.reads) / n,
            (b.writes - a.writes) / n, (b.evictions - a.evictions) / n, (b.hits - a.hits) / n,
            (b.walBytes - a.walBytes) / n, (b.walFullPages - a.walFullPages) / n);
    }

    /** The table's size with its indexes, and the server's shared_buffers, e.g. "table 812 MB + indexes 640 MB". */
    static String sizes(Connection c, String table) throws SQLException {
        String sql = "SELECT pg_size_pretty(table_bytes), pg_size_pretty(index_bytes),"
            + " current_setting('shared_buffers') FROM hypertable_detailed_size(?::regclass)";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, '"' + table + '"');
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return "table " + r.getString(1) + " + indexes " + r.getString(2) + " (shared_buffers " + r.getString(3) + ")";
            }
        } catch (SQLException e) {
            return "size unknown (" + e.getMessage() + ")";
        }
    }
}
