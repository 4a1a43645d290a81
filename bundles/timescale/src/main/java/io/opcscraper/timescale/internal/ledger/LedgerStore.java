package io.opcscraper.timescale.internal.ledger;

import java.sql.Connection;
import java.sql.SQLException;

import io.opcscraper.timescale.internal.db.WriteFailure;
import io.opcscraper.timescale.internal.spool.LongRanges;

/**
 * Where a database keeps this writer's progress: its marker and the ranges committed beyond it
 * ({@link JdbcLedgerStore}; a fake in the unit tests of {@link ProgressLedger}).
 */
public interface LedgerStore {

    /**
     * What the database holds of this writer.
     *
     * @param present whether it has a marker of this writer at all (a database this writer never
     *        wrote to has none)
     * @param marker the marker: every sequence at or below it is committed there (0 when absent)
     * @param ranges the ranges it committed beyond the marker
     */
    record Recorded(boolean present, long marker, LongRanges ranges) {
    }

    /** Reads the marker and the ranges, in a transaction of its own on {@code main}. */
    Recorded read(Connection main) throws SQLException;

    /**
     * Moves the marker to {@code marker} and forgets the ranges it covers, in a transaction of its
     * own on {@code main}, under this writer's advisory lock.
     *
     * @throws WriteFailure of kind {@link WriteFailure.Kind#ALREADY_COMMITTED} when the database's
     *         marker is already at or past it (another session of this writer moved it)
     */
    void advance(Connection main, long marker) throws SQLException, WriteFailure;

    /**
     * Records first..last as committed, in the caller's open transaction (the batch's own), under
     * this writer's advisory lock, after checking that nothing committed overlaps it (a killed
     * gateway's session that was still committing the same samples holds the lock until its
     * commit, and is then seen here).
     *
     * @throws WriteFailure of kind {@link WriteFailure.Kind#ALREADY_COMMITTED} on an overlap
     */
    void recordRange(Connection batch, long first, long last) throws SQLException, WriteFailure;
}
