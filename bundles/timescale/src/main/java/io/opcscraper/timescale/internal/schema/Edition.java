package io.opcscraper.timescale.internal.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the database the writer talks to can do: the TimescaleDB community edition (Timescale
 * License), the TimescaleDB Apache-2 edition, or plain PostgreSQL. Detected at run time
 * ({@link #detect(Connection)}); {@link SchemaDdl} generates the schema for each.
 */
public enum Edition {

    /** TimescaleDB under the Timescale License ({@code timescaledb.license = timescale}). */
    COMMUNITY("TimescaleDB community edition: hypertable; continuous aggregates with real-time aggregation"
            + " and refresh policies; the row cap runs as a TimescaleDB job (add_job) and retention as"
            + " add_retention_policy, both scheduled inside the database"),

    /** TimescaleDB under the Apache-2 license ({@code timescaledb.license = apache}). */
    APACHE("TimescaleDB Apache edition: hypertable; no continuous aggregates, no jobs: the aggregates are"
            + " ordinary views over time_bucket (computed at query time), the writer itself runs the row cap"
            + " (CALL limit_<table>_rows) and retention (drop_chunks)"),

    /** PostgreSQL without the timescaledb extension. */
    POSTGRESQL("plain PostgreSQL (no timescaledb extension): ordinary table; the aggregates are ordinary views"
            + " over date_bin (computed at query time); the writer itself runs the row cap"
            + " (CALL limit_<table>_rows) and retention (DELETE)");

    private static final Logger LOG = LoggerFactory.getLogger(Edition.class);

    private final String changes;

    Edition(String changes) {
        this.changes = changes;
    }

    /** One line for the log: what this edition changes in the schema and in who schedules what. */
    public String describe() {
        return changes;
    }

    /** Whether the sample table is a hypertable (chunks, {@code drop_chunks}, {@code time_bucket}). */
    public boolean hypertables() {
        return this != POSTGRESQL;
    }

    /** Whether the aggregates are continuous aggregates (else ordinary views). */
    public boolean continuousAggregates() {
        return this == COMMUNITY;
    }

    /**
     * Whether the database schedules the row cap and retention itself (TimescaleDB jobs); when
     * false the writer runs the row cap ({@code CALL limit_<table>_rows}) and retention on its own
     * schedule (the maintenance package).
     */
    public boolean databaseSchedulesJobs() {
        return this == COMMUNITY;
    }

    /**
     * {@link #detect(Connection, boolean)} creating the extension when it is available but not
     * yet created in this database and the user may create it.
     */
    public static Edition detect(Connection c) throws SQLException {
        return detect(c, true);
    }

    /**
     * The edition of the database {@code c} is connected to.
     *
     * <p>{@code current_setting('timescaledb.license', true)} reads {@code timescale} on the
     * community edition and {@code apache} on the Apache edition; it is NULL or empty when the
     * extension is not created in this database (the library may still be preloaded). Then,
     * when {@code createExtension} is set and {@code pg_available_extensions} lists
     * {@code timescaledb}, {@code CREATE EXTENSION IF NOT EXISTS timescaledb} is tried (inside a
     * savepoint when {@code c} is in a transaction); if that fails (not a superuser or database
     * owner, library not preloaded, ...) the database is used as plain PostgreSQL and the reason
     * is logged.
     */
    public static Edition detect(Connection c, boolean createExtension) throws SQLException {
        Edition edition = fromLicense(c);
        if (edition != null) {
            return edition;
        }
        boolean created = extensionCreated(c);
        if (created) {
            // In pg_extension but no license setting: the library is not loaded in this
            // session (not in shared_preload_libraries). Nothing TimescaleDB would work.
            LOG.warn("The timescaledb extension is created in this database but not loaded"
                    + " (timescaledb.license is not set; is timescaledb in shared_preload_libraries?):"
                    + " using the database as plain PostgreSQL");
            return POSTGRESQL;
        }
        if (!createExtension || !extensionAvailable(c)) {
            return POSTGRESQL;
        }
        try {
            createExtension(c);
        } catch (SQLException e) {
            LOG.warn("CREATE EXTENSION timescaledb failed ({}: {}): using the database as plain PostgreSQL",
                    e.getSQLState(), firstLine(e.getMessage()));
            return POSTGRESQL;
        }
        edition = fromLicense(c);
        if (edition == null) {
            LOG.warn("CREATE EXTENSION timescaledb succeeded but timescaledb.license is not set:"
                    + " using the database as plain PostgreSQL");
            return POSTGRESQL;
        }
        LOG.info("Created the timescaledb extension ({} license)", edition == COMMUNITY ? "timescale" : "apache");
        return edition;
    }

    private static Edition fromLicense(Connection c) throws SQLException {
        String license;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_setting('timescaledb.license', true)")) {
            rs.next();
            license = rs.getString(1);
        }
        if (license == null || license.isBlank()) {
            return null;
        }
        if (!extensionCreated(c)) {
            return null; // the setting lingers in a session after DROP EXTENSION
        }
        switch (license.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "timescale":
                return COMMUNITY;
            case "apache":
                return APACHE;
            default:
                LOG.warn("Unknown timescaledb.license '{}': assuming the Apache edition", license);
                return APACHE;
        }
    }

    private static boolean extensionCreated(Connection c) throws SQLException {
        return exists(c, "SELECT 1 FROM pg_catalog.pg_extension WHERE extname = ?");
    }

    private static boolean extensionAvailable(Connection c) throws SQLException {
        return exists(c, "SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = ?");
    }

    private static boolean exists(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, "timescaledb");
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void createExtension(Connection c) throws SQLException {
        if (c.getAutoCommit()) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
            }
            return;
        }
        Savepoint sp = c.setSavepoint();
        try (Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
        } catch (SQLException e) {
            c.rollback(sp);
            throw e;
        }
        c.releaseSavepoint(sp);
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
