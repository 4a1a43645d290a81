package io.opcscraper.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;

/** The database of the run: connections, its clock, its version, the pids of a client's sessions. */
final class Database {

    /** Where the database is and who connects. */
    record Settings(String url, String user, String password) {
        @Override
        public String toString() {
            return url + " (user " + user + ")";
        }
    }

    private final Settings settings;

    Database(Settings settings) {
        this.settings = settings;
    }

    Settings settings() {
        return settings;
    }

    /** A new connection, auto-commit on, named {@code opc-scraper bench <purpose>} in pg_stat_activity. */
    Connection connect(String purpose) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", settings.user());
        properties.setProperty("password", settings.password());
        properties.setProperty("ApplicationName", "opc-scraper bench " + purpose);
        properties.setProperty("connectTimeout", "10");
        Connection connection = new org.postgresql.Driver().connect(settings.url(), properties);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + settings.url());
        }
        return connection;
    }

    /** The database's clock (clock_timestamp(), not the transaction's start). */
    static OffsetDateTime clock(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT clock_timestamp()")) {
            r.next();
            return r.getObject(1, OffsetDateTime.class);
        }
    }

    /** "PostgreSQL 17.x, TimescaleDB 2.19.x (apache)" or "PostgreSQL 17.x, no TimescaleDB". */
    static String version(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT current_setting('server_version'),"
                 + " (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'),"
                 + " current_setting('timescaledb.license', true)")) {
            r.next();
            String pg = "PostgreSQL " + r.getString(1).split(" ")[0];
            return r.getString(2) == null ? pg + ", no TimescaleDB"
                : pg + ", TimescaleDB " + r.getString(2) + " (" + r.getString(3) + ")";
        }
    }

    /** The backend pids of sessions whose application_name is {@code name}. */
    static Set<Long> sessionPids(Connection c, String name) throws SQLException {
        Set<Long> pids = new HashSet<>();
        try (PreparedStatement s = c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    pids.add(r.getLong(1));
                }
            }
        }
        return pids;
    }
}
