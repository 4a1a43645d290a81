package io.opcscraper.timescale.internal.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.opcscraper.timescale.internal.WriterOptions;
import io.opcscraper.timescale.internal.catalog.CatalogWriter;
import io.opcscraper.timescale.internal.ledger.JdbcLedgerStore;
import io.opcscraper.timescale.internal.maintenance.Maintenance;
import io.opcscraper.timescale.internal.maintenance.Retention;

/** The generated SQL, without a database. */
class SchemaDdlTest {

    static final SchemaSettings SETTINGS = new SchemaSettings(100_000, 30, 3600, true, 60);

    /** Table names a configuration could smuggle in; each must be refused, by name. */
    static Stream<Arguments> hostileNames() {
        return Stream.of("x\"; DROP TABLE nodes; --", "sensor_data'; DROP TABLE nodes; --", "Sensor_Data",
                "sensor data", "1sensor", "sensor-data", "", "a".repeat(41), "sensor_data\n", "tab\tname",
                "a\u0000b", "sensor_dätä", "public.sensor_data", "\"sensor_data\"", "nodes", "opcscraper_progress",
                "opcscraper_progress_ranges", "rolling_avg_sensor_data1m", "rolling_count_sensor_data_5s",
                "sensor_data_timestamp_idx", "x$$; DROP TABLE nodes; --").map(Arguments::of);
    }

    @Test
    void namesFollowTheTable() {
        assertEquals("rolling_avg_sensor_data1m", TableNames.avg1mView("sensor_data"));
        assertEquals("rolling_avg_sensor_data_5s", TableNames.avg5sView("sensor_data"));
        assertEquals("rolling_count_sensor_data_5s", TableNames.count5sView("sensor_data"));
        assertEquals("limit_sensor_data_rows", TableNames.rowCapProcedure("sensor_data"));
        assertEquals("limit_sensor_data_rows_job", TableNames.rowCapJobProcedure("sensor_data"));
        assertEquals("CALL \"limit_sensor_data_rows\"(?::bigint)", Maintenance.rowCapCall("sensor_data"));
        assertEquals(List.of("rolling_avg_sensor_data1m", "rolling_avg_sensor_data_5s",
                "rolling_count_sensor_data_5s"), TableNames.aggregateNames("sensor_data"));
    }

    @Test
    void derivedNamesFitPostgresIdentifiersForTheLongestTable() {
        String longest = "t".repeat(40);
        List<String> derived = new ArrayList<>(TableNames.aggregateNames(longest));
        derived.addAll(List.of(TableNames.rowCapProcedure(longest), TableNames.rowCapJobProcedure(longest),
                TableNames.timeIndex(longest), TableNames.nodeTimeIndex(longest)));
        for (String name : derived) {
            assertTrue(name.length() <= 63, name + " is longer than PostgreSQL's 63 characters");
        }
    }

    @Test
    void defaultTableNameOfTheWriterIsValid() throws Exception {
        WriterOptions options = WriterOptions.parse(Map.of());
        assertEquals(options.tableName(), TableNames.requireValidTable(options.tableName()));
        SchemaSettings s = options.schemaSettings();
        assertEquals(options.maxRows(), s.maxRows());
        assertEquals(options.rowCapIntervalS(), s.rowCapIntervalS());
        assertEquals(options.aggregatesRefreshIntervalS(), s.refreshIntervalS());
    }

