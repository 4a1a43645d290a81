package io.opcscraper.timescale.internal.maintenance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.opcscraper.timescale.internal.schema.Edition;
import io.opcscraper.timescale.internal.schema.TableNames;

/**
 * Retention by age and the row cap where TimescaleDB's job scheduler does not run them: on the
 * Apache edition and plain PostgreSQL always, on the community edition while the job that should
 * ({@code add_retention_policy}, the row-cap job) is unhealthy ({@link JobHealth}, checked once a
 * minute there). Once connected (or once a job turns unhealthy), then every
 * {@code row.cap.interval.s}. Retention first: it makes the row cap cheaper. Writer thread only.
 */
public final class Maintenance {

    /** What maintenance needs of the writer's configuration. */
    public record Settings(String table, long maxRows, int retentionDays, int rowCapIntervalS) {
    }

    private final String name;
    private final Settings settings;
    private final JobHealth health;
    private long nextNanos;
    private boolean scheduled;
    private boolean rowCapByWriter;
    private boolean retentionByWriter;

    private final LongSupplier nanoTime;

    public Maintenance(String name, Settings settings, JobHealth health) {
        this(name, settings, health, System::nanoTime);
    }

    Maintenance(String name, Settings settings, JobHealth health, LongSupplier nanoTime) {
        this.name = name;
        this.settings = settings;
        this.health = health;
        this.nanoTime = nanoTime;
    }

    /** A job of the database that is unhealthy, for the writer's status; empty when all are well. */
    public Optional<String> problem() {
        return this.health.problem();
    }

    /** {@code CALL limit_<table>_rows(?)}. Parameter 1: max_rows (bigint). */
    public static String rowCapCall(String table) {
        return "CALL " + TableNames.quote(TableNames.rowCapProcedure(table)) + "(?::bigint)";
    }

    /** Runs what is due on {@code main} (left with auto-commit off, as it came). */
    public void runIfDue(Connection main, Edition edition) throws SQLException {
        main.setAutoCommit(true);
        try {
            decide(main, edition);
            boolean retention = this.retentionByWriter && this.settings.retentionDays() > 0;
            boolean rowCap = this.rowCapByWriter && this.settings.maxRows() > 0;
            long now = this.nanoTime.getAsLong();
            if (!retention && !rowCap || this.scheduled && now - this.nextNanos < 0) {
                return;
            }
            this.scheduled = true;
            this.nextNanos = now + TimeUnit.SECONDS.toNanos(this.settings.rowCapIntervalS());
            if (retention) {
                Retention.run(this.name, main, edition, this.settings.table(), this.settings.retentionDays());
            }
            if (rowCap) {
                try (PreparedStatement cap = main.prepareStatement(rowCapCall(this.settings.table()))) {
                    cap.setLong(1, this.settings.maxRows());
                    cap.execute();
                }
            }
        } finally {
            main.setAutoCommit(false);
        }
    }

    /**
     * Who runs the row cap and retention now: the writer, unless the database's jobs do and are
     * healthy. Work the writer takes over runs at once, not at the next interval.
     */
    private void decide(Connection main, Edition edition) throws SQLException {
        boolean rowCap = true;
        boolean retention = true;
        if (edition.databaseSchedulesJobs()) {
            this.health.checkIfDue(main);
            rowCap = this.health.rowCapUnhealthy();
            retention = this.health.retentionUnhealthy();
        }
        if (rowCap && !this.rowCapByWriter || retention && !this.retentionByWriter) {
            this.scheduled = false;
        }
        this.rowCapByWriter = rowCap;
        this.retentionByWriter = retention;
    }
}
