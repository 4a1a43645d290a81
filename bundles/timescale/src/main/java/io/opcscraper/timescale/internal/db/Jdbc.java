package io.opcscraper.timescale.internal.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Small JDBC steps every part of the writer takes the same way. */
public final class Jdbc {

    private static final Logger LOG = LoggerFactory.getLogger(Jdbc.class);

    private Jdbc() {
    }

    /** {@code SELECT pg_advisory_xact_lock(key)}: held until the transaction ends. */
    public static void advisoryXactLock(Connection c, long key) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, key);
            lock.execute();
        }
    }

    /** Rolls back what is open on a connection that may already be broken; a failure is only logged. */
    public static void rollbackQuietly(Connection c) {
        try {
            if (c != null && !c.isClosed()) {
                c.rollback();
            }
        } catch (SQLException e) {
            LOG.debug("rollback failed: {}", e.getMessage());
        }
    }

    /** Closes a connection that may already be broken; a failure is only logged. */
    public static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("close failed: {}", e.getMessage());
            }
        }
    }

    /** Whether a connection is closed (or cannot say). */
    public static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }
}
