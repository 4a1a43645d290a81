package io.opcscraper.opcua.internal.history;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * <b>The rule against storing a value twice.</b> A node's gap runs from {@code from}, the newest
 * timestamp stored for the node before its collection was lost, to {@code to}, the timestamp of
 * its first sample after it; both values are stored (the first by the writer, which keeps what it
 * stored, or by the poller before the loss; the second by live collection). A value of the
 * server's history fills the gap, and is stored, only when {@code from < t < to}: a value whose
 * (node, timestamp) was already stored (the last poll before the loss, the first one after it, a
 * value an earlier backfill stored) is never stored again, and nothing is stored between two
 * stored values of a node that was collected without a loss. Times are compared in microseconds,
 * truncated toward the past, as the writer stores them: two times the table cannot tell apart are
 * the same time here too.
 *
 * <p>Bounded: only the newest {@code history.backfill.max.s} seconds before {@code to} are filled
 * ({@link #window}); a gap longer than that keeps its older part empty, said once.
 */
final class GapRule {

    /** A {@code from} that the writer has not told yet. */
    static final long UNKNOWN = Long.MIN_VALUE;

    private GapRule() {
    }

    /** Whether a history value at {@code micros} fills {@code gap} (and so is stored). */
    static boolean fills(Gap gap, long micros) {
        return micros > gap.from() && micros < gap.to();
    }

    /** The part of {@code gap} that is filled: its newest {@code maxSeconds} seconds before {@code to}. */
    static Gap window(Gap gap, long maxSeconds) {
        long oldest = gap.to() - maxSeconds * 1_000_000L;
        return gap.from() >= oldest ? gap : gap.from(oldest);
    }

    /** Whether no value can fill the gap. */
    static boolean empty(Gap gap) {
        return gap.to() - gap.from() <= 1;
    }

    /** Microseconds since the epoch, truncated toward the past (as the writer stores a timestamp). */
    static long micros(Instant time) {
        return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000);
    }

    static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
