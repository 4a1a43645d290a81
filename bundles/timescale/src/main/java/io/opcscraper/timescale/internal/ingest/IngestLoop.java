package io.opcscraper.timescale.internal.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
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
 * Drains the spool into the database: consecutive batches of at most {@code batch.size}
 * samples, up to {@code batches.in.flight} of them at once, each on its own connection as one
 * binary COPY plus a row recording its sequence range, in one transaction. The main connection
 * then moves this writer's progress marker over the contiguous committed prefix and forgets
 * those ranges. After a crash the spool still holds what it held; the marker and the ranges say
 * what committed, so a replay skips it: exactly once. Each batch takes this writer's advisory
 * lock just before it records its range and checks that nothing committed overlaps it, so a
 * killed gateway's session that is still committing cannot make a sample appear twice.
 *
 * <p>A temporary failure (see {@link SqlErrors}) closes the connection and retries the same
 * batch after a capped backoff (1 s doubling to 60 s); the spool keeps what arrives meanwhile.
 * A batch the database refuses for its data is split in halves until the refused samples are
 * alone; those go to the quarantine file and the marker moves past them.
 */
public final class IngestLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestLoop.class);
    private static final long MAX_BACKOFF_MS = 60_000;
    /** SQLSTATE of "another session of this writer committed this first": temporary, re-read the marker. */
    private static final String ALREADY_COMMITTED = "40001";

    private final String name;
    private final String writerId;
    private final long writerLock;
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
    private final Map<String, List<CatalogNode>> catalogs = new ConcurrentHashMap<>();
    private final ExecutorService batches;
    private final BlockingQueue<Connection> idle = new LinkedBlockingQueue<>();
    private final List<Connection> workers = new ArrayList<>();
    private final LinkedBlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    /**
     * Committed ranges beyond the marker: first sequence to last sequence. Main thread only. Kept
     * while disconnected (they stay committed); replaced by the database's at each connect.
     */
    private final TreeMap<Long, Long> done = new TreeMap<>();
    /**
     * The batches in flight (of the current generation): first sequence to last sequence; their
     * first sequences differ, batches never overlap. Main thread only.
     */
    private final TreeMap<Long, Long> inFlightRanges = new TreeMap<>();
    private final DropAccounting drops;
    private volatile boolean stopped;
    private volatile long committed;
    private boolean signalled;
    private Connection main;
    private Edition edition;
    private long dispatchedUpTo;
    /** The highest marker this writer tried to commit (it may have committed though the reply was lost). */
    private long attemptedMarker;
    /**
     * Counts closeAll: a batch that outlived its connections' 30 s grace reports into a later
     * generation, where only its committed ranges still mean something.
     */
    private long generation;
    private long partialSinceNanos = -1;
    private long backoffMs;
    private long nextMaintenanceNanos;
    private boolean maintenanceScheduled;
    private long nextStatusNanos;
    private String lastStatus;

    /** The clear-text password, asked for at each connect so it never stays in a field. */
    public interface PasswordSource {
        char[] get();
    }

    /**
     * What one batch task did: the ranges it committed, or the failure that stopped it; first is the
     * batch's first sequence (its key among the ranges in flight), generation the connection
     * generation it was dispatched in.
     */
    private record Completion(long generation, long first, List<long[]> ranges, SQLException failure) {
    }

    IngestLoop(String name, String writerId, WriterOptions options, PasswordSource password, Spool spool,
            Quarantine quarantine, WriterStatus status) {
        this.name = name;
        this.writerId = writerId;
        UUID id = UUID.nameUUIDFromBytes(("opcscraper-writer:" + writerId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        this.writerLock = id.getMostSignificantBits() ^ id.getLeastSignificantBits();
        this.options = options;
        this.password = password;
        this.spool = spool;
        this.quarantine = quarantine;
        this.status = status;
        this.drops = new DropAccounting(name, spool.maxBytes(), new DropAccounting.Log() {
            @Override
            public void error(String message) {
                LOG.error(message);
            }

            @Override
            public void info(String message) {
                LOG.info(message);
            }
        }, System::nanoTime);
        this.batches = Executors.newFixedThreadPool(options.batchesInFlight(), r -> {
            Thread thread = new Thread(r, "timescale-batch-" + name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** New samples are in the spool, or a catalog waits. */
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
                dispatch();
                waitForWork();
                collect();
                this.backoffMs = 0;
            } catch (SQLException e) {
                failed(SqlErrors.describe(e), SqlErrors.isAuthentication(e));
            } catch (IOException e) {
                failed("spool: " + e.getMessage(), false);
            } catch (RuntimeException e) {
                LOG.error("{}: unexpected failure in the writer loop", this.name, e);
                failed(e.toString(), false);
            }
        }
        closeAll();
        accountDrops();
        this.drops.flush();
        this.batches.shutdownNow();
    }

    private void ensureConnected() throws SQLException, IOException {
        if (this.main != null) {
            return;
        }
        this.main = connect();
        this.edition = this.provisioner.provision(this.main, this.options.tableName(), SchemaSettings.of(this.options));
        this.main.setAutoCommit(false);
        // The spool released everything below its first sequence, and it releases only what
        // committed (or what its bound dropped): nothing there is owed to this database. Without
        // this, a database that has no marker of this writer (a new one, another one) would keep
        // the marker at 0 below the spool's first batch, never advance it, never release the spool.
        // advanceMarker (at the end) moves the marker there.
        long marker = readProgress(this.main);
        long spoolStart = this.spool.firstSequence() - 1;
        if (marker < spoolStart) {
            LOG.info("{}: the database's progress marker of this writer is {}; the spool starts after {}: "
                    + "writing from there", this.name, marker == 0 ? "absent" : marker, spoolStart);
        }
        TreeMap<Long, Long> recorded = new TreeMap<>();
        try (PreparedStatement ranges = this.main.prepareStatement(SchemaDdl.readRanges())) {
            ranges.setString(1, this.writerId);
            try (ResultSet result = ranges.executeQuery()) {
                while (result.next()) {
                    recorded.put(result.getLong(1), result.getLong(2));
                }
            }
        }
        this.main.commit();
        // Dropped samples counted as lost that a batch committed after all (its reply was lost
        // with the connection, or a previous run of the gateway wrote them).
        this.drops.reconcile(Math.max(this.committed, this.attemptedMarker), marker, recorded);
        this.committed = marker;
        this.attemptedMarker = marker;
        this.done.clear();
        this.done.putAll(recorded.tailMap(marker, false));
        this.dispatchedUpTo = this.committed;
        for (int i = 0; i < this.options.batchesInFlight(); i++) {
            Connection worker = connect();
            worker.setAutoCommit(false);
            this.workers.add(worker);
            this.idle.add(worker);
        }
        if (this.committed > this.spool.lastSequence()) {
            // The database has seen sequences this spool has not (its directory was emptied or
            // replaced): new samples must not reuse numbers the marker already covers.
            this.spool.advanceSequence(this.committed);
        }
        advanceMarker();
        LOG.info("{}: writing to {} table \"{}\" ({}, {} batches in flight); {} samples wait in the spool", this.name,
                this.options.jdbcUrl(), this.options.tableName(), this.edition, this.options.batchesInFlight(),
                waiting());
        this.status.lastError.set(null);
    }

    private Connection connect() throws SQLException {
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
        return opened;
    }

    private long readProgress(Connection c) throws SQLException {
        try (PreparedStatement read = c.prepareStatement(SchemaDdl.readProgress())) {
            read.setString(1, this.writerId);
            try (ResultSet result = read.executeQuery()) {
                return result.next() ? result.getLong(1) : 0L;
            }
        }
    }

    /** Starts batches while there are free connections and samples to write. */
    private void dispatch() throws IOException {
        while (this.inFlightRanges.size() < this.options.batchesInFlight() && !this.stopped) {
            List<SpooledSample> batch = new ArrayList<>();
            long cursor = nextBatch(batch);
            if (batch.isEmpty()) {
                this.dispatchedUpTo = cursor;
                return;
            }
            // A partial batch waits for more samples, at most flush.interval.ms, and only while
            // nothing else is being written and the spool has room: past half its bound, waiting
            // could make it drop the very samples that wait (a small spool.max.mb, a fast source).
            if (batch.size() < this.options.batchSize()
                    && this.spool.sizeBytes() <= this.spool.maxBytes() / 2) {
                long now = System.nanoTime();
                if (this.partialSinceNanos < 0) {
                    this.partialSinceNanos = now;
                }
                if (!this.inFlightRanges.isEmpty()
                        || now - this.partialSinceNanos < TimeUnit.MILLISECONDS.toNanos(this.options.flushIntervalMs())) {
                    return;
                }
            }
            this.partialSinceNanos = -1;
            this.dispatchedUpTo = cursor;
            this.inFlightRanges.put(first(batch), last(batch));
            long dispatchedIn = this.generation;
            this.batches.execute(() -> {
                this.completions.add(work(dispatchedIn, batch));
                signal();
            });
        }
    }

    /**
     * The next batch after what was dispatched, skipping what already committed; it never spans a
     * committed range, so its own range overlaps nothing. Returns the cursor after it.
     */
    private long nextBatch(List<SpooledSample> batch) throws IOException {
        // Everything at or below the marker is settled; the marker can pass what was never
        // dispatched (committed ranges read at connect, samples the spool dropped).
        long cursor = Math.max(this.dispatchedUpTo, this.committed);
        while (true) {
            List<SpooledSample> page = this.spool.read(cursor, this.options.batchSize() - batch.size());
            if (page.isEmpty()) {
                return cursor;
            }
            for (SpooledSample sample : page) {
                Map.Entry<Long, Long> range = this.done.floorEntry(sample.sequence());
                if (range != null && range.getValue() >= sample.sequence()) {
                    if (!batch.isEmpty()) {
                        return cursor;
                    }
                } else {
                    batch.add(sample);
                }
                cursor = sample.sequence();
            }
            if (batch.size() >= this.options.batchSize()) {
                return cursor;
            }
        }
    }

    /** One batch, on a worker thread and its own connection. */
    private Completion work(long dispatchedIn, List<SpooledSample> batch) {
        Connection connection;
        try {
            connection = this.idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Completion(dispatchedIn, first(batch), List.of(), new SQLException("interrupted", "57014"));
        }
        List<long[]> ranges = new ArrayList<>();
        try {
            writeOrIsolate(connection, batch, ranges);
            return new Completion(dispatchedIn, first(batch), ranges, null);
        } catch (SQLException e) {
            rollback(connection);
            return new Completion(dispatchedIn, first(batch), ranges, e);
        } catch (IOException e) {
            rollback(connection);
            return new Completion(dispatchedIn, first(batch), ranges,
                    new SQLException("quarantine not writable: " + e.getMessage(), "58030"));
        } finally {
            if (!isClosed(connection)) {
                this.idle.add(connection);
            }
        }
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private void writeOrIsolate(Connection c, List<SpooledSample> batch, List<long[]> ranges)
            throws SQLException, IOException {
        try {
            commitBatch(c, batch);
            ranges.add(new long[] { first(batch), last(batch) });
        } catch (SQLException e) {
            rollback(c);
            if (!SqlErrors.isPermanentForTheBatch(e)) {
                throw e;
            }
            isolate(c, batch, e, ranges);
        }
    }

    private void commitBatch(Connection c, List<SpooledSample> batch) throws SQLException {
        List<Sample> samples = new ArrayList<>(batch.size());
        batch.forEach(s -> samples.add(s.sample()));
        try {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY \"" + this.options.tableName() + "\" " + BinaryCopyEncoder.COLUMNS + " FROM STDIN (FORMAT binary)",
                    new ByteArrayInputStream(BinaryCopyEncoder.encode(samples)));
        } catch (IOException e) {
            throw new SQLException("COPY stream failed: " + e.getMessage(), "08006", e);
        }
        recordRange(c, first(batch), last(batch));
        c.commit();
        this.status.written.addAndGet(batch.size());
    }

    /**
     * Records a committed range in the current transaction, under this writer's advisory lock,
     * after checking that nothing committed overlaps it (a killed gateway's session that was
     * still committing the same samples holds the lock until its commit, then is seen here).
     */
    private void recordRange(Connection c, long first, long last) throws SQLException {
        lockWriter(c);
        try (PreparedStatement overlap = c.prepareStatement(SchemaDdl.countCommittedOverlap())) {
            overlap.setString(1, this.writerId);
            overlap.setLong(2, first);
            overlap.setString(3, this.writerId);
            overlap.setLong(4, last);
            overlap.setLong(5, first);
            try (ResultSet result = overlap.executeQuery()) {
                result.next();
                if (result.getLong(1) > 0) {
                    throw new SQLException("sequences " + first + ".." + last + " were already committed by another "
                            + "session of this writer; re-reading the marker", ALREADY_COMMITTED);
                }
            }
        }
        try (PreparedStatement insert = c.prepareStatement(SchemaDdl.insertRange())) {
            insert.setString(1, this.writerId);
            insert.setLong(2, first);
            insert.setLong(3, last);
            insert.executeUpdate();
        }
    }

    private void lockWriter(Connection c) throws SQLException {
        try (PreparedStatement lockStatement = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lockStatement.setLong(1, this.writerLock);
            lockStatement.execute();
        }
    }

    /** Halves a refused batch until the refused samples are alone, and quarantines those. */
    private void isolate(Connection c, List<SpooledSample> batch, SQLException refusal, List<long[]> ranges)
            throws SQLException, IOException {
        if (batch.size() == 1) {
            String reason = SqlErrors.describe(refusal);
            this.quarantine.add(List.of(batch.get(0).sample()), reason);
            recordRange(c, first(batch), last(batch));
            c.commit();
            ranges.add(new long[] { first(batch), last(batch) });
            LOG.error("{}: the database refused sample {} ({}); it is in {} ({} quarantined in all)", this.name,
                    first(batch), reason, this.quarantine.file(), this.quarantine.count());
            return;
        }
        int half = batch.size() / 2;
        for (List<SpooledSample> part : List.of(batch.subList(0, half), batch.subList(half, batch.size()))) {
            writeOrIsolate(c, part, ranges);
        }
    }

    /** Waits until a batch completes, samples arrive, or the flush interval passes. */
    private void waitForWork() {
        if (!this.completions.isEmpty()) {
            return;
        }
        this.lock.lock();
        try {
            long remaining = TimeUnit.MILLISECONDS.toNanos(this.options.flushIntervalMs());
            while (!this.signalled && !this.stopped && this.completions.isEmpty() && remaining > 0) {
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

    /** Takes finished batches into account; rethrows the first failure after recording the successes. */
    private void collect() throws SQLException, IOException {
        SQLException failure = null;
        for (Completion completion = this.completions.poll(); completion != null; completion = this.completions.poll()) {
            finished(completion);
            if (completion.failure() != null && failure == null) {
                failure = completion.failure();
            }
        }
        advanceMarker();
        if (failure != null) {
            throw failure;
        }
    }

    /** A batch ended: its committed ranges join the others; it is no longer in flight. */
    private void finished(Completion completion) {
        if (completion.generation() == this.generation) {
            this.inFlightRanges.remove(completion.first());
        }
        for (long[] range : completion.ranges()) {
            if (range[1] > this.committed) {
                this.done.put(range[0], range[1]);
            }
        }
    }

    /** Takes the spool's drops and settles what can be settled; returns what the spool said. */
    private Spool.Drops accountDrops() {
        Spool.Drops taken = this.spool.takeDrops();
        this.drops.dropped(taken.sequences());
        this.drops.settle(this.committed, this.done, this.inFlightRanges);
        return taken;
    }

    /** Moves the marker over the contiguous committed ranges and forgets them. */
    private void advanceMarker() throws SQLException, IOException {
        long before = this.committed;
        // Below the spool's first sequence nothing is owed to the database: it was released (it
        // committed), dropped for the bound, or never used. The marker moves over it, or a drop
        // would leave a gap that no committed range ever fills, the marker would stop and the
        // spool would stay full; but not over a batch in flight, whose commit would then be
        // refused (its samples are in memory: they can still be written). The drops are settled
        // first (DropAccounting): those the marker passes and nothing committed are lost.
        Spool.Drops taken = accountDrops();
        long skipTo = taken.firstSequence() - 1;
        if (!this.inFlightRanges.isEmpty()) {
            skipTo = Math.min(skipTo, this.inFlightRanges.firstKey() - 1);
        }
        long marker = Math.max(before, skipTo);
        for (Map.Entry<Long, Long> range = this.done.firstEntry(); range != null
                && range.getKey() <= marker + 1; range = this.done.firstEntry()) {
            marker = Math.max(marker, range.getValue());
            this.done.pollFirstEntry();
        }
        if (marker == before) {
            return;
        }
        this.attemptedMarker = Math.max(this.attemptedMarker, marker);
        lockWriter(this.main);
        try (PreparedStatement advance = this.main.prepareStatement(SchemaDdl.advanceProgress());
                PreparedStatement forget = this.main.prepareStatement(SchemaDdl.deleteRangesUpTo())) {
            advance.setString(1, this.writerId);
            advance.setString(2, this.options.tableName());
            advance.setLong(3, marker);
            if (advance.executeUpdate() != 1) {
                throw new SQLException("the progress marker of this writer is already at or past " + marker
                        + " (another session committed it); re-reading it", ALREADY_COMMITTED);
            }
            forget.setString(1, this.writerId);
            forget.setLong(2, marker);
            forget.executeUpdate();
            this.main.commit();
        } catch (SQLException e) {
            rollback(this.main);
            throw e;
        }
        this.committed = marker;
        this.spool.release(marker);
    }

    /**
     * Retention by age and the row cap where TimescaleDB's job scheduler does not run them (Apache
     * edition, plain PostgreSQL; on the community edition add_retention_policy and the row-cap job
     * do): once connected, then every {@code row.cap.interval.s}. Retention first: it makes the
     * row cap cheaper.
     */
    private void maintain() throws SQLException {
        long now = System.nanoTime();
        if (this.maintenanceScheduled && now - this.nextMaintenanceNanos < 0) {
            return;
        }
        if (this.edition.databaseSchedulesJobs()
                || (this.options.maxRows() == 0 && this.options.retentionDays() == 0)) {
            return;
        }
        this.maintenanceScheduled = true;
        this.nextMaintenanceNanos = now + TimeUnit.SECONDS.toNanos(this.options.rowCapIntervalS());
        this.main.setAutoCommit(true);
        try {
            if (this.options.retentionDays() > 0) {
                retention();
            }
            if (this.options.maxRows() > 0) {
                try (PreparedStatement cap = this.main.prepareStatement(SchemaDdl.rowCapCall(this.options.tableName()))) {
                    cap.setLong(1, this.options.maxRows());
                    cap.execute();
                }
            }
        } finally {
            this.main.setAutoCommit(false);
        }
    }

    /**
     * Removes the rows older than {@code retention.days}: whole chunks with drop_chunks on the
     * Apache edition (the granularity of add_retention_policy), a DELETE on plain PostgreSQL. The
     * cutoff is bound, never formatted into the SQL. One INFO line when something went.
     */
    private void retention() throws SQLException {
        int days = this.options.retentionDays();
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minusDays(days);
        String age = days + (days == 1 ? " day" : " days");
        for (String sql : SchemaDdl.retentionStatements(this.edition, this.options.tableName())) {
            try (PreparedStatement remove = this.main.prepareStatement(sql)) {
                remove.setObject(1, cutoff);
                String removed;
                if (remove.execute()) {
                    // drop_chunks: one row per chunk dropped.
                    List<String> chunks = new ArrayList<>();
                    try (ResultSet result = remove.getResultSet()) {
                        while (result.next()) {
                            chunks.add(result.getString(1));
                        }
                    }
                    removed = chunks.isEmpty() ? null
                            : "dropped " + chunks.size() + (chunks.size() == 1 ? " chunk" : " chunks") + " ("
                                    + String.join(", ", chunks.subList(0, Math.min(3, chunks.size())))
                                    + (chunks.size() > 3 ? ", ..." : "") + ")";
                } else {
                    long rows = remove.getLargeUpdateCount();
                    removed = rows <= 0 ? null : "deleted " + rows + (rows == 1 ? " row" : " rows");
                }
                Object shown = cutoff.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                if (removed != null) {
                    LOG.info("{}: retention ({}): {} of table \"{}\" older than {}", this.name, age, removed,
                            this.options.tableName(), shown);
                } else {
                    LOG.debug("{}: retention ({}): nothing in table \"{}\" older than {}", this.name, age,
                            this.options.tableName(), shown);
                }
            }
        }
    }

    /** Upserts the pending catalogs into the nodes table, one transaction per client. */
    private void writeCatalogs() throws SQLException {
        for (String clientId : List.copyOf(this.catalogs.keySet())) {
            List<CatalogNode> nodes = this.catalogs.get(clientId);
            java.sql.Timestamp seen = java.sql.Timestamp.from(java.time.Instant.now());
            try (PreparedStatement upsert = this.main.prepareStatement(SchemaDdl.upsertNode())) {
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
                this.main.commit();
            } catch (SQLException e) {
                rollback(this.main);
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
                + waiting() + ", dropped " + this.drops.lost()
                + ", quarantined " + this.quarantine.count();
        if (!line.equals(this.lastStatus)) {
            LOG.info("{}: {}", this.name, line);
            this.lastStatus = line;
        }
    }

    /**
     * A temporary failure: every connection is closed (batches in flight fail with them), the
     * finished ones are taken into account, and after the backoff the writer reconnects and
     * re-reads the marker and the ranges, so it goes on exactly where the database says.
     */
    private void failed(String reason, boolean authentication) {
        long waiting = waiting();
        closeAll();
        String previous = this.status.lastError.getAndSet(reason);
        this.backoffMs = this.backoffMs == 0 ? 1_000 : Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
        if (!reason.equals(previous)) {
            LOG.warn("{}: {}{}; samples stay in the spool ({} waiting), retrying in {} ms", this.name,
                    authentication ? "authentication failed: " : "database unavailable: ", reason,
                    waiting, this.backoffMs);
        }
        this.lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(this.backoffMs);
            while (!this.stopped) {
                // What the spool drops meanwhile is counted (and logged) now, not at the next connect.
                accountDrops();
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                this.wake.awaitNanos(Math.min(remaining, TimeUnit.SECONDS.toNanos(1)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            this.stopped = true;
        } finally {
            this.lock.unlock();
        }
    }

    /** Closes every connection and waits (bounded) for the batches in flight to end. */
    private void closeAll() {
        for (Connection worker : this.workers) {
            close(worker);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!this.inFlightRanges.isEmpty() && System.nanoTime() < deadline) {
            try {
                Completion completion = this.completions.poll(100, TimeUnit.MILLISECONDS);
                if (completion != null) {
                    finished(completion);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Completion completion = this.completions.poll(); completion != null; completion = this.completions.poll()) {
            finished(completion);
        }
        this.inFlightRanges.clear();
        this.generation++;
        this.workers.clear();
        this.idle.clear();
        close(this.main);
        this.main = null;
    }

    private void rollback(Connection c) {
        try {
            if (c != null && !c.isClosed()) {
                c.rollback();
            }
        } catch (SQLException e) {
            LOG.debug("{}: rollback failed: {}", this.name, e.getMessage());
        }
    }

    private void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("{}: close failed: {}", this.name, e.getMessage());
            }
        }
    }

    /**
     * Samples in the spool that have not committed: those after the marker, less what the spool
     * dropped for its bound and the ranges that committed beyond the marker. Main thread only.
     */
    private long waiting() {
        long last = this.spool.lastSequence();
        long after = Math.max(this.committed, this.spool.firstSequence() - 1);
        long waiting = Math.max(0, last - after);
        for (Map.Entry<Long, Long> range : this.done.entrySet()) {
            long from = Math.max(range.getKey(), after + 1);
            long to = Math.min(range.getValue(), last);
            if (to >= from) {
                waiting -= to - from + 1;
            }
        }
        return Math.max(0, waiting);
    }

    private static long first(List<SpooledSample> batch) {
        return batch.get(0).sequence();
    }

    private static long last(List<SpooledSample> batch) {
        return batch.get(batch.size() - 1).sequence();
    }

    long committed() {
        return this.committed;
    }

    /** Samples the spool dropped for its bound that were not written (any thread). */
    long dropped() {
        return this.drops.lost();
    }
}
