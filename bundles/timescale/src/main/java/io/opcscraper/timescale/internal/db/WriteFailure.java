package io.opcscraper.timescale.internal.db;

import java.io.IOException;
import java.sql.SQLException;

/**
 * A failure of the writer's work, of one {@link Kind}: the one place that tells a temporary failure
 * (keep the samples, retry with capped backoff) from a permanent one for a batch (quarantine, log,
 * count, go on).
 *
 * <p>The reasoning, by SQLSTATE class ({@link #classify}): a batch fails <em>permanently</em> only
 * when the data itself is refused: class 22 (data exception: a value out of range, bad encoding)
 * and class 23 (integrity constraint). Retrying such a batch would block every later sample
 * forever. Everything else is about the database, not the data, and passes: connection problems
 * (08), the server shutting down or starting (57P), too many connections or no disk (53), locks
 * and serialization (40, 55P03), authentication and permissions (28, 42501: an admin fixes the
 * configuration), a missing table (42P01: the writer provisions again when it reconnects),
 * internal errors (XX, 58) and failures without a SQLSTATE (an I/O error on the socket). Those
 * batches stay in the spool and are retried; the spool's bound limits what waits.
 *
 * <p>Failures that do not come from the database are not dressed up as SQLSTATEs: they have kinds
 * of their own ({@link Kind#ALREADY_COMMITTED}, {@link Kind#LOCAL_STORAGE}, {@link Kind#STOPPING}).
 */
public final class WriteFailure extends Exception {

    private static final long serialVersionUID = 1L;

    /** What a failure means for the samples, and so what the writer does about it. */
    public enum Kind {
        /** The database is unavailable or refused the work for a reason of its own: retry after a backoff. */
        DATABASE,
        /** The database refused the credentials (SQLSTATE class 28): retry after a backoff, said as such. */
        AUTHENTICATION,
        /** The database refused this batch's data (SQLSTATE class 22 or 23): isolate and quarantine it. */
        DATA,
        /**
         * Another session of this writer committed these sequences first (a killed gateway's session
         * that was still committing): reconnect and re-read the progress from the database.
         */
        ALREADY_COMMITTED,
        /** Local storage (the spool, the quarantine file) failed: retry after a backoff; nothing leaves. */
        LOCAL_STORAGE,
        /** The writer is stopping; the work is abandoned and done again at the next start. */
        STOPPING
    }

    private final Kind kind;
    private final String sqlState;

    private WriteFailure(Kind kind, String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.sqlState = sqlState;
    }

    /** A database failure, classified by its SQLSTATE; the message is the server's (never a password). */
    public static WriteFailure of(SQLException e) {
        String state = state(e);
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace('\n', ' ');
        return new WriteFailure(classify(state), message, state, e);
    }

    /** The database connection's stream failed outside of a statement (a COPY's input, a socket). */
    public static WriteFailure database(String message, Throwable cause) {
        return new WriteFailure(Kind.DATABASE, message, null, cause);
    }

    public static WriteFailure alreadyCommitted(String message) {
        return new WriteFailure(Kind.ALREADY_COMMITTED, message, null, null);
    }

    public static WriteFailure localStorage(String what, IOException e) {
        return new WriteFailure(Kind.LOCAL_STORAGE, what + ": " + e.getMessage(), null, e);
    }

    public static WriteFailure stopping() {
        return new WriteFailure(Kind.STOPPING, "the writer is stopping", null, null);
    }

    /** The kind of failure an SQLSTATE (possibly null) means: the reasoning is in the class comment. */
    public static Kind classify(String sqlState) {
        if (sqlState == null) {
            return Kind.DATABASE;
        }
        if (sqlState.startsWith("22") || sqlState.startsWith("23")) {
            return Kind.DATA;
        }
        if (sqlState.startsWith("28")) {
            return Kind.AUTHENTICATION;
        }
        return Kind.DATABASE;
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

    public Kind kind() {
        return this.kind;
    }

    /** Whether the samples stay where they are and the same work is tried again after a backoff. */
    public boolean isTemporary() {
        return this.kind != Kind.DATA;
    }

    /** One line for the log and the status: the SQLSTATE (when there is one) and the message. */
    public String describe() {
        return (this.sqlState == null ? "" : this.sqlState + " ") + getMessage();
    }
}
