package io.opcscraper.timescale.internal.status;

import static io.opcscraper.timescale.internal.schema.TableNames.STATUS_TABLE;
import static io.opcscraper.timescale.internal.schema.TableNames.quote;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.timescale.internal.db.Jdbc;
import io.opcscraper.timescale.internal.schema.Edition;

/**
 * Upserts the writer's row of {@code opcscraper_status} (one row per writer id) on the writer's main
 * connection: right after each connect, then every {@code status.interval.s}, and once more at an
 * orderly stop ({@code state = 'stopped'}). {@code last_seen} is the database's {@code now()}, so a
 * dashboard judges every gateway on one clock; a gateway killed or cut off keeps its last row, which
 * grows old.
 *
 * <p>A failure here is a failure of the status, not of the samples: it is rolled back, logged once
 * per new reason (WARN), retried at the next interval, and never thrown into the writer's loop. The
 * upsert runs with a 5 s statement and lock timeout, so it never holds the loop up for long. Every
 * value is bound; the row holds no secret (no URL, no user, and the errors are the writer's own
 * texts, which never carry a password). Writer thread only.
 */
public final class StatusReporter {

    private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);

    /** The row's columns, in the order of {@link #UPSERT}'s parameters (database_version and last_seen excepted). */
    static final List<String> COLUMNS = List.of("writer_id", "gateway", "writer", "clientids", "table_name", "edition",
            "writer_version", "kura_version", "database_version", "state", "samples_accepted", "samples_written",
            "samples_spooled", "samples_dropped", "samples_quarantined", "samples_backfilled", "last_error",
            "last_error_at", "started_at", "report_interval_s", "last_seen");

    /**
     * The upsert. Parameters: 1 writer_id, 2 gateway, 3 writer, 4 clientids (text[]), 5 table_name,
     * 6 edition, 7 writer_version, 8 kura_version, 9 state, 10-14 samples accepted, written,
     * spooled, dropped, quarantined, 15 samples_backfilled (null: not reported), 16 last_error,
     * 17 last_error_at, 18 started_at, 19 report_interval_s. database_version is the server's own
     * ({@code server_version} and the timescaledb extension's version), last_seen its {@code now()}.
     */
    public static final String UPSERT = "INSERT INTO " + quote(STATUS_TABLE) + " AS s (" + String.join(", ", COLUMNS)
            + ")\nVALUES (?, ?, ?, ?::text[], ?, ?, ?, ?,\n"
            + "    'PostgreSQL ' || current_setting('server_version') || coalesce(', TimescaleDB '"
            + " || (SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'timescaledb'), ''),\n"
            + "    ?, ?, ?, ?, ?, ?, ?::bigint, ?, ?::timestamptz, ?::timestamptz, ?, now())\n"
            + "ON CONFLICT (writer_id) DO UPDATE SET "
            + String.join(", ", COLUMNS.subList(1, COLUMNS.size()).stream().map(c -> c + " = excluded." + c).toList());

    /** States of the row. */
    static final String WRITING = "writing";
    static final String WARNING = "warning";
    static final String STOPPED = "stopped";

    private final String name;
    private final StatusIdentity identity;
    private final Supplier<StatusFigures> figures;
    private final LongSupplier nanoTime;
    private long nextNanos;
    private boolean due = true;
    private String lastFailure;

    public StatusReporter(String name, StatusIdentity identity, Supplier<StatusFigures> figures) {
        this(name, identity, figures, System::nanoTime);
    }

    StatusReporter(String name, StatusIdentity identity, Supplier<StatusFigures> figures, LongSupplier nanoTime) {
        this.name = name;
        this.identity = Objects.requireNonNull(identity, "identity");
        this.figures = figures;
        this.nanoTime = nanoTime;
    }

    /** The writer (re)connected: report at the next call. */
    public void connected() {
        this.due = true;
    }

    /** Reports if the interval has passed or the writer just connected; never throws. */
    public void reportIfDue(Connection main, Edition edition) {
        long now = this.nanoTime.getAsLong();
        if (!this.due && now - this.nextNanos < 0) {
            return;
        }
        this.due = false;
        this.nextNanos = now + TimeUnit.SECONDS.toNanos(this.identity.intervalS());
        report(main, edition, null);
    }

    /** At an orderly stop: the final figures with state {@code stopped}; never throws. */
    public void reportStopped(Connection main, Edition edition) {
        report(main, edition, STOPPED);
    }

    private void report(Connection main, Edition edition, String state) {
        StatusFigures f = this.figures.get();
        try {
            boolean autoCommit = main.getAutoCommit();
            main.setAutoCommit(false);
            try {
                try (Statement limits = main.createStatement()) {
                    limits.execute("SET LOCAL statement_timeout = '5s'");
                    limits.execute("SET LOCAL lock_timeout = '5s'");
                }
                try (PreparedStatement upsert = main.prepareStatement(UPSERT)) {
                    bind(upsert, main, edition, state != null ? state : f.problem() == null ? WRITING : WARNING, f);
                    upsert.executeUpdate();
                }
                main.commit();
            } finally {
                main.setAutoCommit(autoCommit);
            }
            if (this.lastFailure != null) {
                LOG.info("{}: its row in {} is written again", this.name, STATUS_TABLE);
                this.lastFailure = null;
            }
        } catch (SQLException e) {
            Jdbc.rollbackQuietly(main);
            String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            String reason = e.getSQLState() + " " + message;
            if (!reason.equals(this.lastFailure)) {
                LOG.warn("{}: its row in {} could not be written ({}); the samples are not affected; trying again in"
                        + " {} s", this.name, STATUS_TABLE, reason, this.identity.intervalS());
                this.lastFailure = reason;
            }
        }
    }

    private void bind(PreparedStatement s, Connection c, Edition edition, String state, StatusFigures f)
            throws SQLException {
        StatusIdentity id = this.identity;
        s.setString(1, id.writerId());
        s.setString(2, id.gateway());
        s.setString(3, id.writer());
        s.setArray(4, c.createArrayOf("text", f.clientIds().toArray()));
        s.setString(5, id.table());
        s.setString(6, edition.name());
        s.setString(7, id.writerVersion());
        s.setString(8, id.kuraVersion());
        s.setString(9, state);
        s.setLong(10, f.accepted());
        s.setLong(11, f.written());
        s.setLong(12, f.spooled());
        s.setLong(13, f.dropped());
        s.setLong(14, f.quarantined());
        s.setNull(15, Types.BIGINT);
        s.setString(16, f.lastError());
        s.setTimestamp(17, f.lastErrorAt() == null ? null : Timestamp.from(f.lastErrorAt()));
        s.setTimestamp(18, Timestamp.from(id.startedAt()));
        s.setInt(19, id.intervalS());
    }
}
