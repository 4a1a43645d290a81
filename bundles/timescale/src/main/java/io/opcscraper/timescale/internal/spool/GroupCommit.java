package io.opcscraper.timescale.internal.spool;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Group commit: appends write their records without forcing them and wait here until one force
 * covers them. The first waiter leads: it waits until at least {@code interval} has passed since
 * the previous force (collecting the writes that arrive meanwhile), then forces once for all of
 * them. So the spool forces at most once per interval however many samples and appenders there
 * are (an SD card pays milliseconds and wear per force), and an append waits at most one interval
 * plus one force longer than it would alone; at a low rate nothing waits (the previous force is
 * older than the interval).
 *
 * <p>Each write has a ticket (a number that grows with every write and is never reused, unlike a
 * sequence number after a failed write). A failed force fails every ticket it was to cover: those
 * appends are not acknowledged (the forcer has cut the file back), later ones go on.
 */
final class GroupCommit {

    /** Forces everything written so far; what it covered, or the tickets it failed. */
    interface Forcer {
        /**
         * @return the highest ticket the force covered
         * @throws Failed when the force failed (the forcer cut back what it did not cover)
         */
        long force() throws Failed;
    }

    /** A force that failed, with the highest ticket it failed. */
    static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;
        final long failedUpTo;

        Failed(long failedUpTo, IOException cause) {
            super(cause.getMessage(), cause);
            this.failedUpTo = failedUpTo;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition done = this.lock.newCondition();
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private long durable;
    /**
     * Tickets whose force failed; forgotten when nobody has entered and not yet left
     * ({@link #enter}), since every later ticket is higher.
     */
    private final LongRanges failed = new LongRanges();
    private IOException failure;
    private int waiting;
    private boolean forcing;
    private long lastForceNanos;
    private long forces;

    GroupCommit(long intervalMillis, LongSupplier nanoTime) {
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.nanoTime = nanoTime;
        this.lastForceNanos = nanoTime.getAsLong() - this.intervalNanos;
    }

    /**
     * A write is about to get a ticket: called before the write is visible to a force (the spool
     * calls it holding its append lock), so the failure of a force that covers it is kept until
     * {@link #await} has seen it. Every call must be followed by one {@link #await}.
     */
    void enter() {
        this.lock.lock();
        try {
            this.waiting++;
        } finally {
            this.lock.unlock();
        }
    }

    /**
     * Returns once a force covered {@code ticket}; throws if the force meant to cover it failed. An
     * interrupt does not cut the wait short (the records are written: they are acknowledged once
     * forced, and the interrupt status is kept); it only ends a leader's wait for the interval.
     * Follows {@link #enter}.
     */
    void await(long ticket, Forcer forcer) throws IOException {
        this.lock.lock();
        try {
            while (true) {
                if (this.failed.contains(ticket)) {
                    throw new IOException(this.failure.getMessage(), this.failure);
                }
                if (this.durable >= ticket) {
                    return;
                }
                if (this.forcing) {
                    this.done.awaitUninterruptibly();
                } else {
                    lead(forcer);
                }
            }
        } finally {
            if (--this.waiting == 0) {
                this.failed.clear();
            }
            this.lock.unlock();
        }
    }

    /** Forces so far. */
    long forces() {
        this.lock.lock();
        try {
            return this.forces;
        } finally {
            this.lock.unlock();
        }
    }

    /** Holding the lock: waits out the interval, forces without the lock, publishes the outcome. */
    private void lead(Forcer forcer) {
        this.forcing = true;
        try {
            for (long wait = this.lastForceNanos + this.intervalNanos - this.nanoTime.getAsLong(); wait > 0;
                    wait = this.lastForceNanos + this.intervalNanos - this.nanoTime.getAsLong()) {
                try {
                    this.done.awaitNanos(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // kept for the caller; the force happens now
                    break;
                }
            }
            this.lock.unlock();
            long covered = -1;
            Failed refused = null;
            try {
                covered = forcer.force();
            } catch (Failed e) {
                refused = e;
            } finally {
                this.lock.lock();
            }
            this.forces++;
            this.lastForceNanos = this.nanoTime.getAsLong();
            if (refused != null) {
                this.failed.add(this.durable + 1, refused.failedUpTo);
                this.failure = (IOException) refused.getCause();
            } else {
                this.durable = Math.max(this.durable, covered);
            }
        } finally {
            this.forcing = false;
            this.done.signalAll();
        }
    }
}
