package io.opcscraper.timescale.internal.batch;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.timescale.internal.db.Jdbc;
import io.opcscraper.timescale.internal.db.WriteFailure;
import io.opcscraper.timescale.internal.ledger.LedgerStore;
import io.opcscraper.timescale.internal.schema.TableNames;
import io.opcscraper.timescale.internal.spool.LongRanges;
import io.opcscraper.timescale.internal.spool.SpooledSample;

/**
 * Writes one batch on one connection: a binary COPY of its samples and the record of its sequence
 * range ({@link LedgerStore#recordRange}), in one transaction. A batch the table refuses for its
 * data ({@link WriteFailure.Kind#DATA}) is halved until the refused samples are alone; those go to
 * the {@link Quarantine} with the reason, their sequence is recorded as done, and the rest is
 * written. Any other failure is rethrown: the batch stays in the spool and is written again later.
 * Thread-safe (one call per connection at a time).
 */
public final class BatchWriter {

    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

    private final String name;
    private final String copySql;
    private final LedgerStore ledger;
    private final Quarantine quarantine;
    private final AtomicLong written;
    private final ClientIds clientIds;

    /**
     * @param name the writer's instance name, for the log
     * @param table the (validated) table
     * @param ledger where each batch records its range
     * @param quarantine where refused samples go
     * @param written counts the samples committed
     * @param clientIds notes the clientids of the samples committed
     */
    public BatchWriter(String name, String table, LedgerStore ledger, Quarantine quarantine, AtomicLong written,
            ClientIds clientIds) {
        this.name = name;
        this.copySql = copyStatement(table);
        this.ledger = ledger;
        this.quarantine = quarantine;
        this.written = written;
        this.clientIds = clientIds;
    }

    /** {@code COPY "table" (columns) FROM STDIN (FORMAT binary)}. */
    public static String copyStatement(String table) {
        return "COPY " + TableNames.quote(TableNames.requireValidTable(table)) + " " + BinaryCopyEncoder.COLUMNS
                + " FROM STDIN (FORMAT binary)";
    }

    /**
     * Writes the batch (consecutive spool samples) and returns the ranges that committed: the whole
     * batch, or, after isolation, its parts. On a failure the parts that committed before it are in
     * {@code committed} (they stay committed).
     */
    public void write(Connection c, List<SpooledSample> batch, LongRanges committed) throws WriteFailure {
        try {
            commit(c, batch);
            committed.add(first(batch), last(batch));
        } catch (WriteFailure e) {
            Jdbc.rollbackQuietly(c);
            if (e.kind() != WriteFailure.Kind.DATA) {
                throw e;
            }
            isolate(c, batch, e, committed);
        }
    }

    private void commit(Connection c, List<SpooledSample> batch) throws WriteFailure {
        BinaryCopyEncoder.Encoded rows = BinaryCopyEncoder.encodeSpooled(batch);
        try {
            copy(c, rows);
            this.ledger.recordRange(c, first(batch), last(batch));
            c.commit();
        } catch (SQLException e) {
            throw WriteFailure.of(e);
        }
        this.written.addAndGet(batch.size());
        this.clientIds.note(rows.clientIds());
    }

    /**
     * One COPY of the encoded rows, handed to pgjdbc as they are (its {@code copyIn(sql, InputStream)}
     * would read them again through a buffer of its own); a COPY that did not end is cancelled, so
     * the connection is not left in the copy state.
     */
    private void copy(Connection c, BinaryCopyEncoder.Encoded rows) throws SQLException {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(this.copySql);
        try {
            copy.writeToCopy(rows.bytes(), 0, rows.length());
            copy.endCopy();
        } catch (SQLException | RuntimeException e) {
            // The COPY's own failure is what the caller classifies (WriteFailure.of); a cancel that
            // fails too (the connection is gone) is kept beside it, not in its place.
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException cancel) {
                    e.addSuppressed(cancel);
                }
            }
            throw e;
        }
    }

    /** Halves a refused batch until the refused samples are alone, and quarantines those. */
    private void isolate(Connection c, List<SpooledSample> batch, WriteFailure refusal, LongRanges committed)
            throws WriteFailure {
        if (batch.size() == 1) {
            String reason = refusal.describe();
            try {
                this.quarantine.add(List.of(batch.get(0).sample()), reason);
            } catch (IOException e) {
                throw WriteFailure.localStorage("quarantine " + this.quarantine.file() + " not writable", e);
            }
            try {
                this.ledger.recordRange(c, first(batch), last(batch));
                c.commit();
            } catch (SQLException e) {
                Jdbc.rollbackQuietly(c);
                throw WriteFailure.of(e);
            }
            committed.add(first(batch), last(batch));
            LOG.error("{}: the database refused sample {} ({}); it is in {} ({} quarantined in all)", this.name,
                    first(batch), reason, this.quarantine.file(), this.quarantine.count());
            return;
        }
        int half = batch.size() / 2;
        for (List<SpooledSample> part : List.of(batch.subList(0, half), batch.subList(half, batch.size()))) {
            write(c, part, committed);
        }
    }

    private static long first(List<SpooledSample> batch) {
        return batch.get(0).sequence();
    }

    private static long last(List<SpooledSample> batch) {
        return batch.get(batch.size() - 1).sequence();
    }
}
