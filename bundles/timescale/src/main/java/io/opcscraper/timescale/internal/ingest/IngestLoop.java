package io.opcscraper.timescale.internal.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.api.CatalogNode;
import io.opcscraper.api.Sample;
import io.opcscraper.timescale.internal.WriterOptions;
import io.opcscraper.timescale.internal.copy.BinaryCopyEncoder;
import io.opcscraper.timescale.internal.copy.SqlErrors;
import io.opcscraper.timescale.internal.schema.Edition;
import io.opcscraper.timescale.internal.schema.SchemaDdl;
import io.opcscraper.timescale.internal.schema.SchemaProvisioner;
import io.opcscraper.timescale.internal.schema.SchemaSettings;
import io.opcscraper.timescale.internal.spool.Spool;
import io.opcscraper.timescale.internal.spool.SpooledSample;

/**
 * Drains the spool into the database, one batch at a time in sequence order: each batch is one
 * binary COPY and one forward-only update of this writer's progress marker, in the same
 * transaction. After a crash the spool still holds what it held; the marker says which sequence
 * committed last, so a replay skips it: exactly once.
 *
 * <p>A temporary failure (see {@link SqlErrors}) closes the connection and retries the same
 * batch after a capped backoff (1 s doubling to 60 s); the spool keeps what arrives meanwhile.
 * A batch the database refuses for its data is split in halves until the refused samples are
 * alone; those go to the quarantine file and the marker moves past them.
 */
