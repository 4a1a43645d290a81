package io.opcscraper.timescale.internal.spool;

/**
 * How a spool keeps what it accepted ({@code spool.mode} and its bounds).
 *
 * @param mode where samples wait
 * @param windowMillis {@code ON_BACKLOG}: the longest a sample stays only in memory
 * @param memoryMaxBytes {@code ON_BACKLOG}: the most encoded bytes held in memory
 * @param forceIntervalMillis the group commit's least time between two forces
 *        ({@value #GROUP_COMMIT_INTERVAL_MS} for a writer; 0 forces at each append, for tests)
 */
public record SpoolPolicy(Mode mode, long windowMillis, long memoryMaxBytes, long forceIntervalMillis) {

    /** Where the spool keeps what it accepted. */
    public enum Mode {
        /** Every sample on disk before it is acknowledged. */
        ALWAYS,
        /** In memory while the database keeps up; on disk when it falls behind or is gone. */
        ON_BACKLOG
    }

    /** At most one group force per this many milliseconds: at most 16 per second. */
    public static final long GROUP_COMMIT_INTERVAL_MS = 62;

    /** Every sample on disk before it is acknowledged, forces paced by the group commit. */
    public static final SpoolPolicy ALWAYS = new SpoolPolicy(Mode.ALWAYS, 0, 0, GROUP_COMMIT_INTERVAL_MS);

    /** {@code ON_BACKLOG} with this window and memory bound, forces paced by the group commit. */
    public static SpoolPolicy onBacklog(long windowMillis, long memoryMaxBytes) {
        return new SpoolPolicy(Mode.ON_BACKLOG, windowMillis, memoryMaxBytes, GROUP_COMMIT_INTERVAL_MS);
    }
}
