package io.opcscraper.timescale.internal.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opcscraper.timescale.internal.schema.Edition;
import io.opcscraper.timescale.internal.schema.RowCapScope;
import io.opcscraper.timescale.internal.schema.SchemaDdl;
import io.opcscraper.timescale.internal.schema.SchemaSettings;
import io.opcscraper.timescale.internal.schema.TableNames;
import io.opcscraper.timescale.testing.Json;
import io.opcscraper.timescale.testing.Pglite;

/**
 * Row cap scope {@code clientid} on the community edition (PGlite with TimescaleDB's community
 * module, {@code testing/pglite/run-steps.mjs}): provisioning first for scope table then for scope
 * clientid leaves no table-wide row-cap job; the writer's per-clientid job SQL
 * ({@link ClientRowCapJobs}'s statements, with the values it binds) adds one job per clientid whose
 * config carries the scope and the clientid; {@code run_job} of each caps that clientid only;
 * altering and deleting a job work; {@link JobStats#jobsQuery} reports each job's clientid.
 */
class ClientRowCapJobsPgliteTest {

    private static final String TABLE = "sensor_data";
    private static final String JOB = TableNames.rowCapJobProcedure(TABLE);
    private static final String A = "00:E0:C7:0A:3B:01/opcua-connection";
    private static final String B = "00:E0:C7:0A:3B:02/opcua-connection";
    private static final String C = "00:E0:C7:0A:3B:03/opcua-connection";

    private final List<String> steps = new ArrayList<>();

    @Test
    void eachClientidGetsItsOwnJobThatCapsItAlone(@TempDir Path tmp) throws Exception {
        List<String> ddl = new ArrayList<>(SchemaDdl.statements(Edition.COMMUNITY, TABLE,
                new SchemaSettings(1000, 0, 600, false, 60, 3600, RowCapScope.TABLE)));
        ddl.addAll(SchemaDdl.statements(Edition.COMMUNITY, TABLE,
                new SchemaSettings(1000, 0, 600, false, 60, 3600, RowCapScope.CLIENTID)));

        step("insert", "INSERT INTO sensor_data (\"timestamp\", nodeid, clientid, sensorname, tagname, value, quality)"
                + " SELECT now() - (g / 2) * interval '1 second', 'n' || (g % 5), $1, 's', 't', g, 0"
                + " FROM generate_series(0, 2999) g UNION ALL"
                + " SELECT now() - g * interval '1 second', 'n' || (g % 5), $2, 's', 't', g, 0 FROM generate_series(0, 1999) g"
                + " UNION ALL SELECT now() - interval '1 day' - g * interval '1 second', 'n', $3, 's', 't', g, 0"
                + " FROM generate_series(0, 49) g", A, B, C);
        step("tableWideJobs", "SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = $1", JOB);
        step("findBefore", ClientRowCapJobs.FIND, 3600, "1000", "clientid", A, JOB, "clientid", A);
        step("addA", ClientRowCapJobs.ADD, TableNames.quote(JOB), 3600, "1000", "clientid", A);
        step("addB", ClientRowCapJobs.ADD, TableNames.quote(JOB), 3600, "1000", "clientid", B);
        step("findA", ClientRowCapJobs.FIND, 3600, "1000", "clientid", A, JOB, "clientid", A);
        step("configs", "SELECT config FROM timescaledb_information.jobs WHERE proc_name = $1 ORDER BY job_id", JOB);
        step("runAll", runJobs());
        step("counts", COUNTS, A, B, C);
        step("findA500", ClientRowCapJobs.FIND, 3600, "500", "clientid", A, JOB, "clientid", A);
        step("alterA", ClientRowCapJobs.ALTER, jobOf(A), 3600, "500", "clientid", A);
        step("findA500After", ClientRowCapJobs.FIND, 3600, "500", "clientid", A, JOB, "clientid", A);
        step("runAgain", runJobs());
        step("countsAfterAlter", COUNTS, A, B, C);
        step("jobsQuery", JobStats.jobsQuery(TABLE));
        step("deleteB", ClientRowCapJobs.DELETE, jobOf(B));
        step("findB", ClientRowCapJobs.FIND, 3600, "1000", "clientid", B, JOB, "clientid", B);

        String input = "{\n\"lockKey\": " + Json.string(Long.toString(TableNames.lockKey(TABLE))) + ",\n"
                + "\"statements\": " + Json.strings(ddl) + ",\n"
                + "\"steps\": [" + String.join(",\n", this.steps) + "]\n}\n";
        Map<String, Object> r = Pglite.run("run-steps.mjs", input, tmp);
        assertEquals("timescale", r.get("license"));
        Map<String, Object> s = Json.object(r, "steps");

        assertEquals(List.of(), s.get("tableWideJobs"), "scope clientid leaves no table-wide row-cap job");
        assertEquals(List.of(), s.get("findBefore"));
        assertEquals(1, Json.array(s, "findA").size());
        Map<String, Object> found = row(s, "findA", 0);
        assertEquals(List.of(true, true), List.of(found.get("same_schedule"), found.get("same_config")));
        assertEquals(List.of(Map.of("config", Map.of("max_rows", 1000L, "scope", "clientid", "clientid", A)),
                Map.of("config", Map.of("max_rows", 1000L, "scope", "clientid", "clientid", B))), s.get("configs"),
                "each job's config carries the scope and its clientid");
        assertEquals(Map.of("a", 1000L, "b", 1000L, "c", 50L), row(s, "counts", 0),
                "each job capped its clientid; the third clientid has no job and keeps its older rows");
        assertEquals(Boolean.FALSE, row(s, "findA500", 0).get("same_config"));
        assertEquals(Boolean.TRUE, row(s, "findA500After", 0).get("same_config"), "alter_job changed the config");
        assertEquals(Map.of("a", 500L, "b", 1000L, "c", 50L), row(s, "countsAfterAlter", 0));
        List<String> clientIds = Json.array(s, "jobsQuery").stream().map(o -> String.valueOf(((Map<?, ?>) o).get("clientid")))
                .sorted().collect(Collectors.toList());
        assertEquals(List.of(A, B), clientIds, "the health query tells whose job each is");
        assertEquals(List.of(), s.get("findB"), "delete_job removed gw-b's job");
        assertTrue(r.get("errors") instanceof List<?> e && e.isEmpty(), "errors: " + r.get("errors"));
    }

    private static final String COUNTS = "SELECT count(*) FILTER (WHERE clientid = $1) AS a,"
            + " count(*) FILTER (WHERE clientid = $2) AS b, count(*) FILTER (WHERE clientid = $3) AS c FROM sensor_data";

    /** Runs every row-cap job of the table (PGlite has no scheduler). */
    private static String runJobs() {
        return "DO $$ DECLARE j integer; BEGIN FOR j IN SELECT job_id FROM timescaledb_information.jobs"
                + " WHERE proc_name = '" + JOB + "' ORDER BY job_id LOOP CALL run_job(j); END LOOP; END $$";
    }

    /** A parameter that is the job id of {@code clientId}'s job: a scalar subquery in the step's SQL. */
    private static Object jobOf(String clientId) {
        return new Pglite.Sql("(SELECT job_id FROM timescaledb_information.jobs WHERE config ->> 'clientid' = '"
                + clientId + "')");
    }

    private void step(String name, String sql, Object... params) {
        this.steps.add(Pglite.step(name, sql, params));
    }

    /** Row {@code index} of step {@code key}'s rows. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> row(Map<String, Object> steps, String key, int index) {
        return (Map<String, Object>) Json.array(steps, key).get(index);
    }
}
