package io.opcscraper.timescale.tooling;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import io.opcscraper.api.Sample;
import io.opcscraper.timescale.internal.batch.BatchWriter;
import io.opcscraper.timescale.internal.batch.BinaryCopyEncoder;
import io.opcscraper.timescale.internal.schema.SchemaProvisioner;
import io.opcscraper.timescale.internal.schema.SchemaSettings;
import io.opcscraper.timescale.internal.schema.TableNames;

/**
 * A writer table as the writer makes and fills it: the name rule, the provisioning (the writer's
 * own, without creating the extension), the binary COPY statement and encoding of its batches,
 * and the names of the tables every writer shares.
 */
public final class WriterTable {

    /** The node catalog every writer table of a database shares. */
    public static final String NODES_TABLE = TableNames.NODES_TABLE;
    /** The writers' progress markers. */
    public static final String PROGRESS_TABLE = TableNames.PROGRESS_TABLE;
    /** The ranges committed beyond the markers. */
    public static final String RANGES_TABLE = TableNames.RANGES_TABLE;
    /** One row per writer: its gateway, figures and last error (the fleet's health). */
    public static final String STATUS_TABLE = TableNames.STATUS_TABLE;

    /**
     * What the provisioned schema depends on, as the Writer's properties of the same names say.
     *
     * @param maxRows {@code max.rows} (0: no row cap)
     * @param retentionDays {@code retention.days} (0: none)
     * @param chunkIntervalS {@code chunk.interval.s}
     * @param aggregates {@code aggregates.enabled}
     * @param refreshIntervalS {@code aggregates.refresh.interval.s}
     * @param rowCapIntervalS {@code row.cap.interval.s}
     */
    public record Settings(long maxRows, int retentionDays, int chunkIntervalS, boolean aggregates,
            int refreshIntervalS, int rowCapIntervalS) {
    }

    private final String name;

    private WriterTable(String name) {
        this.name = name;
    }

    /**
     * The table of that name.
     *
     * @throws IllegalArgumentException naming the table when the writer would refuse it
     */
    public static WriterTable named(String name) {
        return new WriterTable(TableNames.requireValidTable(name));
    }

    /** An SQL identifier, double-quoted. */
    public static String quote(String identifier) {
        return TableNames.quote(identifier);
    }

    /** Encodes samples as the writer's COPY sends them (PostgreSQL's binary COPY format). */
    public static byte[] encodeCopy(List<Sample> samples) {
        return BinaryCopyEncoder.encode(samples);
    }

    public String name() {
        return this.name;
    }

    /** The name, double-quoted. */
    public String quotedName() {
        return TableNames.quote(this.name);
    }

    /** The row-cap procedure's name ({@code limit_<table>_rows}), unquoted. */
    public String rowCapProcedure() {
        return TableNames.rowCapProcedure(this.name);
    }

    /** The writer's COPY statement for this table; its input is {@link #encodeCopy}'s. */
    public String copyStatement() {
        return BatchWriter.copyStatement(this.name);
    }

    /**
     * Provisions the table, its aggregates, procedures and the shared tables as the writer does at
     * each connect; idempotent.
     *
     * @return the edition it was provisioned for: {@code COMMUNITY}, {@code APACHE} or {@code POSTGRESQL}
     */
    public String provision(Connection c, Settings settings) throws SQLException {
        return new SchemaProvisioner(false).provision(c, this.name,
                new SchemaSettings(settings.maxRows(), settings.retentionDays(), settings.chunkIntervalS(),
                        settings.aggregates(), settings.refreshIntervalS(), settings.rowCapIntervalS()))
                .name();
    }
}
