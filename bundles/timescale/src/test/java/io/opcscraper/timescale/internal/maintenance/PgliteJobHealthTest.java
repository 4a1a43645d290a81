package io.opcscraper.timescale.internal.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opcscraper.timescale.internal.maintenance.JobStats.Job;
import io.opcscraper.timescale.internal.schema.Edition;
import io.opcscraper.timescale.internal.schema.SchemaDdl;
import io.opcscraper.timescale.internal.schema.SchemaSettings;
import io.opcscraper.timescale.internal.schema.TableNames;
import io.opcscraper.timescale.testing.Json;
import io.opcscraper.itests.support.LogCapture;
import io.opcscraper.timescale.testing.Pglite;

/**
 * A job of the writer's table made to fail for real on the community edition, and the writer's
 * view of it: {@code testing/pglite/check-jobs.mjs} provisions the community DDL in PGlite
 * (TimescaleDB 2.23 with its community module), gives the row-cap job a config its own procedure
 * cannot cast, runs it with {@code CALL run_job}, and runs {@link JobStats}'s queries over
 * TimescaleDB's own views; then mends it and runs it again.
 *
 * <p>The most real part available here: PGlite has no background workers, and a job run in the
 * foreground records no statistics, so the checker writes the scheduler's record of each run (one
 * history row with the run's real SQLSTATE and message, the totals). The Apache edition of the local
 * TimescaleDB has no jobs at all.
 */
class PgliteJobHealthTest {

    private static final String TABLE = "sensor_data";

    @Test
    void aFailingRowCapJobIsSeenWithTheDatabasesErrorTextAndIsHealthyAgainAfterASuccess(@TempDir Path tmp)
            throws Exception {
        String input = "{\n\"table\": " + Json.string(TABLE) + ",\n"
                + "\"statements\": " + Json.strings(SchemaDdl.statements(Edition.COMMUNITY, TABLE,
                        new SchemaSettings(1000, 30, 3600, true, 60))) + ",\n"
                + "\"rowCapJob\": " + Json.string(TableNames.rowCapJobProcedure(TABLE)) + ",\n"
                + "\"jobsQuery\": " + Json.string(JobStats.jobsQuery(TABLE)) + ",\n"
                + "\"errorsQuery\": " + Json.string(JobStats.errorsQuery(TABLE)) + "\n}\n";
        Map<String, Object> result = Pglite.run("check-jobs.mjs", input, tmp);

        Map<String, Object> failed = map(result, "failedRun");
        assertEquals("22P02", failed.get("sqlstate"), "the job's procedure raised: " + failed);
        String message = (String) failed.get("message");
        assertTrue(message.contains("invalid input syntax for type bigint: \"many\""), message);

        List<Job> afterFailure = jobs(map(result, "afterFailure"));
        assertEquals(5, afterFailure.size(), "the row-cap job, retention and three refresh policies: " + afterFailure);
        Job rowCap = afterFailure.stream().filter(j -> j.role() == JobStats.Role.ROW_CAP).findFirst().orElseThrow();
        assertEquals("Failed", rowCap.lastRunStatus());
        assertEquals("22P02", rowCap.errorCode());
        assertEquals(message, rowCap.errorMessage(), "job_errors holds the database's own text");
        assertEquals(3600.0, rowCap.intervalS());

        JobHealth health = new JobHealth("w", TABLE);
        try (LogCapture log = new LogCapture()) {
            health.judge(afterFailure);
            String warning = log.line("TimescaleDB job " + rowCap.id() + " (limit_sensor_data_rows_job");
            assertNotNull(warning, log.text());
            assertTrue(warning.contains("22P02 " + message), warning);
            assertTrue(health.rowCapUnhealthy());

            health.judge(jobs(map(result, "afterSuccess")));
            assertNotNull(log.line("healthy again; the writer stops running the row cap itself"), log.text());
            assertFalse(health.rowCapUnhealthy());
        }
    }

    /** The rows the checker printed, as {@link JobStats} reads them. */
    private static List<Job> jobs(Map<String, Object> observed) throws SQLException {
        Map<Integer, Job> jobs = new LinkedHashMap<>();
        for (Object row : list(observed, "jobs")) {
            Job job = JobStats.job(row(row), TABLE);
            jobs.put(job.id(), job);
        }
        for (Object row : list(observed, "errors")) {
            JobStats.Row r = row(row);
            jobs.computeIfPresent(((Number) r.value("job_id")).intValue(), (id, job) -> {
                try {
                    return JobStats.withError(job, r);
                } catch (SQLException e) {
                    throw new AssertionError(e);
                }
            });
        }
        return new ArrayList<>(jobs.values());
    }

    @SuppressWarnings("unchecked")
    private static JobStats.Row row(Object json) {
        return ((Map<String, Object>) json)::get;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        assertTrue(m.get(key) instanceof Map, key + ": " + m.get(key));
        return (Map<String, Object>) m.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> m, String key) {
        assertTrue(m.get(key) instanceof List, key + ": " + m.get(key));
        return (List<Object>) m.get(key);
    }
}
