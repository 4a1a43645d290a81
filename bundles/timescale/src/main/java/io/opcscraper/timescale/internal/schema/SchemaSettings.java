package io.opcscraper.timescale.internal.schema;

/**
 * The settings the generated schema depends on.
 *
 * @param maxRows the row cap (the table keeps at most this many rows, the newest); 0: no cap
 * @param retentionDays rows older than this many days are dropped; 0: no retention by age
 * @param chunkIntervalS the hypertable's chunk time interval, in seconds
 * @param aggregates whether the three aggregates are provisioned
 * @param refreshIntervalS how often the continuous aggregates are refreshed (community edition)
 * @param rowCapIntervalS how often the row-cap job runs (community edition; elsewhere the writer
 *        schedules the row cap itself)
 * @param rowCapScope what max.rows bounds: the table, or each clientid
 */
public record SchemaSettings(long maxRows, int retentionDays, int chunkIntervalS, boolean aggregates,
        int refreshIntervalS, int rowCapIntervalS, RowCapScope rowCapScope) {

    /** The row-cap job runs hourly unless told otherwise. */
    public static final int DEFAULT_ROW_CAP_INTERVAL_S = 3600;

    public SchemaSettings {
        if (maxRows < 0) {
            throw new IllegalArgumentException("maxRows must be >= 0 (0: no row cap), not " + maxRows);
        }
        if (retentionDays < 0) {
            throw new IllegalArgumentException("retentionDays must be >= 0 (0: no retention), not " + retentionDays);
        }
        if (chunkIntervalS < 1) {
            throw new IllegalArgumentException("chunkIntervalS must be >= 1, not " + chunkIntervalS);
        }
        if (refreshIntervalS < 1) {
            throw new IllegalArgumentException("refreshIntervalS must be >= 1, not " + refreshIntervalS);
        }
        if (rowCapIntervalS < 1) {
            throw new IllegalArgumentException("rowCapIntervalS must be >= 1, not " + rowCapIntervalS);
        }
        java.util.Objects.requireNonNull(rowCapScope, "rowCapScope");
    }

    /** Settings with the row cap over the whole table. */
    public SchemaSettings(long maxRows, int retentionDays, int chunkIntervalS, boolean aggregates,
            int refreshIntervalS, int rowCapIntervalS) {
        this(maxRows, retentionDays, chunkIntervalS, aggregates, refreshIntervalS, rowCapIntervalS, RowCapScope.TABLE);
    }

    /** Settings with the row-cap job running hourly ({@value #DEFAULT_ROW_CAP_INTERVAL_S} s). */
    public SchemaSettings(long maxRows, int retentionDays, int chunkIntervalS, boolean aggregates,
            int refreshIntervalS) {
        this(maxRows, retentionDays, chunkIntervalS, aggregates, refreshIntervalS, DEFAULT_ROW_CAP_INTERVAL_S);
    }
}
