package io.opcscraper.timescale.internal.ledger;

import static io.opcscraper.timescale.internal.schema.TableNames.PROGRESS_TABLE;
import static io.opcscraper.timescale.internal.schema.TableNames.RANGES_TABLE;
import static io.opcscraper.timescale.internal.schema.TableNames.quote;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import io.opcscraper.timescale.internal.db.Jdbc;
import io.opcscraper.timescale.internal.db.WriteFailure;
import io.opcscraper.timescale.internal.spool.LongRanges;

/**
 * A writer's progress in the tables {@code opcscraper_progress} (one marker per writer id) and
 * {@code opcscraper_progress_ranges} (batches committed beyond it), which the schema provisions.
 * Every value is bound. The writer's advisory lock (derived from its id) serializes every change a
 * writer's sessions make to them.
 */
public final class JdbcLedgerStore implements LedgerStore {

    /**
     * Moves a writer's progress marker forward (never back), creating it. Parameters: 1 writer_id,
     * 2 table_name (text), 3 last_sequence (bigint). Update count 1 when it moved (or was created),
     * 0 when it was already at or past it.
     */
    public static final String ADVANCE = "INSERT INTO " + quote(PROGRESS_TABLE)
            + " (writer_id, table_name, last_sequence, updated_at)\n"
            + "VALUES (?, ?, ?, now())\n"
            + "ON CONFLICT (writer_id) DO UPDATE SET last_sequence = excluded.last_sequence, updated_at = now()\n"
            + "WHERE " + quote(PROGRESS_TABLE) + ".last_sequence < excluded.last_sequence";

    /** A writer's marker. Parameter 1: writer_id. No row: this database never committed anything of it. */
    public static final String READ = "SELECT last_sequence, table_name, updated_at FROM " + quote(PROGRESS_TABLE)
            + " WHERE writer_id = ?";

    /** Parameters: 1 writer_id, 2 first_sequence, 3 last_sequence. */
    private static final String INSERT_RANGE = "INSERT INTO " + quote(RANGES_TABLE)
            + " (writer_id, first_sequence, last_sequence) VALUES (?, ?, ?)";

    /**
     * How many committed sequences of a writer (its marker or a recorded range) overlap a batch.
     * Parameters: 1 writer_id, 2 first_sequence, 3 writer_id, 4 last_sequence, 5 first_sequence.
     */
    private static final String COUNT_OVERLAP = "SELECT (SELECT count(*) FROM " + quote(PROGRESS_TABLE)
            + " WHERE writer_id = ? AND last_sequence >= ?)"
            + " + (SELECT count(*) FROM " + quote(RANGES_TABLE)
            + " WHERE writer_id = ? AND first_sequence <= ? AND last_sequence >= ?)";

    /** Parameter 1: writer_id. */
    private static final String READ_RANGES = "SELECT first_sequence, last_sequence FROM " + quote(RANGES_TABLE)
            + " WHERE writer_id = ? ORDER BY first_sequence";

    /** Parameters: 1 writer_id, 2 the marker. */
    private static final String FORGET_RANGES = "DELETE FROM " + quote(RANGES_TABLE)
            + " WHERE writer_id = ? AND last_sequence <= ?";

    private final String writerId;
    private final String table;
    private final long lockKey;

    public JdbcLedgerStore(String writerId, String table) {
        this.writerId = writerId;
        this.table = table;
        UUID id = UUID.nameUUIDFromBytes(("opcscraper-writer:" + writerId).getBytes(StandardCharsets.UTF_8));
        this.lockKey = id.getMostSignificantBits() ^ id.getLeastSignificantBits();
    }

    @Override
    public Recorded read(Connection main) throws SQLException {
        boolean present;
        long marker;
        LongRanges ranges = new LongRanges();
        try {
            try (PreparedStatement read = main.prepareStatement(READ)) {
                read.setString(1, this.writerId);
                try (ResultSet result = read.executeQuery()) {
                    present = result.next();
                    marker = present ? result.getLong(1) : 0L;
                }
            }
            try (PreparedStatement read = main.prepareStatement(READ_RANGES)) {
                read.setString(1, this.writerId);
                try (ResultSet result = read.executeQuery()) {
                    while (result.next()) {
                        ranges.add(result.getLong(1), result.getLong(2));
                    }
                }
            }
            main.commit();
        } catch (SQLException e) {
            Jdbc.rollbackQuietly(main);
            throw e;
        }
        return new Recorded(present, marker, ranges);
    }

    @Override
    public void advance(Connection main, long marker) throws SQLException, WriteFailure {
        try {
            Jdbc.advisoryXactLock(main, this.lockKey);
            try (PreparedStatement advance = main.prepareStatement(ADVANCE);
                    PreparedStatement forget = main.prepareStatement(FORGET_RANGES)) {
                advance.setString(1, this.writerId);
                advance.setString(2, this.table);
                advance.setLong(3, marker);
                if (advance.executeUpdate() != 1) {
                    Jdbc.rollbackQuietly(main);
                    throw WriteFailure.alreadyCommitted("the progress marker of this writer is already at or past "
                            + marker + " (another session committed it); re-reading it");
                }
                forget.setString(1, this.writerId);
                forget.setLong(2, marker);
                forget.executeUpdate();
            }
            main.commit();
        } catch (SQLException e) {
            Jdbc.rollbackQuietly(main);
            throw e;
        }
    }

    @Override
    public void recordRange(Connection batch, long first, long last) throws SQLException, WriteFailure {
        Jdbc.advisoryXactLock(batch, this.lockKey);
        try (PreparedStatement overlap = batch.prepareStatement(COUNT_OVERLAP)) {
            overlap.setString(1, this.writerId);
            overlap.setLong(2, first);
            overlap.setString(3, this.writerId);
            overlap.setLong(4, last);
            overlap.setLong(5, first);
            try (ResultSet result = overlap.executeQuery()) {
                result.next();
                if (result.getLong(1) > 0) {
                    throw WriteFailure.alreadyCommitted("sequences " + first + ".." + last
                            + " were already committed by another session of this writer; re-reading the marker");
                }
            }
        }
        try (PreparedStatement insert = batch.prepareStatement(INSERT_RANGE)) {
            insert.setString(1, this.writerId);
            insert.setLong(2, first);
            insert.setLong(3, last);
            insert.executeUpdate();
        }
    }
}
