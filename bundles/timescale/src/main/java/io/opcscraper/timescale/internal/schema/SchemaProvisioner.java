package io.opcscraper.timescale.internal.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.timescale.internal.db.Jdbc;

/**
 * Creates or updates a writer's schema ({@link SchemaDdl#statements}) when the writer activates and
 * after each reconnect.
 *
 * <p>One transaction, READ COMMITTED, under two transaction-level advisory locks taken in a fixed
 * order: {@link TableNames#lockKey(String)} (derived from {@code "opcscraper:" + table}) and
 * {@link TableNames#sharedLockKey()} (the extension and the {@code nodes} and
 * {@code opcscraper_progress} tables every writer table shares; without it, two writers of
 * different tables creating {@code nodes} at the same moment can fail on pg_type's unique index).
 * Several gateways provisioning one database at the same moment therefore run one after the
 * other, and each later one finds the schema complete and changes nothing. The edition is
 * detected (and the extension created when possible) after the locks are held.
 *
 * <p>Transaction blocks: every statement runs inside one. The only TimescaleDB statements that
 * refuse a transaction block are {@code CREATE MATERIALIZED VIEW ... WITH (timescaledb.continuous)}
 * WITH DATA (it refreshes) and {@code refresh_continuous_aggregate}; the continuous aggregates are
 * therefore created WITH NO DATA, and materialised by their refresh policy (real-time aggregation
 * answers for what is not materialised yet). The PGlite community checker runs the same
 * statements in one transaction too.
 */
public final class SchemaProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaProvisioner.class);

    private final boolean createExtension;
    private final AtomicReference<String> lastLogged = new AtomicReference<>();

    /** A provisioner that creates the timescaledb extension where it is available and allowed. */
    public SchemaProvisioner() {
        this(true);
    }

    /**
     * @param createExtension whether to try {@code CREATE EXTENSION IF NOT EXISTS timescaledb}
     *        when the extension is available but not created in the database (see
     *        {@link Edition#detect(Connection, boolean)}); false keeps such a database plain
     *        PostgreSQL
     */
    public SchemaProvisioner(boolean createExtension) {
        this.createExtension = createExtension;
    }

    /**
     * Provisions {@code table} and the shared tables; idempotent. A transaction the caller left
     * open on {@code c} is committed first. Restores the connection's
     * auto-commit and isolation level afterwards.
     *
     * @return the edition the schema was made for
     * @throws IllegalArgumentException when {@code table} is not a valid table name (before any SQL)
     * @throws SQLException when a statement fails (the transaction is rolled back; the message
     *         names the table, the edition and the statement)
     */
    public Edition provision(Connection c, String table, SchemaSettings settings) throws SQLException {
        Objects.requireNonNull(c, "connection");
        Objects.requireNonNull(settings, "settings");
        TableNames.requireValidTable(table);

        boolean autoCommit = c.getAutoCommit();
        int isolation = c.getTransactionIsolation();
        if (!autoCommit) {
            c.commit(); // never mix provisioning into a caller's open transaction
        }
        long started = System.nanoTime();
        Edition edition = null;
        int index = -1;
        List<String> statements = List.of();
        try {
            // READ COMMITTED: each statement sees what a provisioner that held the lock before
            // committed (a REPEATABLE READ snapshot from before the lock wait would not).
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            c.setAutoCommit(false);
            Jdbc.advisoryXactLock(c, TableNames.lockKey(table));
            Jdbc.advisoryXactLock(c, TableNames.sharedLockKey());
            edition = Edition.detect(c, createExtension);
            statements = SchemaDdl.statements(edition, table, settings);
            try (Statement st = c.createStatement()) {
                for (index = 0; index < statements.size(); index++) {
                    st.execute(statements.get(index));
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c, e);
            if (e instanceof SQLException && index >= 0 && index < statements.size()) {
                SQLException se = (SQLException) e;
                SQLException wrapped = new SQLException("Provisioning table \"" + table + "\" (" + edition
                        + ") failed at statement " + (index + 1) + "/" + statements.size() + " ["
                        + summary(statements.get(index)) + "]: " + se.getMessage(), se.getSQLState(), se);
                throw wrapped;
            }
            throw e;
        } finally {
            restore(c, autoCommit, isolation);
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        String logged = table + "/" + edition;
        if (!logged.equals(lastLogged.getAndSet(logged))) {
            LOG.info("Table \"{}\" provisioned for {} in {} ms: {}", table, edition, ms,
                    edition.describe().replace("<table>", table));
        } else {
            LOG.debug("Table \"{}\" provisioned for {} in {} ms", table, edition, ms);
        }
        return edition;
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            if (!c.isClosed() && !c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void restore(Connection c, boolean autoCommit, int isolation) {
        try {
            if (!c.isClosed()) {
                c.setAutoCommit(autoCommit);
                c.setTransactionIsolation(isolation);
            }
        } catch (SQLException e) {
            LOG.debug("Could not restore the connection's auto-commit/isolation", e);
        }
    }

    /** The first line of a statement, for messages. */
    static String summary(String statement) {
        String s = statement.strip();
        int nl = s.indexOf('\n');
        if (s.startsWith("DO $$")) {
            // The first line that does something.
            for (String line : s.split("\n")) {
                String l = line.strip();
                if (l.startsWith("PERFORM") || l.startsWith("CREATE") || l.startsWith("ALTER")
                        || l.startsWith("IF") || l.startsWith("FOR")) {
                    return "DO: " + l;
                }
            }
        }
        return nl < 0 ? s : s.substring(0, nl);
    }
}
