package io.opcscraper.timescale.internal.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import io.opcscraper.timescale.internal.db.WriteFailure;
import io.opcscraper.timescale.internal.spool.LongRanges;

/**
 * Which of the spool's sequences committed, and where the writer's progress marker can move: the
 * marker (every sequence at or below it is committed), the ranges that committed beyond it while an
 * earlier batch was still in flight, and the batches in flight. The database side is a
 * {@link LedgerStore} (a fake in unit tests), the local side the spool's watermarks. Main (writer) thread only, but
 * {@link #marker()}, which any thread may read.
 *
 * <h2>Where a database starts ({@link #connect})</h2>
 * The spool's local record says every sequence up to its <em>committed</em> watermark W was
 * committed to a database, and none above its <em>sent</em> watermark R was ever sent to one.
 * <ul>
 * <li>The database holds this writer's marker at W or beyond: it is the database the writer wrote
 * to last (or the one it commits to now); its marker and ranges are the truth, and they may be
 * ahead of the local record (a crash between a commit and the record): the record catches up.</li>
 * <li>Otherwise (no marker of this writer: a new database, another table's database, one restored
 * from an older backup; or a marker below W: a database the writer left for another): the database
 * receives only what was never committed anywhere, the sequences above W, and from then on the
 * live data. No sample a database acknowledged is written to another one. When the record was not
 * settled (R above W: a crash or an outage cut the writer off) the samples the spool held above W
 * may have been sent to the previous database without the writer hearing back: only that database
 * could tell whether they committed; they are written here (nothing is lost) and reported as
 * possibly also there ({@link Start#inDoubt}).</li>
 * </ul>
 */
public final class ProgressLedger {

    /**
     * What a connect found.
     *
     * @param database what the database holds of this writer
     * @param localCommitted the spool's committed watermark W
     * @param sameTarget whether the database holds this writer's marker at or beyond W
     * @param marker where the writer's marker now is: the database's (same target) or W, and at
     *        least just below the spool's first sequence (everything below it was released or
     *        dropped)
     * @param inDoubt sequences still in the spool that the previous database may hold (empty for the
     *        same target)
     */
    public record Start(LedgerStore.Recorded database, long localCommitted, boolean sameTarget, long marker,
            LongRanges inDoubt) {
    }

    private final LedgerStore store;
    private final LongRanges committedBeyond = new LongRanges();
    private final LongRanges inFlight = new LongRanges();
    private volatile long marker;
    /** Notified when the marker moves, for {@link #awaitMarker}. */
    private final Object moved = new Object();
    /** The marker as the database has it (the writer moves it there after a connect if it is behind). */
    private long databaseMarker;
    /** The highest marker this writer tried to commit (it may have committed though the reply was lost). */
    private long attempted;

    public ProgressLedger(LedgerStore store) {
        this.store = store;
    }

    /**
     * A connection to a database: reads what it holds of this writer; where the writer stands now.
     *
     * @param main the connection the store reads on
     * @param localCommitted the spool's committed watermark W
     * @param localSent the spool's sent watermark R (at least W)
     * @param spoolFirst the spool's first sequence
     * @param spoolLastAtOpen the spool's last sequence on disk when it was opened (what was only in
     *        memory before is gone; sequences above it were handed out by this process)
     */
    public Start connect(Connection main, long localCommitted, long localSent, long spoolFirst, long spoolLastAtOpen)
            throws SQLException {
        LedgerStore.Recorded database = this.store.read(main);
        boolean same = database.present() && database.marker() >= localCommitted;
        long start = same ? database.marker() : localCommitted;
        start = Math.max(start, spoolFirst - 1);
        LongRanges doubt = new LongRanges();
        if (!same && localSent > localCommitted) {
            // The record was not settled (a crash or an outage cut the writer off): whatever the
            // spool held above W may have been sent (every sample sent was on disk, or is lost).
            doubt.add(Math.max(localCommitted + 1, spoolFirst), spoolLastAtOpen);
            database.ranges().list().forEach(r -> doubt.remove(r[0], r[1]));
        }
        this.committedBeyond.clear();
        for (long[] range : database.ranges().list()) {
            if (range[1] > start) {
                this.committedBeyond.add(Math.max(range[0], start + 1), range[1]);
            }
        }
        this.inFlight.clear();
        setMarker(start);
        this.databaseMarker = database.marker();
        this.attempted = Math.max(start, database.marker());
        return new Start(database, localCommitted, same, start, doubt);
    }

