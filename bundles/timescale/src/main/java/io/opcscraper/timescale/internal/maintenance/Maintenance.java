package io.opcscraper.timescale.internal.maintenance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.opcscraper.timescale.internal.schema.Edition;
import io.opcscraper.timescale.internal.schema.RowCapScope;
import io.opcscraper.timescale.internal.schema.TableNames;

/**
 * Retention by age and the row cap where TimescaleDB's job scheduler does not run them: on the
 * Apache edition and plain PostgreSQL always, on the community edition while the job that should
 * ({@code add_retention_policy}, the row-cap job) is unhealthy ({@link JobHealth}, checked once a
 * minute there). Once connected (or once a job turns unhealthy), then every
 * {@code row.cap.interval.s}. Retention first: it makes the row cap cheaper. Writer thread only.
 *
 * <p>Row cap scope {@code clientid}: the cap runs for each clientid this writer has written
 * ({@code CALL limit_<table>_rows(?, ?)}), and a clientid met between two runs is capped at once. On
 * the community edition each such clientid gets its own TimescaleDB job ({@link ClientRowCapJobs}).
 */
public final class Maintenance {

    /** What maintenance needs of the writer's configuration. */
    public record Settings(String table, long maxRows, int retentionDays, int rowCapIntervalS, RowCapScope scope) {

        /** Settings with the row cap over the whole table. */
        public Settings(String table, long maxRows, int retentionDays, int rowCapIntervalS) {
            this(table, maxRows, retentionDays, rowCapIntervalS, RowCapScope.TABLE);
        }
    }

    private final String name;
    private final Settings settings;
    private final JobHealth health;
    private final Supplier<? extends Collection<String>> clientIds;
    private final ClientRowCapJobs clientJobs;
    /** The clientids capped since the schedule last fell due (scope clientid). */
    private final Set<String> capped = new HashSet<>();
    private long nextNanos;
    private boolean scheduled;
    private boolean rowCapByWriter;
    private boolean retentionByWriter;

    private final LongSupplier nanoTime;

    /**
     * @param clientIds the clientids this writer has written (scope {@code clientid})
     */
    public Maintenance(String name, Settings settings, JobHealth health, Supplier<? extends Collection<String>> clientIds) {
        this(name, settings, health, clientIds, System::nanoTime);
    }

    Maintenance(String name, Settings settings, JobHealth health, Supplier<? extends Collection<String>> clientIds,
            LongSupplier nanoTime) {
        this.name = name;
        this.settings = settings;
        this.health = health;
        this.clientIds = clientIds;
        this.clientJobs = new ClientRowCapJobs(name, settings.table(),
                settings.scope() == RowCapScope.CLIENTID ? settings.maxRows() : 0, settings.rowCapIntervalS());
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

    /** {@code CALL limit_<table>_rows(?, ?)}: one clientid's cap. Parameters: 1 max_rows, 2 the clientid. */
    public static String clientRowCapCall(String table) {
        return "CALL " + TableNames.quote(TableNames.rowCapProcedure(table)) + "(?::bigint, ?::text)";
    }

    /** Runs what is due on {@code main} (left with auto-commit off, as it came). */
    public void runIfDue(Connection main, Edition edition) throws SQLException {
        main.setAutoCommit(true);
        try {
            if (edition.databaseSchedulesJobs()) {
                this.clientJobs.ensure(main, this.clientIds.get());
            }
            decide(main, edition);
            boolean retention = this.retentionByWriter && this.settings.retentionDays() > 0;
            boolean rowCap = this.rowCapByWriter && this.settings.maxRows() > 0;
            if (!retention && !rowCap) {
                return;
            }
            long now = this.nanoTime.getAsLong();
            boolean due = !this.scheduled || now - this.nextNanos >= 0;
            if (due) {
                this.scheduled = true;
                this.nextNanos = now + TimeUnit.SECONDS.toNanos(this.settings.rowCapIntervalS());
                this.capped.clear();
                if (retention) {
                    Retention.run(this.name, main, edition, this.settings.table(), this.settings.retentionDays());
                }
            }
            if (rowCap && this.settings.scope() == RowCapScope.CLIENTID) {
                capClients(main);
            } else if (rowCap && due) {
                try (PreparedStatement cap = main.prepareStatement(rowCapCall(this.settings.table()))) {
                    cap.setLong(1, this.settings.maxRows());
                    cap.execute();
                }
            }
        } finally {
            main.setAutoCommit(false);
        }
    }

    /** Caps each clientid written that was not capped since the schedule last fell due. */
    private void capClients(Connection main) throws SQLException {
        for (String clientId : this.clientIds.get()) {
            if (this.capped.contains(clientId)) {
                continue;
            }
            try (PreparedStatement cap = main.prepareStatement(clientRowCapCall(this.settings.table()))) {
                cap.setLong(1, this.settings.maxRows());
                cap.setString(2, clientId);
                cap.execute();
            }
            this.capped.add(clientId);
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
