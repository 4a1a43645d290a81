package io.opcscraper.timescale.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.opcscraper.timescale.TestDatabase;

/** What writer tests ask of the table they write: rows, duplicates, whether it exists. */
public final class WriterTable {

    private final TestDatabase db;
    private final String table;

    public WriterTable(TestDatabase db, String table) {
        this.db = db;
        this.table = table;
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

    public long count(String sql) throws SQLException {
        try (Connection c = this.db.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
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
