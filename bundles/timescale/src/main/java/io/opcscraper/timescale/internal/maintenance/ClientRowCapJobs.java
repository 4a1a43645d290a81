package io.opcscraper.timescale.internal.maintenance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.timescale.internal.db.Jdbc;
import io.opcscraper.timescale.internal.schema.RowCapScope;
import io.opcscraper.timescale.internal.schema.TableNames;

/**
 * The community edition's row-cap jobs of scope {@code clientid}: one TimescaleDB job per clientid
 * the writer writes, {@code limit_<table>_rows_job} with the config {@code {"max_rows": N, "scope":
 * "clientid", "clientid": "<clientid>"}} (the job procedure then caps that clientid only), every
 * {@code row.cap.interval.s}. Provisioning cannot add them: it runs before the writer has met a
 * clientid. Each clientid's job is made to match this writer's settings once per run of the writer
 * (added, its schedule or config altered, duplicates deleted; deleted when the writer caps no longer
 * per clientid: {@code max.rows} 0 or scope {@code table}),
 * in one transaction under the table's provisioning lock ({@link TableNames#lockKey}), so writers
 * meeting the same clientid at once add one job. Every value is bound. Writer thread only.
 */
public final class ClientRowCapJobs {

    private static final Logger LOG = LoggerFactory.getLogger(ClientRowCapJobs.class);

    /** The jobs of one clientid. Parameters: 1 the job procedure's name, 2 the clientid. */
    static final String FIND = "SELECT job_id, schedule_interval = make_interval(secs => ?) AS same_schedule,"
            + " config = jsonb_build_object('max_rows', ?::bigint, 'scope', ?::text, 'clientid', ?::text) AS same_config\n"
            + "FROM timescaledb_information.jobs\n"
            + "WHERE proc_schema = current_schema() AND proc_name = ? AND config ->> 'scope' = ?"
            + " AND config ->> 'clientid' = ?\n"
            + "ORDER BY job_id";
    /** Parameters: 1 the quoted job procedure, 2 seconds, 3 max_rows, 4 scope, 5 clientid. */
    static final String ADD = "SELECT add_job(?::regproc, make_interval(secs => ?),"
            + " config => jsonb_build_object('max_rows', ?::bigint, 'scope', ?::text, 'clientid', ?::text))";
    /** Parameters: 1 job id, 2 seconds, 3 max_rows, 4 scope, 5 clientid. */
    static final String ALTER = "SELECT alter_job(?::integer, schedule_interval => make_interval(secs => ?),"
            + " config => jsonb_build_object('max_rows', ?::bigint, 'scope', ?::text, 'clientid', ?::text))";
    static final String DELETE = "SELECT delete_job(?::integer)";

    private final String name;
    private final String table;
    private final long maxRows;
    private final int intervalS;
    private final Set<String> done = new HashSet<>();

    /**
     * @param maxRows what each clientid keeps; 0: no per-clientid job (those of the clientids met are deleted)
     * @param intervalS the jobs' schedule interval
     */
    public ClientRowCapJobs(String name, String table, long maxRows, int intervalS) {
        this.name = name;
        this.table = TableNames.requireValidTable(table);
        this.maxRows = maxRows;
        this.intervalS = intervalS;
    }

    /**
     * Makes the job of each clientid in {@code clientIds} not handled yet in this run match the
     * settings; on {@code c} with auto-commit on (restored). A clientid whose transaction fails is
     * tried again at the next call.
     */
    public void ensure(Connection c, Iterable<String> clientIds) throws SQLException {
        for (String clientId : clientIds) {
            if (this.done.contains(clientId)) {
                continue;
            }
            c.setAutoCommit(false);
            try {
                Jdbc.advisoryXactLock(c, TableNames.lockKey(this.table));
                String what = ensure(c, clientId);
                c.commit();
                this.done.add(clientId);
                if (what != null) {
                    LOG.info("{}: TimescaleDB row-cap job of clientid '{}': {}", this.name, clientId, what);
                }
            } catch (SQLException e) {
                Jdbc.rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** What was done for {@code clientId} (for the log), or null when its job already matched. */
    private String ensure(Connection c, String clientId) throws SQLException {
        String proc = TableNames.rowCapJobProcedure(this.table);
        String scope = RowCapScope.CLIENTID.id();
        List<long[]> jobs = new ArrayList<>();
        try (PreparedStatement find = c.prepareStatement(FIND)) {
            find.setInt(1, this.intervalS);
            find.setLong(2, this.maxRows);
            find.setString(3, scope);
            find.setString(4, clientId);
            find.setString(5, proc);
            find.setString(6, scope);
            find.setString(7, clientId);
            try (ResultSet r = find.executeQuery()) {
                while (r.next()) {
                    jobs.add(new long[] {r.getLong(1), r.getBoolean(2) && r.getBoolean(3) ? 1 : 0});
                }
            }
        }
        String what = null;
        for (int i = 0; i < jobs.size(); i++) {
            long id = jobs.get(i)[0];
            if (i > 0 || this.maxRows <= 0) {
                call(c, DELETE, id);
                what = this.maxRows <= 0 ? "deleted job " + id + " (no per-clientid row cap)" : "deleted a duplicate";
            } else if (jobs.get(i)[1] == 0) {
                try (PreparedStatement alter = c.prepareStatement(ALTER)) {
                    alter.setLong(1, id);
                    bind(alter, 2, clientId);
                    alter.execute();
                }
                what = "job " + id + " now keeps " + this.maxRows + " rows, every " + this.intervalS + " s";
            }
        }
        if (jobs.isEmpty() && this.maxRows > 0) {
            try (PreparedStatement add = c.prepareStatement(ADD)) {
                add.setString(1, TableNames.quote(proc));
                bind(add, 2, clientId);
                try (ResultSet r = add.executeQuery()) {
                    r.next();
                    what = "added job " + r.getInt(1) + ": keeps " + this.maxRows + " rows, every " + this.intervalS
                            + " s";
                }
            }
        }
        return what;
    }

    private void bind(PreparedStatement s, int from, String clientId) throws SQLException {
        s.setInt(from, this.intervalS);
        s.setLong(from + 1, this.maxRows);
        s.setString(from + 2, RowCapScope.CLIENTID.id());
        s.setString(from + 3, clientId);
    }

    private static void call(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, id);
            s.execute();
        }
    }
}
