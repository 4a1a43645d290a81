package io.opcscraper.timescale.internal.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opcscraper.timescale.testing.Json;
import io.opcscraper.timescale.testing.Pglite;

/**
 * The DDL the writer generates for the TimescaleDB community edition, run by
 * {@code testing/pglite/check-ddl.mjs} in PGlite with TimescaleDB's community module
 * ({@code timescaledb.license = timescale}): every statement in one transaction (twice, after an
 * earlier configuration's), sample rows, {@code CALL run_job(...)} of the row-cap job, a refresh
 * of each continuous aggregate, and the aggregates' columns against the ones the Apache edition
 * and plain PostgreSQL have ({@link DbSupport#AVG_COLUMNS}, {@link DbSupport#COUNT_COLUMNS}).
 * Fails, never skips, without node or without {@code npm ci --prefix testing/pglite}.
 */
class PgliteCommunityCheckTest {

    static final String TABLE = "sensor_data";
    static final long MAX_ROWS = 1000;
    static final int SAMPLE_ROWS = 1500;
    /** What the writer would provision: 1000 rows, 30 days, 1-hour chunks, aggregates every 60 s, row cap hourly. */
    static final SchemaSettings SETTINGS = new SchemaSettings(MAX_ROWS, 30, 3600, true, 60);
    /** An earlier configuration the second provisioning must update: other cap, retention, schedules. */
    static final SchemaSettings EARLIER = new SchemaSettings(5000, 7, 3600, true, 120, 7200);

    @Test
    void communityDdlRunsAndWorks(@TempDir Path tmp) throws Exception {
        Map<String, Object> r = runChecker(tmp);

        assertEquals(List.of(), r.get("errors"), "the checker reported errors");
        assertEquals(Boolean.TRUE, r.get("ok"));
        assertEquals("timescale", r.get("license"), "PGlite must run the community edition");

        Map<String, Object> statements = map(r, "statements");
        List<String> ddl = SchemaDdl.statements(Edition.COMMUNITY, TABLE, SETTINGS);
        assertEquals((long) ddl.size(), statements.get("total"));
        assertEquals((long) ddl.size(), statements.get("ran"), "not every statement ran");
        assertEquals((long) ddl.size(), statements.get("ranSecondTime"), "not every statement ran the second time");
        assertEquals(statements.get("previousTotal"), statements.get("previousRan"),
                "the earlier configuration's statements did not all run");
        assertEquals(r.get("jobsAfterFirstRun"), r.get("jobsAfterSecondRun"),
                "provisioning again changed the jobs (not idempotent)");

        Map<String, Object> hypertable = map(r, "hypertable");
        assertEquals(TABLE, hypertable.get("hypertable_name"));
        assertEquals("timestamp", map(hypertable, "dimension").get("column_name"));

        // The row-cap job: one, updated to this configuration, run by run_job.
        Map<String, Object> job = map(r, "rowCapJob");
        assertEquals(1L, job.get("count"), "one row-cap job after three provisionings");
        assertEquals(MAX_ROWS, map(job, "config").get("max_rows"), "the job's config was not updated");
        assertEquals("01:00:00", job.get("scheduleInterval"), "the job's schedule was not updated");
        assertEquals(Boolean.TRUE, job.get("ran"), "run_job did not run");
        assertEquals((long) SAMPLE_ROWS, r.get("rowsBeforeRowCap"));
        long after = (Long) r.get("rowsAfterRowCap");
        assertTrue(after <= MAX_ROWS, after + " rows left after run_job, more than " + MAX_ROWS);
        assertEquals(MAX_ROWS, after);
        assertEquals(r.get("maxTimestampBefore"), r.get("maxTimestampAfter"), "the newest row went");
        assertTrue(OffsetDateTime.parse((String) r.get("minTimestampAfter"))
                .isAfter(OffsetDateTime.parse((String) r.get("minTimestampBefore"))), "the oldest rows stayed");

        // Each continuous aggregate: refreshes, real-time, one policy at the configured schedule,
        // the same columns as on the Apache edition and plain PostgreSQL.
        Map<String, Object> aggregates = map(r, "aggregates");
        List<String> names = TableNames.aggregateNames(TABLE);
        assertEquals(names, new ArrayList<>(aggregates.keySet()));
        for (String view : names) {
            Map<String, Object> a = map(aggregates, view);
            assertEquals(Boolean.TRUE, a.get("continuous"), view + " is not a continuous aggregate");
            assertEquals(Boolean.FALSE, a.get("materializedOnly"), view + " has no real-time aggregation");
            assertEquals(Boolean.TRUE, a.get("refreshed"), view + " did not refresh");
            assertEquals(Boolean.TRUE, a.get("refreshedAfterRowCap"), view + " did not refresh after the row cap");
            List<Object> policies = list(a, "policies");
            assertEquals(1, policies.size(), view + " policies: " + policies);
            @SuppressWarnings("unchecked")
            Map<String, Object> policy = (Map<String, Object>) policies.get(0);
            assertEquals("00:01:00", policy.get("schedule_interval"), view + " policy schedule not updated");
            List<String> expected = view.startsWith("rolling_count_") ? DbSupport.COUNT_COLUMNS : DbSupport.AVG_COLUMNS;
            assertEquals(expected, columns(a), view + " columns differ from the Apache / plain-PostgreSQL ones");
            assertTrue((Long) a.get("rows") > 0, view + " is empty");
        }
        assertEquals(MAX_ROWS, map(aggregates, TableNames.count5sView(TABLE)).get("sampleCountSum"),
                "after the row cap and a refresh the count aggregate still counts deleted rows");
        assertEquals(Boolean.TRUE, map(r, "realTime").get("visible"), "a new row is not in the aggregate before a refresh");

        // The nodes table of an earlier writer: the field column and the key (clientid, nodeid, field).
        assertEquals(List.of(Map.of("attname", "clientid"), Map.of("attname", "nodeid"), Map.of("attname", "field")),
                list(map(r, "checks"), "nodesKey"));
        assertEquals(List.of(Map.of("field", "")), list(map(r, "checks"), "legacyNode"), "its row is a variable's");

        // Retention: the policy was replaced with the configured age.
        List<Object> retention = list(map(r, "checks"), "retention");
        assertEquals(1, retention.size(), "retention policies: " + retention);
        @SuppressWarnings("unchecked")
        Map<String, Object> policy = (Map<String, Object>) retention.get(0);
        assertEquals("30 days", map(policy, "config").get("drop_after"));
    }

