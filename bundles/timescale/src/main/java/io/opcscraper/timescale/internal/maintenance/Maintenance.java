package io.opcscraper.timescale.internal.maintenance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import io.opcscraper.timescale.internal.schema.Edition;
import io.opcscraper.timescale.internal.schema.TableNames;

/**
 * Retention by age and the row cap where TimescaleDB's job scheduler does not run them (Apache
 * edition, plain PostgreSQL; on the community edition add_retention_policy and the row-cap job
 * do): once connected, then every {@code row.cap.interval.s}. Retention first: it makes the row cap
 * cheaper. Writer thread only.
 */
public final class Maintenance {

    /** What maintenance needs of the writer's configuration. */
    public record Settings(String table, long maxRows, int retentionDays, int rowCapIntervalS) {
    }

    private final String name;
    private final Settings settings;
    private long nextNanos;
    private boolean scheduled;

    public Maintenance(String name, Settings settings) {
        this.name = name;
        this.settings = settings;
    }

    /** {@code CALL limit_<table>_rows(?)}. Parameter 1: max_rows (bigint). */
    public static String rowCapCall(String table) {
        return "CALL " + TableNames.quote(TableNames.rowCapProcedure(table)) + "(?::bigint)";
    }

    /** Runs what is due on {@code main} (left with auto-commit off, as it came). */
    public void runIfDue(Connection main, Edition edition) throws SQLException {
        long now = System.nanoTime();
        if (this.scheduled && now - this.nextNanos < 0) {
            return;
        }
        if (edition.databaseSchedulesJobs() || (this.settings.maxRows() == 0 && this.settings.retentionDays() == 0)) {
            return;
        }
        this.scheduled = true;
        this.nextNanos = now + TimeUnit.SECONDS.toNanos(this.settings.rowCapIntervalS());
        main.setAutoCommit(true);
        try {
            if (this.settings.retentionDays() > 0) {
                Retention.run(this.name, main, edition, this.settings.table(), this.settings.retentionDays());
            }
            if (this.settings.maxRows() > 0) {
                try (PreparedStatement cap = main.prepareStatement(rowCapCall(this.settings.table()))) {
                    cap.setLong(1, this.settings.maxRows());
                    cap.execute();
                }
            }
        } finally {
            main.setAutoCommit(false);
        }
    }
}