    @ParameterizedTest
    @MethodSource("hostileNames")
    void hostileNamesAreRefusedByName(String name) {
        List<Consumer<String>> uses = List.of(
                t -> SchemaDdl.statements(Edition.COMMUNITY, t, SETTINGS),
                t -> SchemaDdl.statements(Edition.APACHE, t, SETTINGS),
                t -> SchemaDdl.statements(Edition.POSTGRESQL, t, SETTINGS),
                Maintenance::rowCapCall,
                t -> Retention.statements(Edition.APACHE, t),
                TableNames::aggregateNames,
                TableNames::lockKey);
        for (Consumer<String> use : uses) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> use.accept(name));
            assertTrue(e.getMessage().contains(TableNames.printable(name)),
                    "message does not name the table: " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "message has a raw newline: " + e.getMessage());
        }
    }

    @Test
    void nullTableIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SchemaDdl.statements(Edition.APACHE, null, SETTINGS));
    }

    @Test
    void validEdgeNamesAreAccepted() {
        for (String name : List.of("a", "_", "_x9", "sensor_data", "t".repeat(40), "select", "table")) {
            assertEquals(name, TableNames.requireValidTable(name));
            assertFalse(SchemaDdl.statements(Edition.APACHE, name, SETTINGS).isEmpty());
        }
    }

    @Test
    void quoteDoublesQuotes() {
        assertEquals("\"sensor_data\"", TableNames.quote("sensor_data"));
        assertEquals("\"a\"\"b\"", TableNames.quote("a\"b"));
        assertThrows(IllegalArgumentException.class, () -> TableNames.quote(""));
    }

    @ParameterizedTest
    @EnumSource(Edition.class)
    void statementsAreDeterministicAndParameterFree(Edition edition) {
        List<String> a = SchemaDdl.statements(edition, "sensor_data", SETTINGS);
        assertEquals(a, SchemaDdl.statements(edition, "sensor_data", SETTINGS));
        for (String s : a) {
            assertFalse(s.contains("?"), "DDL with a bind marker: " + s);
            assertFalse(s.isBlank());
        }
        assertThrows(UnsupportedOperationException.class, () -> a.add("x"));
    }

    @Test
    void communityGetsContinuousAggregatesJobsAndPolicies() {
        String all = String.join("\n;\n", SchemaDdl.statements(Edition.COMMUNITY, "sensor_data", SETTINGS));
        for (String must : List.of("create_hypertable(", "timescaledb.continuous", "timescaledb.materialized_only = false",
                "WITH NO DATA", "add_continuous_aggregate_policy(", "add_job('\"limit_sensor_data_rows_job\"'::regproc",
                "'max_rows', 100000::bigint", "add_retention_policy(", "interval '30 days'", "drop_chunks(",
                "CREATE TABLE IF NOT EXISTS \"nodes\"", "CREATE TABLE IF NOT EXISTS \"opcscraper_progress\"")) {
            assertTrue(all.contains(must), "community DDL lacks " + must);
        }
        assertFalse(all.contains("CREATE OR REPLACE VIEW"));
        assertFalse(all.contains("date_bin"));
    }

    @Test
    void apacheGetsHypertableAndViewsButNoCommunityFunction() {
        String all = String.join("\n;\n", SchemaDdl.statements(Edition.APACHE, "sensor_data", SETTINGS));
        assertTrue(all.contains("create_hypertable("));
        assertTrue(all.contains("drop_chunks("));
        assertTrue(all.contains("CREATE OR REPLACE VIEW \"rolling_avg_sensor_data1m\""));
        assertTrue(all.contains("time_bucket(interval '5 seconds', \"timestamp\")"));
        for (String community : List.of("timescaledb.continuous", "add_continuous_aggregate_policy", "add_job",
                "alter_job", "delete_job", "add_retention_policy", "remove_retention_policy", "refresh_continuous")) {
            assertFalse(all.contains(community), "Apache DDL uses the community feature " + community);
        }
    }

    @Test
    void plainPostgresqlUsesNoTimescaleDb() {
        String all = String.join("\n;\n", SchemaDdl.statements(Edition.POSTGRESQL, "sensor_data", SETTINGS));
        for (String ts : List.of("timescaledb", "hypertable", "time_bucket", "drop_chunks", "_job")) {
            assertFalse(all.contains(ts), "plain PostgreSQL DDL uses " + ts);
        }
        assertTrue(all.contains("date_bin(interval '5 seconds', \"timestamp\""));
        assertTrue(all.contains("date_bin(interval '60 seconds', \"timestamp\""));
    }

    @Test
    void aggregatesOffLeavesThemOut() {
        SchemaSettings off = new SchemaSettings(100_000, 0, 3600, false, 60);
        for (Edition e : Edition.values()) {
            String all = String.join("\n", SchemaDdl.statements(e, "sensor_data", off));
            assertFalse(all.contains("rolling_"), e + " still provisions aggregates");
        }
    }

    @Test
    void communityWithoutCapOrRetentionRemovesTheirJobs() {
        SchemaSettings none = new SchemaSettings(0, 0, 3600, true, 60);
        String all = String.join("\n", SchemaDdl.statements(Edition.COMMUNITY, "sensor_data", none));
        assertFalse(all.contains("add_job"));
        assertTrue(all.contains("delete_job"));
        assertTrue(all.contains("remove_retention_policy('\"sensor_data\"', if_exists => true)"));
    }

    @Test
    void rowCapScopeClientidOnEveryEditionNeverDropsChunks() {
        SchemaSettings perClient = new SchemaSettings(1000, 0, 3600, true, 60, 3600, RowCapScope.CLIENTID);
        for (Edition e : Edition.values()) {
            List<String> statements = SchemaDdl.statements(e, "sensor_data", perClient);
            String all = String.join("\n", statements);
            assertTrue(all.contains("\"sensor_data_clientid_ts_idx\" ON \"sensor_data\" (clientid, \"timestamp\" DESC)"),
                    e + ": the clientid index");
            String proc = statements.stream()
                    .filter(x -> x.contains("PROCEDURE \"limit_sensor_data_rows\"(max_rows bigint, client text)"))
                    .findFirst().orElseThrow();
            assertFalse(proc.contains("drop_chunks"), e + ": a chunk holds every client's rows");
            assertTrue(proc.contains("pg_advisory_xact_lock_shared(" + TableNames.rowCapLockKey("sensor_data") + ")"));
            assertTrue(proc.contains("pg_advisory_xact_lock(" + TableNames.clientRowCapLockSpace("sensor_data")
                    + ", hashtext(client))"));
            assertFalse(String.join("\n", SchemaDdl.statements(e, "sensor_data", SETTINGS)).contains("clientid_ts_idx"),
                    e + ": scope table needs no clientid index");
        }
        String community = String.join("\n", SchemaDdl.statements(Edition.COMMUNITY, "sensor_data", perClient));
        assertFalse(community.contains("add_job"), "the per-clientid jobs are the writer's to add");
        assertTrue(community.contains("PERFORM delete_job(j.job_id); -- no table-wide row cap"));
        assertTrue(community.contains("IF config ->> 'scope' = 'clientid' THEN"));
    }

    @Test
    void theStatusTableIsSharedOnEveryEditionAndItsNameReserved() {
        for (Edition e : Edition.values()) {
            assertTrue(SchemaDdl.statements(e, "sensor_data", SETTINGS).stream()
                    .anyMatch(x -> x.startsWith("CREATE TABLE IF NOT EXISTS \"opcscraper_status\" (")), e.name());
        }
        assertTrue(TableNames.tableNameProblem("opcscraper_status").startsWith("is reserved"));
        assertTrue(TableNames.tableNameProblem("sensor_data_clientid_ts_idx").startsWith("is reserved"));
    }

    @Test
    void settingsShowUpAsNumbersOnly() {
        SchemaSettings s = new SchemaSettings(12_345, 7, 600, true, 15, 1800);
        String all = String.join("\n", SchemaDdl.statements(Edition.COMMUNITY, "sensor_data", s));
        assertTrue(all.contains("interval '600 seconds'"));
        assertTrue(all.contains("interval '15 seconds'"));
        assertTrue(all.contains("interval '1800 seconds'"));
        assertTrue(all.contains("interval '7 days'"));
        assertTrue(all.contains("12345::bigint"));
    }

    @Test
    void settingsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new SchemaSettings(-1, 0, 3600, true, 60));
        assertThrows(IllegalArgumentException.class, () -> new SchemaSettings(1, -1, 3600, true, 60));
        assertThrows(IllegalArgumentException.class, () -> new SchemaSettings(1, 0, 0, true, 60));
        assertThrows(IllegalArgumentException.class, () -> new SchemaSettings(1, 0, 60, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new SchemaSettings(1, 0, 60, true, 60, 0));
        assertEquals(SchemaSettings.DEFAULT_ROW_CAP_INTERVAL_S, new SchemaSettings(1, 0, 60, true, 60).rowCapIntervalS());
    }

    @Test
    void retentionPerEdition() {
        // On the community edition the writer runs it only while the retention policy's job is unhealthy.
        assertEquals(List.of("SELECT drop_chunks('\"sensor_data\"', older_than => ?::timestamptz)"),
                Retention.statements(Edition.COMMUNITY, "sensor_data"));
        assertEquals(List.of("SELECT drop_chunks('\"sensor_data\"', older_than => ?::timestamptz)"),
                Retention.statements(Edition.APACHE, "sensor_data"));
        assertEquals(List.of("DELETE FROM \"sensor_data\" WHERE \"timestamp\" < ?::timestamptz"),
                Retention.statements(Edition.POSTGRESQL, "sensor_data"));
    }

    @Test
    void writerStatementsBindEveryValue() {
        assertEquals(9, CatalogWriter.UPSERT.chars().filter(ch -> ch == '?').count());
        assertEquals(3, JdbcLedgerStore.ADVANCE.chars().filter(ch -> ch == '?').count());
        assertTrue(JdbcLedgerStore.ADVANCE.contains(
                "WHERE \"opcscraper_progress\".last_sequence < excluded.last_sequence"));
        assertEquals(1, JdbcLedgerStore.READ.chars().filter(ch -> ch == '?').count());
    }

    @Test
    void lockKeysAreStableAndDistinct() {
        assertEquals(TableNames.lockKey("sensor_data"), TableNames.lockKey("sensor_data"));
        assertNotEquals(TableNames.lockKey("sensor_data"), TableNames.lockKey("sensor_data2"));
        assertNotEquals(TableNames.lockKey("sensor_data"), TableNames.sharedLockKey());
        // a fixed value: every gateway, every JVM, every version of the writer must agree
        assertEquals(0xa94952180e7b5b06L, TableNames.lockKey("sensor_data"),
                () -> "lock key changed: 0x" + Long.toHexString(TableNames.lockKey("sensor_data")));
    }

    @Test
    void editionDescriptionsSayWhatChanges() {
        for (Edition e : Edition.values()) {
            assertFalse(e.describe().isBlank());
        }
        assertTrue(Edition.COMMUNITY.describe().contains("continuous aggregates"));
        assertTrue(Edition.APACHE.describe().contains("views"));
        assertTrue(Edition.POSTGRESQL.describe().contains("DELETE"));
        assertTrue(Arrays.stream(Edition.values()).filter(Edition::databaseSchedulesJobs).count() == 1);
    }
}
