package io.opcscraper.opcua.internal.connection;

/**
 * Reconnect delays: 1 s, 2 s, 4 s, ... doubling up to a cap, back to 1 s after a success.
 */
final class Backoff {

    private static final long FIRST_MS = 1_000;

    private final long maxMs;
    private long nextMs = FIRST_MS;
    private int failures;

    Backoff(long maxMs) {
        this.maxMs = Math.max(FIRST_MS, maxMs);
    }

    /** The delay before the next attempt, after one more failure. */
    long nextDelayMs() {
        long delay = Math.min(this.nextMs, this.maxMs);
        this.nextMs = Math.min(this.nextMs * 2, this.maxMs);
        this.failures++;
        return delay;
    }

    int failures() {
        return this.failures;
    }

    void reset() {
        this.nextMs = FIRST_MS;
        this.failures = 0;
    }
}
