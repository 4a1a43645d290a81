package io.opcscraper.config.retry;

/**
 * Retry delays after temporary failures: 1 s, 2 s, 4 s, ... doubling up to a cap, back to 1 s after a
 * success. The one backoff of the components (the OPC UA connection's reconnects, the writer's
 * database retries). Not thread-safe: one owner thread.
 */
public final class Backoff {

    private static final long FIRST_MS = 1_000;

    private final long maxMs;
    private long nextMs = FIRST_MS;
    private int failures;

    /** @param maxMs the cap (at least 1 s) */
    public Backoff(long maxMs) {
        this.maxMs = Math.max(FIRST_MS, maxMs);
    }

    /** The delay before the next attempt, after one more failure. */
    public long nextDelayMs() {
        long delay = Math.min(this.nextMs, this.maxMs);
        this.nextMs = Math.min(this.nextMs * 2, this.maxMs);
        this.failures++;
        return delay;
    }

    /** Failures since the last success. */
    public int failures() {
        return this.failures;
    }

    /** A success: the next failure waits 1 s again. */
    public void reset() {
        this.nextMs = FIRST_MS;
        this.failures = 0;
    }
}
