package io.opcscraper.timescale.internal.ingest;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.config.retry.Backoff;
import io.opcscraper.timescale.internal.batch.BatchWriter;
import io.opcscraper.timescale.internal.catalog.CatalogWriter;
import io.opcscraper.timescale.internal.db.ConnectionFactory;
import io.opcscraper.timescale.internal.db.Jdbc;
import io.opcscraper.timescale.internal.db.WriteFailure;
import io.opcscraper.timescale.internal.ledger.LedgerStore;
import io.opcscraper.timescale.internal.ledger.ProgressLedger;
import io.opcscraper.timescale.internal.maintenance.Maintenance;
import io.opcscraper.timescale.internal.schema.Edition;
import io.opcscraper.timescale.internal.schema.SchemaProvisioner;
import io.opcscraper.timescale.internal.schema.SchemaSettings;
import io.opcscraper.timescale.internal.spool.Spool;
import io.opcscraper.timescale.internal.spool.SpooledSample;
import io.opcscraper.timescale.internal.status.StatusReporter;

/**
 * Drains the spool into the database on the writer's thread: connects (provisions the schema, reads
 * where the database stands: {@link ProgressLedger}), runs maintenance and the catalog, hands
 * consecutive batches of at most {@code batch.size} samples to the {@link BatchDispatcher} (up to
 * {@code batches.in.flight} at once, each one binary COPY plus a row recording its sequence range,
 * in one transaction), then moves this writer's progress marker over the contiguous committed
 * prefix and releases the spool up to it. After a crash the spool still holds what it held; the
 * marker and the ranges say what committed, so a replay skips it: exactly once.
 *
 * <p>Before it sends sequences beyond the spool's sent watermark it moves that watermark on
 * ({@link Spool#reserve}); the marker it commits moves the spool's committed watermark
 * ({@link Spool#release}): the local record with which a database the writer meets later gets only
 * what no database committed.
 *
 * <p>Failures ({@link WriteFailure}): a temporary one closes every connection and retries after a
 * capped backoff (1 s doubling to 60 s); the spool keeps what arrives meanwhile; a reconnect reads
 * the marker and the ranges again, so the writer goes on exactly where the database says.
 */