    /** Every sequence at or below it is committed (any thread). */
    public long marker() {
        return this.marker;
    }

    private void setMarker(long value) {
        synchronized (this.moved) {
            this.marker = value;
            this.moved.notifyAll();
        }
    }

    /**
     * Waits until every sequence up to {@code sequence} is committed, at most {@code timeoutMs}
     * (any thread).
     *
     * @return whether it is
     */
    public boolean awaitMarker(long sequence, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (this.moved) {
            while (this.marker < sequence) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this.moved, left);
            }
        }
        return true;
    }

    /**
     * The highest marker known or tried: at or above {@link #marker()}; a marker commit whose reply
     * was lost may have reached the database.
     */
    public long attempted() {
        return this.attempted;
    }

    /** Whether a sequence is committed: at or below the marker, or in a range committed beyond it. */
    public boolean isCommitted(long sequence) {
        return sequence <= this.marker || this.committedBeyond.contains(sequence);
    }

    /** The ranges committed beyond the marker (read only). */
    public LongRanges committedBeyond() {
        return this.committedBeyond;
    }

    /** The batches in flight (read only). */
    public LongRanges inFlight() {
        return this.inFlight;
    }

    /** A batch first..last was handed to a connection. */
    public void dispatched(long first, long last) {
        this.inFlight.add(first, last);
    }

    /** A batch ended (committed or not): it is no longer in flight. */
    public void ended(long first, long last) {
        this.inFlight.remove(first, last);
    }

    /** Ranges that committed (a batch's, possibly one of an earlier connection). */
    public void committed(LongRanges ranges) {
        for (long[] range : ranges.list()) {
            if (range[1] > this.marker) {
                this.committedBeyond.add(Math.max(range[0], this.marker + 1), range[1]);
            }
        }
    }

    /** The connections were closed: nothing is in flight any more (what committed stays committed). */
    public void abandonInFlight() {
        this.inFlight.clear();
    }

    /**
     * Where the marker can move now: over everything below the spool's first sequence (released or
     * dropped: nothing there is owed to the database) but never over a batch in flight (its commit
     * would then be refused, while its samples, in memory, can still be written), then over the
     * contiguous committed ranges. Returns a value at or above {@link #marker()}.
     */
    public long nextMarker(long spoolFirst) {
        long skipTo = spoolFirst - 1;
        if (!this.inFlight.isEmpty()) {
            skipTo = Math.min(skipTo, this.inFlight.first() - 1);
        }
        long next = Math.max(this.marker, skipTo);
        return this.committedBeyond.isEmpty() ? next : Math.max(next, this.committedBeyond.endOfRunFrom(next + 1));
    }

    /**
     * Commits the marker where it can move now ({@link #nextMarker}) when the database's is behind.
     *
     * @return the new marker, or -1 when nothing was due
     * @throws WriteFailure of kind {@link WriteFailure.Kind#ALREADY_COMMITTED} when another session
     *         moved the database's marker (re-read it: reconnect)
     */
    public long advance(Connection main, long spoolFirst) throws SQLException, WriteFailure {
        long next = nextMarker(spoolFirst);
        if (next <= this.databaseMarker) {
            return -1;
        }
        this.attempted = Math.max(this.attempted, next);
        this.store.advance(main, next);
        setMarker(Math.max(this.marker, next));
        this.databaseMarker = next;
        this.committedBeyond.remove(Long.MIN_VALUE, this.marker);
        return next;
    }

    /**
     * Samples in the spool that have not committed: those after the marker (and after what the spool
     * released or dropped), less the ranges that committed beyond the marker.
     */
    public long waiting(long spoolFirst, long spoolLast) {
        long after = Math.max(this.marker, spoolFirst - 1);
        long waiting = Math.max(0, spoolLast - after);
        return Math.max(0, waiting - this.committedBeyond.countBetween(after + 1, spoolLast));
    }
}
