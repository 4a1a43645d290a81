package io.opcscraper.timescale.internal.schema;

import static io.opcscraper.timescale.internal.schema.TableNames.PROGRESS_TABLE;
import static io.opcscraper.timescale.internal.schema.TableNames.RANGES_TABLE;
import static io.opcscraper.timescale.internal.schema.TableNames.STATUS_TABLE;
import static io.opcscraper.timescale.internal.schema.TableNames.aggregateNames;
import static io.opcscraper.timescale.internal.schema.TableNames.avg1mView;
import static io.opcscraper.timescale.internal.schema.TableNames.avg5sView;
import static io.opcscraper.timescale.internal.schema.TableNames.clientIdTimeIndex;
import static io.opcscraper.timescale.internal.schema.TableNames.count5sView;
import static io.opcscraper.timescale.internal.schema.TableNames.literal;
import static io.opcscraper.timescale.internal.schema.TableNames.nodeTimeIndex;
import static io.opcscraper.timescale.internal.schema.TableNames.quote;
import static io.opcscraper.timescale.internal.schema.TableNames.regclass;
import static io.opcscraper.timescale.internal.schema.TableNames.requireValidTable;
import static io.opcscraper.timescale.internal.schema.TableNames.timeIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The DDL of the writer's schema, per {@link Edition}. Pure: no connection, no state; the same
 * text runs in the writer ({@link SchemaProvisioner}), in the tests and in the PGlite community
 * checker ({@code testing/pglite/check-ddl.mjs}). See {@code docs/schema.md}. The names come from
 * {@link TableNames}; the statements of the writer's own work (its progress, the catalog, the row
 * cap and retention) are with the classes that run them, and bind every value.
 *
 * <p>DDL cannot bind parameters: the only values in it are validated names and numbers formatted
 * from Java {@code int}s and {@code long}s. Every statement of {@link #statements} is idempotent,
 * and statements that would lock the sample table (index creation, hypertable conversion, chunk
 * interval, policies) are guarded by a catalog look-up in a {@code DO} block, so re-provisioning
 * an existing schema takes no lock on the table the writers are writing to.
 */
public final class SchemaDdl {

    /** Origin of the plain-PostgreSQL buckets (any whole minute gives time_bucket's buckets). */
    private static final String DATE_BIN_ORIGIN = "timestamptz '2000-01-01 00:00:00+00'";

    private SchemaDdl() {
    }

    /**
     * The idempotent DDL of {@code table} on {@code edition}, in order, to run in one transaction
     * (the provisioner runs them under advisory locks; none refuses a transaction block).
     */
    public static List<String> statements(Edition edition, String table, SchemaSettings settings) {
        Objects.requireNonNull(edition, "edition");
        Objects.requireNonNull(settings, "settings");
        requireValidTable(table);
        String t = quote(table);
        List<String> out = new ArrayList<>();

        out.add("CREATE TABLE IF NOT EXISTS " + t + " (\n"
                + "    id bigint GENERATED ALWAYS AS IDENTITY,\n"
                + "    \"timestamp\" timestamptz NOT NULL,\n"
                + "    nodeid text,\n"
                + "    clientid text,\n"
                + "    sensorname text,\n"
                + "    tagname text,\n"
                + "    value double precision,\n"
                + "    quality bigint NOT NULL\n"
                + ")");

        if (edition.hypertables()) {
            // create_default_indexes => false: the time index is created below under our own
            // name, the same on every edition. migrate_data: a table provisioned earlier on
            // plain PostgreSQL (before the extension was installed) becomes a hypertable too.
            // No unique index: one on a hypertable must include the time column, and id is
            // not a key (it only orders rows that share a timestamp, see the row cap).
            String chunk = "interval '" + settings.chunkIntervalS() + " seconds'";
            out.add("DO $$\nBEGIN\n"
                    + "    IF NOT EXISTS (" + hypertableLookup(table) + ") THEN\n"
                    + "        PERFORM create_hypertable(" + regclass(table) + ", 'timestamp',\n"
                    + "            chunk_time_interval => " + chunk + ", create_default_indexes => false,\n"
                    + "            migrate_data => true, if_not_exists => true);\n"
                    + "    ELSIF EXISTS (SELECT 1 FROM timescaledb_information.dimensions d\n"
                    + "            WHERE d.hypertable_schema = current_schema() AND d.hypertable_name = "
                    + literal(table) + "\n"
                    + "              AND d.column_name = 'timestamp' AND d.time_interval IS DISTINCT FROM " + chunk
                    + ") THEN\n"
                    + "        PERFORM set_chunk_time_interval(" + regclass(table) + ", " + chunk + ");\n"
                    + "    END IF;\n"
                    + "END $$");
        }
        out.add(createIndexIfMissing(timeIndex(table), t + " (\"timestamp\" DESC)"));
        out.add(createIndexIfMissing(nodeTimeIndex(table), t + " (nodeid, \"timestamp\" DESC)"));
        if (settings.rowCapScope() == RowCapScope.CLIENTID) {
            // Each clientid's cutoff is then an index scan of its own newest rows. Kept when the
            // scope goes back to the table: other writers of the table may still cap per clientid.
            out.add(createIndexIfMissing(clientIdTimeIndex(table), t + " (clientid, \"timestamp\" DESC)"));
        }

        out.addAll(NodesDdl.statements());
        out.add("CREATE TABLE IF NOT EXISTS " + quote(PROGRESS_TABLE) + " (\n"
                + "    writer_id text PRIMARY KEY,\n"
                + "    table_name text NOT NULL,\n"
                + "    last_sequence bigint NOT NULL,\n"
                + "    updated_at timestamptz NOT NULL\n"
                + ")");
        out.add("CREATE TABLE IF NOT EXISTS " + quote(RANGES_TABLE) + " (\n"
                + "    writer_id text NOT NULL,\n"
                + "    first_sequence bigint NOT NULL,\n"
                + "    last_sequence bigint NOT NULL,\n"
                + "    PRIMARY KEY (writer_id, first_sequence)\n"
                + ")");

        out.add(statusTableDdl());

        out.addAll(RowCapDdl.statements(edition, table, settings));

        if (settings.aggregates()) {
            out.addAll(aggregateDdl(edition, table, settings));
        }

        if (edition.databaseSchedulesJobs()) {
            out.add(retentionPolicyDdl(table, settings.retentionDays()));
        }
        return List.copyOf(out);
    }

    /**
     * {@code opcscraper_status}: one row per writer (its writer id), upserted by the writer once a
     * {@code status.interval.s} ({@code status.StatusReporter}): the fleet's health for a dashboard.
     * An ordinary table on every edition; no secret in any column.
     */
    private static String statusTableDdl() {
        return "CREATE TABLE IF NOT EXISTS " + quote(STATUS_TABLE) + " (\n"
                + "    writer_id text PRIMARY KEY,\n"
                + "    gateway text,\n"
                + "    writer text NOT NULL,\n"
                + "    clientids text[] NOT NULL,\n"
                + "    table_name text NOT NULL,\n"
                + "    edition text NOT NULL,\n"
                + "    writer_version text,\n"
                + "    kura_version text,\n"
                + "    database_version text,\n"
                + "    state text NOT NULL,\n"
                + "    samples_accepted bigint NOT NULL,\n"
                + "    samples_written bigint NOT NULL,\n"
                + "    samples_spooled bigint NOT NULL,\n"
                + "    samples_dropped bigint NOT NULL,\n"
                + "    samples_quarantined bigint NOT NULL,\n"
                + "    samples_backfilled bigint,\n"
                + "    last_error text,\n"
                + "    last_error_at timestamptz,\n"
                + "    started_at timestamptz NOT NULL,\n"
                + "    report_interval_s integer NOT NULL,\n"
                + "    last_seen timestamptz NOT NULL\n"
                + ")";
    }

    private static List<String> aggregateDdl(Edition edition, String table, SchemaSettings s) {
        List<String> out = new ArrayList<>();
        out.add(aggregate(edition, table, avg1mView(table), 60, "avg(value) AS avg_value"));
        out.add(aggregate(edition, table, avg5sView(table), 5, "avg(value) AS avg_value"));
        out.add(aggregate(edition, table, count5sView(table), 5, "count(*) AS sample_count"));
        if (edition.continuousAggregates()) {
            for (String view : aggregateNames(table)) {
                out.add(realTimeDdl(view));
            }
            out.add(refreshPolicyDdl(avg1mView(table), 60, s.refreshIntervalS()));
            out.add(refreshPolicyDdl(avg5sView(table), 5, s.refreshIntervalS()));
            out.add(refreshPolicyDdl(count5sView(table), 5, s.refreshIntervalS()));
        }
        return out;
    }

    /**
     * One aggregate: bucket, clientid, nodeid, sensorname, tagname and the measure, with the same
     * names and types (timestamptz, text x4, double precision or bigint) on every edition.
     */
    private static String aggregate(Edition edition, String table, String view, int bucketS, String measure) {
        String width = "interval '" + bucketS + " seconds'";
        String bucket = edition.hypertables()
                ? "time_bucket(" + width + ", \"timestamp\")"
                : "date_bin(" + width + ", \"timestamp\", " + DATE_BIN_ORIGIN + ")";
        String select = "SELECT " + bucket + " AS bucket, clientid, nodeid, sensorname, tagname, " + measure + "\n"
                + "FROM " + quote(table) + "\n"
                + "GROUP BY 1, clientid, nodeid, sensorname, tagname";
        if (edition.continuousAggregates()) {
            // WITH NO DATA: creating with data refreshes, which cannot run in a transaction
            // block; the refresh policy and real-time aggregation cover the data instead.
            return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + quote(view) + "\n"
                    + "WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS\n"
                    + select + "\nWITH NO DATA";
        }
        return "CREATE OR REPLACE VIEW " + quote(view) + " AS\n" + select;
    }

    /** Real-time aggregation also on a continuous aggregate created elsewhere without it. */
    private static String realTimeDdl(String view) {
        return "DO $$\nBEGIN\n"
                + "    IF EXISTS (SELECT 1 FROM timescaledb_information.continuous_aggregates\n"
                + "            WHERE view_schema = current_schema() AND view_name = " + literal(view)
                + " AND materialized_only) THEN\n"
                + "        ALTER MATERIALIZED VIEW " + quote(view) + " SET (timescaledb.materialized_only = false);\n"
                + "    END IF;\n"
                + "END $$";
    }

    /**
     * The refresh policy of one continuous aggregate: every {@code refreshS} seconds over
     * [earliest data, now - one bucket]. start_offset NULL (the whole history, which the row cap
     * bounds): only invalidated ranges and new buckets are recomputed, and rows removed by the
     * row cap or retention leave the aggregate at its next refresh. end_offset one bucket: the
     * open bucket comes from real-time aggregation. The window spans far more than two buckets.
     */
    private static String refreshPolicyDdl(String view, int bucketS, int refreshS) {
        String every = "interval '" + refreshS + " seconds'";
        return "DO $$\n"
                + "DECLARE\n"
                + "    j integer;\n"
                + "BEGIN\n"
                + "    SELECT job_id INTO j FROM timescaledb_information.jobs\n"
                + "        WHERE proc_name = 'policy_refresh_continuous_aggregate'\n"
                + "          AND hypertable_schema = current_schema() AND hypertable_name = " + literal(view) + "\n"
                + "        ORDER BY job_id LIMIT 1;\n"
                + "    IF j IS NULL THEN\n"
                + "        PERFORM add_continuous_aggregate_policy(" + regclass(view) + ",\n"
                + "            start_offset => NULL, end_offset => interval '" + bucketS + " seconds',\n"
                + "            schedule_interval => " + every + ", if_not_exists => true);\n"
                + "    ELSIF (SELECT schedule_interval FROM timescaledb_information.jobs WHERE job_id = j)\n"
                + "            IS DISTINCT FROM " + every + " THEN\n"
                + "        PERFORM alter_job(j, schedule_interval => " + every + ");\n"
                + "    END IF;\n"
                + "END $$";
    }

    /** Community retention: add_retention_policy (replaced when the age changed), or removed. */
    private static String retentionPolicyDdl(String table, int retentionDays) {
        if (retentionDays <= 0) {
            return "SELECT remove_retention_policy(" + regclass(table) + ", if_exists => true)";
        }
        String age = "interval '" + retentionDays + " days'";
        return "DO $$\n"
                + "DECLARE\n"
                + "    j integer;\n"
                + "    c jsonb;\n"
                + "BEGIN\n"
                + "    SELECT job_id, config INTO j, c FROM timescaledb_information.jobs\n"
                + "        WHERE proc_name = 'policy_retention'\n"
                + "          AND hypertable_schema = current_schema() AND hypertable_name = " + literal(table) + "\n"
                + "        ORDER BY job_id LIMIT 1;\n"
                + "    IF j IS NOT NULL AND (c ->> 'drop_after')::interval IS DISTINCT FROM " + age + " THEN\n"
                + "        PERFORM remove_retention_policy(" + regclass(table) + ");\n"
                + "        j := NULL;\n"
                + "    END IF;\n"
                + "    IF j IS NULL THEN\n"
                + "        PERFORM add_retention_policy(" + regclass(table) + ", drop_after => " + age
                + ", if_not_exists => true);\n"
                + "    END IF;\n"
                + "END $$";
    }

    private static String createIndexIfMissing(String index, String on) {
        return "DO $$\nBEGIN\n"
                + "    IF to_regclass(" + literal(quote(index)) + ") IS NULL THEN\n"
                + "        CREATE INDEX IF NOT EXISTS " + quote(index) + " ON " + on + ";\n"
                + "    END IF;\n"
                + "END $$";
    }

    private static String hypertableLookup(String table) {
        return "SELECT 1 FROM timescaledb_information.hypertables h\n"
                + "            WHERE h.hypertable_schema = current_schema() AND h.hypertable_name = " + literal(table);
    }
}