final class IngestLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestLoop.class);
    private static final long MAX_BACKOFF_MS = 60_000;
    private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** What the loop needs to know of the writer's configuration. */
    record Settings(String table, SchemaSettings schema, int batchSize, int flushIntervalMs, int batchesInFlight) {
    }

    private final String name;
    private final Settings settings;
    private final ConnectionFactory connections;
    private final Spool spool;
    private final WriterStatus status;
    private final ProgressLedger ledger;
    private final BatchDispatcher dispatcher;
    private final BatchAssembler batches;
    private final CatalogWriter catalogs;
    private final Maintenance maintenance;
    private final DropAccounting drops;
    private final Backoff backoff = new Backoff(MAX_BACKOFF_MS);
    /**
     * Does not create the extension: a writer does not change what a database offers; where
     * TimescaleDB is installed but not created, the table is plain PostgreSQL until an admin runs
     * CREATE EXTENSION timescaledb. One instance, so the edition is logged once.
     */
    private final SchemaProvisioner provisioner = new SchemaProvisioner(false);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = this.lock.newCondition();
    /** The spool's last sequence on disk when it was opened: nothing above it can be in doubt. */
    private final long spoolLastAtOpen;
    /** How far beyond a batch the sent watermark is moved, so it is forced once per several batches. */
    private final long reserveAhead;
    private volatile boolean stopped;
    private boolean signalled;
    private Connection main;
    private Edition edition;
    /** A batch failed without the writer hearing whether it committed: the sent watermark must stay. */
    private boolean unanswered;
    private final StatusLog statusLog;
    private final StatusReporter statusRow;

    /** The parts of one writer's ingest, which {@link Ingest} puts together. */
    record Parts(ConnectionFactory connections, Spool spool, LedgerStore store, BatchWriter writer,
            CatalogWriter catalogs, Maintenance maintenance, DropAccounting drops, WriterStatus status,
            StatusLog statusLog, StatusReporter statusRow) {
    }

    IngestLoop(String name, Settings settings, Parts parts) {
        this.name = name;
        this.settings = settings;
        this.connections = parts.connections();
        this.spool = parts.spool();
        this.ledger = new ProgressLedger(parts.store());
        this.catalogs = parts.catalogs();
        this.maintenance = parts.maintenance();
        this.drops = parts.drops();
        this.status = parts.status();
        this.statusLog = parts.statusLog();
        this.statusRow = parts.statusRow();
        this.dispatcher = new BatchDispatcher(name, settings.batchesInFlight(), parts.writer(), this::signal);
        this.batches = new BatchAssembler(this.spool, this.ledger, settings.batchSize(), settings.flushIntervalMs());
        this.spoolLastAtOpen = this.spool.lastRecovered();
        this.reserveAhead = 2L * settings.batchSize() * settings.batchesInFlight();
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

    void stop() {
        this.stopped = true;
        signal();
    }

    /** Every sequence at or below it is committed (any thread). */
    long committed() {
        return this.ledger.marker();
    }

    /** Waits (bounded) until every sequence up to {@code sequence} is committed (any thread). */
    boolean awaitCommitted(long sequence, long timeoutMs) throws InterruptedException {
        return this.ledger.awaitMarker(sequence, timeoutMs);
    }

    /** Samples the spool dropped for its bound that were not written (any thread). */
    long dropped() {
        return this.drops.lost();
    }

    @Override
    public void run() {
        while (!this.stopped) {
            try {
                ensureConnected();
                this.maintenance.runIfDue(this.main, this.edition);
                this.catalogs.flush(this.main);
                this.statusLog.reportIfDue(waiting());
                this.statusRow.reportIfDue(this.main, this.edition);
                this.spool.flushAged();
                dispatch();
                waitForWork();
                collect();
                if (waiting() == 0) {
                    // on-backlog: caught up, new samples may stay in memory again.
                    this.spool.backlogCleared();
                }
                this.backoff.reset();
            } catch (WriteFailure e) {
                failed(e);
            } catch (SQLException e) {
                failed(WriteFailure.of(e));
            } catch (IOException e) {
                failed(WriteFailure.localStorage("spool " + this.spool.directory(), e));
            } catch (RuntimeException e) {
                LOG.error("{}: unexpected failure in the writer loop", this.name, e);
                failed(WriteFailure.database(e.toString(), e));
            }
        }
        finish();
        accountDrops();
        this.drops.flush();
        this.dispatcher.shutdown();
    }

    // ---- connecting

    private void ensureConnected() throws SQLException, IOException, WriteFailure {
        if (this.main != null) {
            return;
        }
        this.main = this.connections.open();
        this.edition = this.provisioner.provision(this.main, this.settings.table(), this.settings.schema());
        long known = Math.max(this.ledger.marker(), this.ledger.attempted());
        ProgressLedger.Start start = this.ledger.connect(this.main, this.spool.committedUpTo(),
                this.spool.sentUpTo(), this.spool.firstSequence(), this.spoolLastAtOpen);
        LedgerStore.Recorded recorded = start.database();
        // Dropped samples counted as lost that a batch committed after all (its reply was lost
        // with the connection, or a previous run of the gateway wrote them).
        this.drops.reconcile(known, recorded.marker(), recorded.ranges());
        this.batches.restartAt(start.marker());
        if (start.marker() > this.spool.lastSequence()) {
            // The database has seen sequences this spool has not (its directory was emptied or
            // replaced): new samples must not reuse numbers the marker already covers.
            this.spool.advanceSequence(start.marker());
        }
        TargetLog.log(this.name, start, this.spool, this.connections.target().jdbcUrl(), this.settings.table(),
                waiting());
        // What is at or below the marker is owed to no database: the spool lets it go now, not only
        // when the marker next moves (after a crash the marker may stand exactly where it was, with
        // the sequences the sent watermark reserved, never handed out, right above it: the marker
        // crosses them once the segments below are gone).
        this.spool.release(start.marker());
        if (start.sameTarget() && recorded.marker() > start.localCommitted()) {
            // The record lagged the database (a crash between a commit and the record): catch up now.
            this.spool.flushWatermark();
        }
        // What was in doubt is settled: this database said what it holds, or the doubt was told.
        this.spool.settleSent();
        this.unanswered = false;
        this.dispatcher.open(this.connections, this.settings.batchesInFlight());
        advanceMarker();
        LOG.info("{}: writing to {} table \"{}\" ({}, {} batches in flight); {} samples wait in the spool", this.name,
                this.connections.target().jdbcUrl(), this.settings.table(), this.edition,
                this.settings.batchesInFlight(), waiting());
        this.status.lastError.set(null);
        this.statusRow.connected();
    }

    // ---- batches

    /** Starts batches while there are free connections and samples to write. */
    private void dispatch() throws IOException {
        while (this.dispatcher.inFlight() < this.settings.batchesInFlight() && !this.stopped) {
            List<SpooledSample> batch = this.batches.next(this.dispatcher.inFlight());
            if (batch.isEmpty()) {
                return;
            }
            long first = batch.get(0).sequence();
            long last = batch.get(batch.size() - 1).sequence();
            this.spool.sending(last, this.reserveAhead);
            this.ledger.dispatched(first, last);
            this.dispatcher.submit(batch);
        }
    }

    /** Waits until a batch completes, samples arrive, or the flush interval passes. */
    private void waitForWork() {
        if (this.dispatcher.hasCompletions()) {
            return;
        }
        this.lock.lock();
        try {
            long remaining = TimeUnit.MILLISECONDS.toNanos(this.settings.flushIntervalMs());
            while (!this.signalled && !this.stopped && !this.dispatcher.hasCompletions() && remaining > 0) {
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
    private void collect() throws SQLException, IOException, WriteFailure {
        WriteFailure failure = null;
        for (BatchDispatcher.Completion done = this.dispatcher.poll(); done != null; done = this.dispatcher.poll()) {
            finished(done);
            if (done.failure() != null && failure == null) {
                failure = done.failure();
            }
        }
        advanceMarker();
        if (failure != null) {
            throw failure;
        }
    }

    /** A batch ended: its committed ranges join the others; it is no longer in flight. */
    private void finished(BatchDispatcher.Completion done) {
        if (this.dispatcher.current(done)) {
            this.ledger.ended(done.first(), done.last());
        }
        this.ledger.committed(done.committed());
        if (done.failure() != null && done.failure().kind() != WriteFailure.Kind.STOPPING) {
            this.unanswered = true;
        }
    }

    /** Takes the spool's drops and settles what can be settled; returns what the spool said. */
    private Spool.Drops accountDrops() {
        Spool.Drops taken = this.spool.takeDrops();
        this.drops.dropped(taken.sequences());
        this.drops.settle(this.ledger.marker(), this.ledger.committedBeyond(), this.ledger.inFlight());
        return taken;
    }

    /**
     * Moves the marker over the contiguous committed ranges and what the spool no longer holds (the
     * drops are settled first: those the marker passes and nothing committed are lost), commits it,
     * and releases the spool up to it.
     */
    private void advanceMarker() throws SQLException, IOException, WriteFailure {
        Spool.Drops taken = accountDrops();
        long moved = this.ledger.advance(this.main, taken.firstSequence());
        if (moved >= 0) {
            this.spool.release(moved);
        }
    }

    // ---- failing and stopping

    /**
     * A temporary failure: every connection is closed (batches in flight fail with them), the
     * finished ones are taken into account, and after the backoff the writer reconnects and
     * re-reads the marker and the ranges, so it goes on exactly where the database says.
     */
    private void failed(WriteFailure failure) {
        long waiting = waiting();
        closeAll();
        spillToDisk();
        String reason = failure.describe();
        String previous = this.status.fail(reason);
        long delayMs = this.backoff.nextDelayMs();
        if (!reason.equals(previous)) {
            LOG.warn("{}: {}{}; samples stay in the spool ({} waiting), retrying in {} ms", this.name,
                    prefix(failure.kind()), reason, waiting, delayMs);
        }
        this.lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
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

    /** on-backlog: the database is away: what waits in memory goes to disk, and so does what comes. */
    private void spillToDisk() {
        try {
            this.spool.spill();
        } catch (IOException e) {
            LOG.warn("{}: samples waiting in memory could not go to disk ({}); they stay in memory and are tried again",
                    this.name, e.getMessage());
        }
    }

    private static String prefix(WriteFailure.Kind kind) {
        switch (kind) {
            case AUTHENTICATION:
                return "authentication failed: ";
            case LOCAL_STORAGE:
                return "local storage failed: ";
            case ALREADY_COMMITTED:
                return "another session of this writer committed first: ";
            default:
                return "database unavailable: ";
        }
    }

    /**
     * At stop: the batches in flight end (bounded), the marker moves over them where it can, so the
     * database and the local record say exactly what committed; when every batch sent was answered
     * and everything answered is under the marker, nothing is in doubt any more.
     */
    private void finish() {
        if (this.main != null) {
            try {
                awaitInFlight();
                // A database that went silent must not hold the stop: the last marker is a nicety.
                this.main.setNetworkTimeout(Runnable::run, (int) TimeUnit.SECONDS.toMillis(10));
                advanceMarker();
                this.statusRow.reportStopped(this.main, this.edition);
            } catch (SQLException | IOException | WriteFailure e) {
                LOG.debug("{}: the marker could not move at stop: {}", this.name, e.getMessage());
                this.unanswered = true;
            }
        }
        closeAll();
        if (!this.unanswered && this.ledger.inFlight().isEmpty() && this.ledger.committedBeyond().isEmpty()) {
            try {
                this.spool.settleSent();
            } catch (IOException e) {
                LOG.warn("{}: the spool's record could not be updated at stop: {}", this.name, e.getMessage());
            }
        }
    }

    private void awaitInFlight() {
        long deadline = System.nanoTime() + CLOSE_GRACE_NANOS;
        while (this.dispatcher.inFlight() > 0 && System.nanoTime() < deadline) {
            try {
                BatchDispatcher.Completion done = this.dispatcher.poll(100, TimeUnit.MILLISECONDS);
                if (done != null) {
                    finished(done);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Closes every connection and waits (bounded) for the batches in flight to end. */
    private void closeAll() {
        this.dispatcher.closeConnections();
        awaitInFlight();
        for (BatchDispatcher.Completion done = this.dispatcher.poll(); done != null; done = this.dispatcher.poll()) {
            finished(done);
        }
        if (this.dispatcher.inFlight() > 0) {
            this.unanswered = true;
        }
        this.ledger.abandonInFlight();
        this.dispatcher.nextGeneration();
        Jdbc.closeQuietly(this.main);
        this.main = null;
    }

    /**
     * Samples in the spool that have not committed: those after the marker, less what the spool
     * dropped for its bound and the ranges that committed beyond the marker. Writer thread only.
     */
    long waiting() {
        return this.ledger.waiting(this.spool.firstSequence(), this.spool.lastSequence());
    }
}