    private Map<String, Object> runChecker(Path tmp) throws Exception {
        StringBuilder in = new StringBuilder("{\n");
        in.append("\"table\": ").append(Json.string(TABLE)).append(",\n");
        in.append("\"lockKey\": ").append(Json.string(Long.toString(TableNames.lockKey(TABLE)))).append(",\n");
        in.append("\"sampleRows\": ").append(SAMPLE_ROWS).append(",\n");
        in.append("\"sampleSpacingSeconds\": 10,\n");
        in.append("\"rowCapJob\": ").append(Json.string(TableNames.rowCapJobProcedure(TABLE))).append(",\n");
        in.append("\"aggregates\": ").append(Json.strings(TableNames.aggregateNames(TABLE))).append(",\n");
        List<String> previous = new ArrayList<>();
        previous.add(SchemaProvisionerTest.EARLIER_NODES_DDL); // as a writer before structured values made it
        previous.add("INSERT INTO nodes VALUES ('ns=2;s=M', 'legacy', 'P/M', 'P', 'M', 'Double', NULL, now(), now())");
        previous.addAll(SchemaDdl.statements(Edition.COMMUNITY, TABLE, EARLIER));
        in.append("\"previousStatements\": ").append(Json.strings(previous)).append(",\n");
        in.append("\"statements\": ")
                .append(Json.strings(SchemaDdl.statements(Edition.COMMUNITY, TABLE, SETTINGS))).append(",\n");
        in.append("\"checks\": [{\"name\": \"retention\", \"sql\": ").append(Json.string(
                "SELECT job_id, config FROM timescaledb_information.jobs WHERE proc_name = 'policy_retention'"
                        + " AND hypertable_name = '" + TABLE + "'"))
                .append("}, {\"name\": \"nodesKey\", \"sql\": ").append(Json.string(
                        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                                + " AND a.attnum = ANY (i.indkey) WHERE i.indrelid = 'nodes'::regclass AND i.indisprimary"
                                + " ORDER BY array_position(i.indkey::int2[], a.attnum)"))
                .append("}, {\"name\": \"legacyNode\", \"sql\": ").append(Json.string(
                        "SELECT field FROM nodes WHERE clientid = 'legacy'"))
                .append("}]\n}\n");
        return Pglite.run("check-ddl.mjs", in.toString(), tmp);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        Object v = m.get(key);
        assertTrue(v instanceof Map, key + " is not an object: " + v);
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        assertTrue(v instanceof List, key + " is not an array: " + v);
        return (List<Object>) v;
    }

    @SuppressWarnings("unchecked")
    private static List<String> columns(Map<String, Object> aggregate) {
        List<String> out = new ArrayList<>();
        for (Object o : list(aggregate, "columns")) {
            Map<String, Object> c = (Map<String, Object>) o;
            out.add(c.get("column_name") + " " + c.get("data_type"));
        }
        return out;
    }
}
