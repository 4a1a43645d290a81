package io.opcscraper.bench;

import java.math.BigDecimal;

/**
 * One benchmark run: {@code tags} plant variables changing {@code rateHz} times a second, read by the
 * Poller in {@code mode} every {@link #intervalMs()}, measured for {@code seconds}; the writer's
 * {@code spool.mode} ({@code always}, {@code on-backlog}; null: not set, the writer's default).
 */
record RunSpec(int tags, double rateHz, String mode, int seconds, String spoolMode) {

    RunSpec(int tags, double rateHz, String mode, int seconds) {
        this(tags, rateHz, mode, seconds, null);
    }

    /** The Poller's interval.ms (poll: the read interval; subscribe: the publishing interval): one change period. */
    int intervalMs() {
        return (int) Math.max(10, Math.round(1000.0 / rateHz));
    }

    /** The values the plant offers per second: every tag changes rateHz times a second. */
    double offeredPerSecond() {
        return tags * rateHz;
    }

    /** 2 -> "2", 0.5 -> "0.5". */
    String rateText() {
        return BigDecimal.valueOf(rateHz).stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        return tags + " tags x " + rateText() + " Hz, " + mode + ", " + seconds + " s"
            + (spoolMode == null ? "" : ", spool " + spoolMode);
    }
}