public final class IngestLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestLoop.class);
    private static final long MAX_BACKOFF_MS = 60_000;

    private final String name;
    private final String writerId;
    private final WriterOptions options;
    private final PasswordSource password;
    private final Spool spool;
    private final Quarantine quarantine;
    private final WriterStatus status;
    /**
     * Does not create the extension: a writer does not change what a database offers; where
     * TimescaleDB is installed but not created, the table is plain PostgreSQL until an admin runs
     * CREATE EXTENSION timescaledb. One instance, so the edition is logged once.
     */
    private final SchemaProvisioner provisioner = new SchemaProvisioner(false);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = this.lock.newCondition();
    private final java.util.Map<String, List<CatalogNode>> catalogs = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean stopped;
    private long nextStatusNanos;
    private String lastStatus;
    private boolean signalled;
    private Connection connection;
    private Edition edition;
    private long committed;
    private long backoffMs;
    private long nextMaintenanceNanos;

    /** The clear-text password, asked for at each connect so it never stays in a field. */
    public interface PasswordSource {
        char[] get();
    }

    IngestLoop(String name, String writerId, WriterOptions options, PasswordSource password, Spool spool,
            Quarantine quarantine, WriterStatus status) {
        this.name = name;
        this.writerId = writerId;
        this.options = options;
        this.password = password;
        this.spool = spool;
        this.quarantine = quarantine;
        this.status = status;
    }

    /** New samples are in the spool. */
    void signal() {
        this.lock.lock();
        try {
            this.signalled = true;
            this.wake.signalAll();
        } finally {
            this.lock.unlock();
        }
    }

    /** Keeps the latest catalog of a client until it is in the nodes table. */
    void catalog(String clientId, List<CatalogNode> nodes) {
        this.catalogs.put(clientId, List.copyOf(nodes));
        signal();
    }

    void stop() {
        this.stopped = true;
        signal();
    }

    @Override
    public void run() {
        while (!this.stopped) {
            try {
                ensureConnected();
                maintain();
                writeCatalogs();
                reportStatus();
                List<SpooledSample> batch = this.spool.read(this.committed, this.options.batchSize());
                if (batch.size() < this.options.batchSize()) {
                    // Let a small batch fill up for at most the flush interval.
                    waitForData(this.options.flushIntervalMs());
                    batch = this.spool.read(this.committed, this.options.batchSize());
                }
                if (!batch.isEmpty()) {
                    write(batch);
                }
                this.backoffMs = 0;
            } catch (SQLException e) {
                failed(describe(e), SqlErrors.isAuthentication(e));
            } catch (IOException e) {
                failed("spool: " + e.getMessage(), false);
            } catch (RuntimeException e) {
                LOG.error("{}: unexpected failure in the writer loop", this.name, e);
                failed(e.toString(), false);
            }
        }
        disconnect();
    }

    private void ensureConnected() throws SQLException {
        if (this.connection != null) {
            return;
        }
        Properties properties = new Properties();
        properties.setProperty("user", this.options.user());
        char[] secret = this.password.get();
        properties.setProperty("password", new String(secret));
        java.util.Arrays.fill(secret, '\0');
        properties.setProperty("sslmode", this.options.sslMode());
        if (!this.options.sslRootCert().isEmpty()) {
            properties.setProperty("sslrootcert", this.options.sslRootCert());
        }
        properties.setProperty("ApplicationName", "opc-scraper " + this.name);
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("tcpKeepAlive", "true");
        Connection opened = new org.postgresql.Driver().connect(this.options.jdbcUrl(), properties);
        if (opened == null) {
            throw new SQLException("jdbc.url is not a PostgreSQL URL", "08001");
        }
        try {
            this.edition = this.provisioner.provision(opened, this.options.tableName(), SchemaSettings.of(this.options));
            opened.setAutoCommit(false);
            this.committed = readProgress(opened);
            opened.commit();
        } catch (SQLException e) {
            opened.close();
            throw e;
        }
        this.connection = opened;
        try {
            if (this.committed > this.spool.lastSequence()) {
                // The database has seen sequences this spool has not (its directory was emptied or
                // replaced): new samples must not reuse numbers the marker already covers.
                this.spool.advanceSequence(this.committed);
            }
            this.spool.release(this.committed);
        } catch (IOException e) {
            LOG.warn("{}: cannot release committed spool segments: {}", this.name, e.getMessage());
        }
        LOG.info("{}: writing to {} table \"{}\" ({}); {} samples wait in the spool", this.name,
                this.options.jdbcUrl(), this.options.tableName(), this.edition,
                Math.max(0, this.spool.lastSequence() - this.committed));
        this.status.lastError.set(null);
    }

    private long readProgress(Connection c) throws SQLException {
        try (PreparedStatement read = c.prepareStatement(SchemaDdl.readProgress())) {
            read.setString(1, this.writerId);
            try (ResultSet result = read.executeQuery()) {
                return result.next() ? result.getLong(1) : 0L;
            }
        }
    }

    /** The row cap where TimescaleDB's job scheduler does not run it (Apache edition, plain PostgreSQL). */
    private void maintain() throws SQLException {
        long now = System.nanoTime();
        if (now < this.nextMaintenanceNanos || this.options.maxRows() == 0 || this.edition == Edition.COMMUNITY) {
            return;
        }
        this.nextMaintenanceNanos = now + TimeUnit.SECONDS.toNanos(this.options.rowCapIntervalS());
        this.connection.setAutoCommit(true);
        try (PreparedStatement cap = this.connection.prepareStatement(SchemaDdl.rowCapCall(this.options.tableName()))) {
            cap.setLong(1, this.options.maxRows());
            cap.execute();
        } finally {
            this.connection.setAutoCommit(false);
        }
    }

    /** Upserts the pending catalogs into the nodes table, one transaction per client. */
    private void writeCatalogs() throws SQLException {
        for (String clientId : List.copyOf(this.catalogs.keySet())) {
            List<CatalogNode> nodes = this.catalogs.get(clientId);
            java.sql.Timestamp seen = java.sql.Timestamp.from(java.time.Instant.now());
            try (PreparedStatement upsert = this.connection.prepareStatement(SchemaDdl.upsertNode())) {
                for (CatalogNode node : nodes) {
                    upsert.setString(1, node.nodeId());
                    upsert.setString(2, clientId);
                    upsert.setString(3, node.browsePath());
                    upsert.setString(4, node.sensorName());
                    upsert.setString(5, node.tagName());
                    upsert.setString(6, node.dataType());
                    upsert.setString(7, node.engineeringUnit());
                    upsert.setTimestamp(8, seen);
                    upsert.addBatch();
                }
                upsert.executeBatch();
                this.connection.commit();
            } catch (SQLException e) {
                rollback();
                throw e;
            }
            this.catalogs.remove(clientId, nodes);
        }
    }

    /** One INFO line a minute while the counters move: what a user reads in the gateway log. */
    private void reportStatus() {
        long now = System.nanoTime();
        if (now < this.nextStatusNanos) {
            return;
        }
        this.nextStatusNanos = now + TimeUnit.SECONDS.toNanos(60);
        String line = "accepted " + this.status.accepted() + ", written " + this.status.written() + ", spooled "
                + Math.max(0, this.spool.lastSequence() - this.committed) + ", dropped " + this.spool.droppedSamples()
                + ", quarantined " + this.quarantine.count();
        if (!line.equals(this.lastStatus)) {
            LOG.info("{}: {}", this.name, line);
            this.lastStatus = line;
        }
    }

    private void write(List<SpooledSample> batch) throws SQLException, IOException {
        try {
            commit(batch);
        } catch (SQLException e) {
            rollback();
            if (!SqlErrors.isPermanentForTheBatch(e)) {
                throw e;
            }
            isolate(batch, e);
        }
        this.spool.release(this.committed);
    }

    private void commit(List<SpooledSample> batch) throws SQLException {
        List<Sample> samples = new ArrayList<>(batch.size());
        batch.forEach(s -> samples.add(s.sample()));
        try {
            this.connection.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY \"" + this.options.tableName() + "\" " + BinaryCopyEncoder.COLUMNS
                            + " FROM STDIN (FORMAT binary)",
                    new ByteArrayInputStream(BinaryCopyEncoder.encode(samples)));
        } catch (IOException e) {
            throw new SQLException("COPY stream failed: " + e.getMessage(), "08006", e);
        }
        long last = batch.get(batch.size() - 1).sequence();
        advance(last);
        this.connection.commit();
        this.committed = last;
        this.status.written.addAndGet(batch.size());
    }

    /**
     * Moves the marker to {@code last} in the current transaction. If it does not move, another
     * session of this writer (a killed gateway's, still committing) got there first: this
     * transaction must not commit; the failure is temporary, so the writer reconnects and
     * re-reads the marker.
     */
    private void advance(long last) throws SQLException {
        try (PreparedStatement advance = this.connection.prepareStatement(SchemaDdl.advanceProgress())) {
            advance.setString(1, this.writerId);
            advance.setString(2, this.options.tableName());
            advance.setLong(3, last);
            if (advance.executeUpdate() != 1) {
                throw new SQLException("the progress marker of this writer is already at or past " + last
                        + " (another session committed it); re-reading it", "40001");
            }
        }
    }

    /** Halves a refused batch until the refused samples are alone, and quarantines those. */
    private void isolate(List<SpooledSample> batch, SQLException refusal) throws SQLException, IOException {
        if (batch.size() == 1) {
            String reason = describe(refusal);
            this.quarantine.add(List.of(batch.get(0).sample()), reason);
            advance(batch.get(0).sequence());
            this.connection.commit();
            this.committed = batch.get(0).sequence();
            LOG.error("{}: the database refused sample {} ({}); it is in {} ({} quarantined in all)", this.name,
                    batch.get(0).sequence(), reason, this.quarantine.file(), this.quarantine.count());
            return;
        }
        int half = batch.size() / 2;
        for (List<SpooledSample> part : List.of(batch.subList(0, half), batch.subList(half, batch.size()))) {
            try {
                commit(part);
            } catch (SQLException e) {
                rollback();
                if (!SqlErrors.isPermanentForTheBatch(e)) {
                    throw e;
                }
                isolate(part, e);
            }
        }
    }

    private void waitForData(long maxMs) {
        this.lock.lock();
        try {
            long remaining = TimeUnit.MILLISECONDS.toNanos(maxMs);
            while (!this.signalled && !this.stopped && remaining > 0) {
                remaining = this.wake.awaitNanos(remaining);
            }
            this.signalled = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            this.stopped = true;
        } finally {
            this.lock.unlock();
        }
    }

    private void failed(String reason, boolean authentication) {
        disconnect();
        String previous = this.status.lastError.getAndSet(reason);
        this.backoffMs = this.backoffMs == 0 ? 1_000 : Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
        if (!reason.equals(previous)) {
            LOG.warn("{}: {}{}; samples stay in the spool ({} waiting), retrying in {} ms", this.name,
                    authentication ? "authentication failed: " : "database unavailable: ", reason,
                    Math.max(0, this.spool.lastSequence() - this.committed), this.backoffMs);
        }
        this.lock.lock();
        try {
            long remaining = TimeUnit.MILLISECONDS.toNanos(this.backoffMs);
            while (!this.stopped && remaining > 0) {
                remaining = this.wake.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            this.stopped = true;
        } finally {
            this.lock.unlock();
        }
    }

    private void rollback() {
        try {
            if (this.connection != null) {
                this.connection.rollback();
            }
        } catch (SQLException e) {
            LOG.debug("{}: rollback failed: {}", this.name, e.getMessage());
        }
    }

    private void disconnect() {
        if (this.connection != null) {
            try {
                this.connection.close();
            } catch (SQLException e) {
                LOG.debug("{}: close failed: {}", this.name, e.getMessage());
            }
            this.connection = null;
        }
    }

    long committed() {
        return this.committed;
    }

    private static String describe(SQLException e) {
        return SqlErrors.describe(e);
    }
}
