package io.opcscraper.timescale.internal.ingest;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.opcscraper.timescale.internal.spool.LongRanges;

/**
 * Decides which of the samples the spool dropped for its bound were lost, counts them and logs
 * them (the writer's {@code samples.dropped}).
 *
 * <p>The spool deletes whole segments, oldest first, without knowing what the writer did with
 * them. A dropped sequence may still reach the database: its batch may be in flight (the batch
 * holds its samples in memory), or may have committed beyond the progress marker while an earlier
 * batch was slower. So a dropped sequence is <em>unsettled</em> until it is:
 * <ul>
 * <li><b>written</b>: at or below the marker, or in a range known committed;</li>
 * <li><b>waiting</b>: in a batch in flight, decided when that batch ends;</li>
 * <li><b>lost</b>: otherwise: it is in neither the spool nor memory, nothing can write it.</li>
 * </ul>
 * A batch whose connection broke may have committed without the writer hearing of it; its dropped
 * samples count as lost until the writer reconnects and reads the ranges the database recorded
 * ({@link #reconcile}): what it finds there is taken back, with an INFO line. Exact at every
 * reconnect, so rows = samples acknowledged - dropped.
 *
 * <p>Log: the first loss at once, then at most one ERROR line a minute for the losses since the
 * previous line, and the rest at {@link #flush}; the N of the ERROR lines, less the N of the INFO
 * lines that take some back, add up to the count. Main-thread only, but {@link #lost()}, which any thread may read.
 */
final class DropAccounting {

    /** Where the lines go (the writer's logger; a list in tests). */
    interface Log {
        void error(String message);

        void info(String message);

        /** Lines to a logger. */
        static Log to(org.slf4j.Logger logger) {
            return new Log() {
                @Override
                public void error(String message) {
                    logger.error(message);
                }

                @Override
                public void info(String message) {
                    logger.info(message);
                }
            };
        }
    }

    private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final String name;
    private final long maxBytes;
    private final Log log;
    private final LongSupplier nanoTime;
    private final LongRanges unsettled = new LongRanges();
    /** Counted as lost; kept to take back what a reconnect finds committed. Merged: stays small. */
    private final LongRanges lostRanges = new LongRanges();
    /** Lost since the last ERROR line. */
    private final LongRanges unlogged = new LongRanges();
    private volatile long lost;
    private long lastLineNanos;
    private boolean logged;

    DropAccounting(String name, long maxBytes, Log log, LongSupplier nanoTime) {
        this.name = name;
        this.maxBytes = maxBytes;
        this.log = log;
        this.nanoTime = nanoTime;
    }

    /** The samples lost so far (any thread). */
    long lost() {
        return this.lost;
    }

    /** Sequences the spool dropped ({@code Spool.takeDrops}). */
    void dropped(LongRanges sequences) {
        this.unsettled.addAll(sequences);
    }

    /**
     * Settles what can be settled now.
     *
     * @param marker the progress marker: everything at or below it is committed or already settled
     * @param committed ranges committed beyond the marker (first to last)
     * @param inFlight ranges of the batches in flight (first to last)
     */
    void settle(long marker, LongRanges committed, LongRanges inFlight) {
        if (this.unsettled.isEmpty()) {
            return;
        }
        this.unsettled.remove(Long.MIN_VALUE, marker);
        this.unsettled.removeAll(committed);
        LongRanges gone = this.unsettled.copy();
        gone.removeAll(inFlight);
        if (!gone.isEmpty()) {
            this.unsettled.removeAll(gone);
            this.lostRanges.addAll(gone);
            this.unlogged.addAll(gone);
            this.lost += gone.count();
        }
        logIfDue();
    }

    /**
     * At a connect: takes back from the lost samples those the database says committed: the ones
     * between the marker this writer knew and the database's, and those in its recorded ranges.
     */
    void reconcile(long knownMarker, long databaseMarker, LongRanges databaseRanges) {
        if (this.lostRanges.isEmpty()) {
            return;
        }
        LongRanges found = this.lostRanges.remove(knownMarker + 1, databaseMarker);
        found.addAll(this.lostRanges.removeAll(databaseRanges));
        if (found.isEmpty()) {
            return;
        }
        this.lost -= found.count();
        // Only what an ERROR line already counted is taken back in a line; the rest was not told yet.
        LongRanges told = found.copy();
        told.removeAll(this.unlogged);
        this.unlogged.removeAll(found);
        if (!told.isEmpty()) {
            this.log.info(this.name + ": " + told.count() + " samples counted as dropped had been written after all "
                    + "(seq " + told.first() + ".." + told.last() + ", found in the database); " + this.lost
                    + " dropped since start");
        }
    }

    /** Logs the losses not logged yet (at stop). */
    void flush() {
        if (!this.unlogged.isEmpty()) {
            logNow();
        }
    }

    private void logIfDue() {
        if (this.unlogged.isEmpty()) {
            return;
        }
        if (!this.logged || this.nanoTime.getAsLong() - this.lastLineNanos >= LOG_INTERVAL_NANOS) {
            logNow();
        }
    }

    private void logNow() {
        this.log.error(this.name + ": spool full: dropped " + this.unlogged.count() + " oldest samples (seq "
                + this.unlogged.first() + ".." + this.unlogged.last() + ") that were not written, to keep the spool "
                + "within spool.max.mb (" + this.maxBytes + " bytes); " + this.lost + " dropped since start"
                + (this.logged ? "" : " (at most one such line a minute)"));
        this.unlogged.clear();
        this.logged = true;
        this.lastLineNanos = this.nanoTime.getAsLong();
    }
}
