package io.opcscraper.timescale.internal.copy;

import java.sql.SQLException;

/**
 * Tells a temporary database failure (retry the same batch later, with capped backoff) from a
 * permanent one for that batch (quarantine it, log, count, and go on).
 *
 * <p>The reasoning, by SQLSTATE class: a batch fails <em>permanently</em> only when the data
 * itself is refused — class 22 (data exception: a value out of range, bad encoding) and class 23
 * (integrity constraint). Retrying such a batch would block every later sample forever.
 * Everything else is about the database, not the data, and passes: connection problems (08),
 * the server shutting down or starting (57P), too many connections or no disk (53), locks and
 * serialization (40, 55P03), authentication and permissions (28, 42501: an admin fixes the
 * configuration), a missing table (42P01: the writer provisions again), internal errors (XX,
 * 58) and failures without a SQLSTATE (an I/O error on the socket). Those batches stay in the
 * spool and are retried; the spool's bound limits what waits.
 */
public final class SqlErrors {

    private SqlErrors() {
    }

    public static boolean isPermanentForTheBatch(SQLException e) {
        String state = state(e);
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    public static boolean isAuthentication(SQLException e) {
        String state = state(e);
        return state != null && state.startsWith("28");
    }

    public static boolean isUndefinedTable(SQLException e) {
        return "42P01".equals(state(e));
    }

    /** The SQLSTATE of the exception or of the first chained exception that has one. */
    public static String state(SQLException e) {
        for (SQLException current = e; current != null; current = current.getNextException()) {
            if (current.getSQLState() != null) {
                return current.getSQLState();
            }
        }
        return null;
    }

    /** One line for the log: SQLSTATE and the server's message (pgjdbc never puts the password in it). */
    public static String describe(SQLException e) {
        String state = state(e);
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace('\n', ' ');
        return (state == null ? "" : state + " ") + message;
    }
}
