package io.opcscraper.timescale.internal.maintenance;

import static io.opcscraper.timescale.internal.schema.TableNames.aggregateNames;
import static io.opcscraper.timescale.internal.schema.TableNames.literal;
import static io.opcscraper.timescale.internal.schema.TableNames.requireValidTable;
import static io.opcscraper.timescale.internal.schema.TableNames.rowCapJobProcedure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What TimescaleDB says of a writer table's own jobs (community edition): the row-cap job, the
 * retention policy and the three refresh policies, from {@code timescaledb_information.jobs} and
 * {@code job_stats}, with the latest error of each from {@code job_errors} where that view exists.
 * The names in the SQL are the validated table's and the names derived from it, as literals (the
 * same rule as the DDL); the same text runs in the PGlite check.
 */
public final class JobStats {

    /** What a job is for: the writer takes over the row cap and retention, and only warns for refreshes. */
    public enum Role {
        ROW_CAP, RETENTION, REFRESH
    }

    /**
     * One job.
     *
     * @param id the job id
     * @param role what it does for the table
     * @param procName its procedure
     * @param on the table or aggregate it works on
     * @param intervalS its schedule interval, in seconds
     * @param scheduled whether it is scheduled (false: paused)
     * @param lastRunStatus {@code Success}, {@code Failed}, or null (never ran)
     * @param lastSuccess when it last succeeded, or null
     * @param now the database's clock when this was read
     * @param errorCode the SQLSTATE of its latest error, or null
     * @param errorMessage the message of its latest error (the database's own text), or null
     * @param errorTime when its latest error happened, or null
     */
    public record Job(int id, Role role, String procName, String on, double intervalS, boolean scheduled,
            String lastRunStatus, OffsetDateTime lastSuccess, OffsetDateTime now, String errorCode,
            String errorMessage, OffsetDateTime errorTime) {
    }

    private JobStats() {
    }

    /** The jobs of {@code table} with their statistics. */
    public static String jobsQuery(String table) {
        return "SELECT j.job_id, j.proc_name, coalesce(j.hypertable_name, j.proc_name) AS on_relation,\n"
                + "       extract(epoch FROM j.schedule_interval)::float8 AS interval_s, j.scheduled,\n"
                + "       s.last_run_status, nullif(s.last_successful_finish, '-infinity') AS last_successful_finish,\n"
                + "       now() AS now, j.config ->> 'clientid' AS clientid\n"
                + "FROM timescaledb_information.jobs j\n"
                + "LEFT JOIN timescaledb_information.job_stats s ON s.job_id = j.job_id\n"
                + "WHERE " + ownJobs(table) + "\n"
                + "ORDER BY j.job_id";
    }

    /** The latest error of each of the jobs of {@code table} (needs {@code timescaledb_information.job_errors}). */
    public static String errorsQuery(String table) {
        return "SELECT DISTINCT ON (e.job_id) e.job_id, e.sqlerrcode, e.err_message, e.finish_time\n"
                + "FROM timescaledb_information.job_errors e\n"
                + "WHERE e.job_id IN (SELECT j.job_id FROM timescaledb_information.jobs j WHERE " + ownJobs(table) + ")\n"
                + "ORDER BY e.job_id, e.finish_time DESC NULLS LAST";
    }

    /** The condition on {@code timescaledb_information.jobs j} that selects the jobs of {@code table}. */
    private static String ownJobs(String table) {
        requireValidTable(table);
        String views = aggregateNames(table).stream().map(v -> literal(v)).collect(Collectors.joining(", "));
        return "((j.proc_schema = current_schema() AND j.proc_name = " + literal(rowCapJobProcedure(table)) + ")\n"
                + "   OR (j.proc_name = 'policy_retention' AND j.hypertable_schema = current_schema()\n"
                + "       AND j.hypertable_name = " + literal(table) + ")\n"
                + "   OR (j.proc_name = 'policy_refresh_continuous_aggregate' AND j.hypertable_schema = current_schema()\n"
                + "       AND j.hypertable_name IN (" + views + ")))";
    }

    /** Whether {@code timescaledb_information.job_errors} exists (TimescaleDB 2.9 and later). */
    static final String HAS_ERRORS_VIEW = "SELECT to_regclass('timescaledb_information.job_errors') IS NOT NULL";

    /** A row of {@link #jobsQuery} or {@link #errorsQuery}: a column's value by name (JDBC here; JSON in a test). */
    @FunctionalInterface
    public interface Row {
        Object value(String column) throws SQLException;
    }

    /** A row of {@link #jobsQuery}. */
    public static Job job(Row r, String table) throws SQLException {
        String proc = (String) r.value("proc_name");
        Role role = proc.equals(rowCapJobProcedure(table)) ? Role.ROW_CAP
                : proc.equals("policy_retention") ? Role.RETENTION : Role.REFRESH;
        return new Job(((Number) r.value("job_id")).intValue(), role, proc, (String) r.value("on_relation"),
                ((Number) r.value("interval_s")).doubleValue(), Boolean.TRUE.equals(r.value("scheduled")),
                (String) r.value("last_run_status"), time(r.value("last_successful_finish")), time(r.value("now")),
                null, null, null);
    }

    /** The job with its latest error, a row of {@link #errorsQuery}. */
    public static Job withError(Job job, Row r) throws SQLException {
        return new Job(job.id(), job.role(), job.procName(), job.on(), job.intervalS(), job.scheduled(),
                job.lastRunStatus(), job.lastSuccess(), job.now(), (String) r.value("sqlerrcode"),
                (String) r.value("err_message"), time(r.value("finish_time")));
    }

    /** A timestamptz as JDBC ({@link Timestamp}) or JSON (ISO-8601 text) gives it. */
    private static OffsetDateTime time(Object value) {
        if (value instanceof Timestamp) {
            return ((Timestamp) value).toInstant().atOffset(ZoneOffset.UTC);
        }
        return value == null ? null : OffsetDateTime.parse(value.toString());
    }

    /** Reads the jobs of {@code table} and their latest errors on {@code c}. */
    static List<Job> read(Connection c, String table) throws SQLException {
        return read(c, table, clientId -> true);
    }

    /**
     * Reads the jobs of {@code table} and their latest errors on {@code c}, but of the per-clientid
     * row-cap jobs (config {@code "clientid"}) only those of the clientids {@code own} accepts: the
     * jobs of the other gateways writing into the table are theirs to watch.
     */
    static List<Job> read(Connection c, String table, Predicate<String> own) throws SQLException {
        Map<Integer, Job> jobs = new LinkedHashMap<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery(jobsQuery(table))) {
                Row row = r::getObject;
                while (r.next()) {
                    String clientId = r.getString("clientid");
                    if (clientId != null && !own.test(clientId)) {
                        continue;
                    }
                    Job job = job(row, table);
                    jobs.put(job.id(), job);
                }
            }
            boolean errorsView;
            try (ResultSet r = s.executeQuery(HAS_ERRORS_VIEW)) {
                errorsView = r.next() && r.getBoolean(1);
            }
            if (errorsView && !jobs.isEmpty()) {
                try (ResultSet r = s.executeQuery(errorsQuery(table))) {
                    Row row = r::getObject;
                    while (r.next()) {
                        Job job = jobs.get(r.getInt("job_id"));
                        if (job != null) {
                            jobs.put(job.id(), withError(job, row));
                        }
                    }
                }
            }
        }
        return new ArrayList<>(jobs.values());
    }
}
