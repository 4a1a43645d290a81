package io.opcscraper.timescale.internal.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL of the writer's schema, per {@link Edition}. Pure: no connection, no state; the same
 * text runs in the writer ({@link SchemaProvisioner}), in the tests and in the PGlite community
 * checker ({@code testing/pglite/check-ddl.mjs}). See {@code docs/schema.md}.
 *
 * <p>Every identifier is double-quoted. The table name is validated first ({@link #requireValidTable}:
 * {@code [a-z_][a-z0-9_]{0,39}}, and not {@linkplain #reservedTableName reserved}); the names derived from it
 * (views, procedures, indexes) therefore stay within PostgreSQL's 63 characters and contain no
 * quote. DDL cannot bind parameters: the only values in it are formatted from Java {@code int}s
 * and {@code long}s. The statements for the writer's own work ({@link #rowCapCall},
 * {@link #retentionStatements}, {@link #upsertNode}, {@link #advanceProgress},
 * {@link #readProgress}) bind every value.
 *
 * <p>Every statement of {@link #statements} is idempotent, and statements that would lock the
 * sample table (index creation, hypertable conversion, chunk interval, policies) are guarded by
 * a catalog look-up in a {@code DO} block, so re-provisioning an existing schema takes no lock
 * on the table the writers are writing to.
 */
public final class SchemaDdl {

    /** The node catalog table, shared by every writer table in the database. */
    public static final String NODES_TABLE = "nodes";
    /** The exactly-once progress markers, shared by every writer table in the database. */
    public static final String PROGRESS_TABLE = "opcscraper_progress";
    /** Batches committed beyond a writer's marker while other batches were still in flight. */
    public static final String RANGES_TABLE = "opcscraper_progress_ranges";

    /** The tables every writer table in the database shares: no writer table may take their names. */
    public static final Set<String> SHARED_TABLES = Set.of(NODES_TABLE, PROGRESS_TABLE, RANGES_TABLE);

    private static final Pattern TABLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,39}");

    /**
     * The relations (views, indexes) the writer derives from a table name, group 1 the table:
     * a writer table of that name would collide with another writer table's objects.
     */
    private static final List<Pattern> DERIVED_RELATIONS = List.of(
            Pattern.compile("rolling_avg_([a-z_][a-z0-9_]*)1m"),
            Pattern.compile("rolling_avg_([a-z_][a-z0-9_]*)_5s"),
            Pattern.compile("rolling_count_([a-z_][a-z0-9_]*)_5s"),
            Pattern.compile("([a-z_][a-z0-9_]*)_nodeid_timestamp_idx"),
            Pattern.compile("([a-z_][a-z0-9_]*)_timestamp_idx"));

    /** Origin of the plain-PostgreSQL buckets (any whole minute gives time_bucket's buckets). */
    private static final String DATE_BIN_ORIGIN = "timestamptz '2000-01-01 00:00:00+00'";

    private SchemaDdl() {
    }

    // ---------------------------------------------------------------- names

    /**
     * {@code table} if it is a valid writer table name, else an {@link IllegalArgumentException}
     * naming it: 1 to 40 characters of {@code a-z}, {@code 0-9} and {@code _}, not starting with a
     * digit, and not {@linkplain #reservedTableName reserved}.
     */
    public static String requireValidTable(String table) {
        if (table == null) {
            throw new IllegalArgumentException("table name is missing (null)");
        }
        String reserved = reservedTableName(table);
        if (reserved != null) {
            throw new IllegalArgumentException("invalid table name " + printable(table) + ": " + reserved);
        }
        if (!TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("invalid table name " + printable(table)
                    + ": must be 1 to 40 characters of a-z, 0-9 and _, not starting with a digit");
        }
        return table;
    }

    /**
     * Why {@code table} (compared in lower case) cannot be a writer table although it may have
     * the right form, or {@code null}: the name of a table every writer table shares
     * ({@value #NODES_TABLE}, {@value #PROGRESS_TABLE}, {@value #RANGES_TABLE}), or of a view or
     * an index the writer derives from another table's name ({@code rolling_avg_<t>1m},
     * {@code rolling_avg_<t>_5s}, {@code rolling_count_<t>_5s}, {@code <t>_timestamp_idx},
     * {@code <t>_nodeid_timestamp_idx}), since tables, views and indexes share one namespace.
     * The form itself ({@code [a-z_][a-z0-9_]{0,39}}) is checked separately.
     */
    public static String reservedTableName(String table) {
        String name = table.trim().toLowerCase(Locale.ROOT);
        if (SHARED_TABLES.contains(name)) {
            return "is reserved: the writer's shared tables are " + NODES_TABLE + ", " + PROGRESS_TABLE + " and "
                    + RANGES_TABLE;
        }
        for (Pattern derived : DERIVED_RELATIONS) {
            Matcher m = derived.matcher(name);
            if (m.matches() && TABLE_NAME.matcher(m.group(1)).matches()) {
                return "is reserved: the writer gives that name to a view or index of table " + m.group(1);
            }
        }
        return null;
    }

    /** {@code identifier} as a double-quoted SQL identifier. */
    public static String quote(String identifier) {
        Objects.requireNonNull(identifier, "identifier");
        if (identifier.isEmpty() || identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not an SQL identifier: " + printable(identifier));
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** The 1-minute average aggregate: {@code rolling_avg_<table>1m}. */
    public static String avg1mView(String table) {
        return "rolling_avg_" + requireValidTable(table) + "1m";
    }

    /** The 5-second average aggregate: {@code rolling_avg_<table>_5s}. */
    public static String avg5sView(String table) {
        return "rolling_avg_" + requireValidTable(table) + "_5s";
    }

    /** The 5-second sample-count aggregate: {@code rolling_count_<table>_5s}. */
    public static String count5sView(String table) {
        return "rolling_count_" + requireValidTable(table) + "_5s";
    }

    /** The three aggregates: 1-minute average, 5-second average, 5-second count. */
    public static List<String> aggregateNames(String table) {
        return List.of(avg1mView(table), avg5sView(table), count5sView(table));
    }

    /** The row-cap procedure {@code limit_<table>_rows(max_rows bigint)}. */
    public static String rowCapProcedure(String table) {
        return "limit_" + requireValidTable(table) + "_rows";
    }

    /** The community edition's job procedure {@code limit_<table>_rows_job(job_id int, config jsonb)}. */
    public static String rowCapJobProcedure(String table) {
        return rowCapProcedure(table) + "_job";
    }

    /** The index on ("timestamp" DESC) (the row cap's cutoff and chunk exclusion use it). */
    public static String timeIndex(String table) {
        return requireValidTable(table) + "_timestamp_idx";
    }

    /** The index on (nodeid, "timestamp" DESC). */
    public static String nodeTimeIndex(String table) {
        return requireValidTable(table) + "_nodeid_timestamp_idx";
    }

    /** The advisory-lock key of provisioning {@code table}: derived from {@code "opcscraper:" + table}. */
    public static long lockKey(String table) {
        return key("opcscraper:" + requireValidTable(table));
    }

    /** The advisory-lock key of the objects every writer table shares (extension, nodes, progress). */
    public static long sharedLockKey() {
        return key("opcscraper:*shared*"); // '*' cannot occur in a table name
    }

    /** The first 8 bytes of SHA-256 of {@code text} (UTF-8), big-endian: the same in every JVM. */
    private static long key(String text) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            long k = 0;
            for (int i = 0; i < 8; i++) {
                k = (k << 8) | (d[i] & 0xff);
            }
            return k;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    // ---------------------------------------------------------------- DDL

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

        out.add("CREATE TABLE IF NOT EXISTS " + quote(NODES_TABLE) + " (\n"
                + "    nodeid text NOT NULL,\n"
                + "    clientid text NOT NULL,\n"
                + "    browse_path text,\n"
                + "    sensorname text,\n"
                + "    tagname text,\n"
                + "    data_type text,\n"
                + "    engineering_unit text,\n"
                + "    first_seen timestamptz NOT NULL,\n"
                + "    last_seen timestamptz NOT NULL,\n"
                + "    PRIMARY KEY (clientid, nodeid)\n"
                + ")");
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

        out.add(rowCapProcedureDdl(edition, table));
        if (edition.databaseSchedulesJobs()) {
            out.add(rowCapJobProcedureDdl(table));
            out.add(rowCapJobDdl(table, settings));
        }

        if (settings.aggregates()) {
            out.addAll(aggregateDdl(edition, table, settings));
        }

        if (edition.databaseSchedulesJobs()) {
            out.add(retentionPolicyDdl(table, settings.retentionDays()));
        }
        return List.copyOf(out);
    }

    /**
     * {@code limit_<table>_rows(max_rows bigint)}: keeps the newest {@code max_rows} rows.
     *
     * <p>The cutoff is the "timestamp" of the {@code max_rows}-th newest row ({@code ORDER BY
     * "timestamp" DESC OFFSET max_rows - 1}, served by the time index; the query also reads the
     * next older row, to know whether there is anything to delete and whether it shares the
     * cutoff timestamp). Whole chunks older than the cutoff go with {@code drop_chunks}
     * (hypertables only: cheap, no dead rows), the rest of the older rows with a DELETE.
     *
     * <p>Tie rule: when more rows than fit share the cutoff timestamp, those with the highest
     * {@code id} (inserted last) are kept and the others deleted, so exactly {@code max_rows}
     * rows remain (rows written concurrently aside). Only then are the newer rows counted (an
     * index scan of fewer than {@code max_rows} entries). {@code max_rows <= 0} or NULL: no cap.
     */
    private static String rowCapProcedureDdl(Edition edition, String table) {
        String t = quote(table);
        StringBuilder sb = new StringBuilder();
        sb.append("CREATE OR REPLACE PROCEDURE ").append(quote(rowCapProcedure(table))).append("(max_rows bigint)\n")
                .append("LANGUAGE plpgsql\nAS $body$\n")
                .append("DECLARE\n")
                .append("    cutoff timestamptz;\n")
                .append("    next_older timestamptz;\n")
                .append("    edge_rows integer;\n")
                .append("    newer bigint;\n")
                .append("BEGIN\n")
                .append("    IF max_rows IS NULL OR max_rows <= 0 THEN\n")
                .append("        RETURN;\n")
                .append("    END IF;\n")
                .append("    SELECT max(e.\"timestamp\"), min(e.\"timestamp\"), count(*) INTO cutoff, next_older, edge_rows\n")
                .append("        FROM (SELECT \"timestamp\" FROM ").append(t)
                .append(" ORDER BY \"timestamp\" DESC OFFSET max_rows - 1 LIMIT 2) AS e;\n")
                .append("    IF edge_rows < 2 THEN\n")
                .append("        RETURN; -- at most max_rows rows\n")
                .append("    END IF;\n");
        if (edition.hypertables()) {
            sb.append("    PERFORM drop_chunks(").append(regclass(table)).append(", older_than => cutoff);\n");
        }
        sb.append("    DELETE FROM ").append(t).append(" WHERE \"timestamp\" < cutoff;\n")
                .append("    IF next_older = cutoff THEN\n")
                .append("        -- More rows share the cutoff timestamp than fit: keep the highest ids.\n")
                .append("        SELECT count(*) INTO newer FROM ").append(t).append(" WHERE \"timestamp\" > cutoff;\n")
                .append("        DELETE FROM ").append(t).append(" WHERE \"timestamp\" = cutoff AND id < (\n")
                .append("            SELECT id FROM ").append(t).append(" WHERE \"timestamp\" = cutoff\n")
                .append("            ORDER BY id DESC OFFSET max_rows - newer - 1 LIMIT 1);\n")
                .append("    END IF;\n")
                .append("END\n$body$");
        return sb.toString();
    }

    /** The job procedure: a TimescaleDB job calls (job_id int, config jsonb). */
    private static String rowCapJobProcedureDdl(String table) {
        return "CREATE OR REPLACE PROCEDURE " + quote(rowCapJobProcedure(table)) + "(job_id integer, config jsonb)\n"
                + "LANGUAGE plpgsql\nAS $body$\n"
                + "BEGIN\n"
                + "    CALL " + quote(rowCapProcedure(table)) + "((config ->> 'max_rows')::bigint);\n"
                + "END\n$body$";
    }

    /**
     * Adds the row-cap job once (looked up by its procedure in timescaledb_information.jobs),
     * updates its schedule and config when they changed, deletes duplicates, and deletes it when
     * the cap is off.
     */
    private static String rowCapJobDdl(String table, SchemaSettings s) {
        String proc = rowCapJobProcedure(table);
        String jobs = "SELECT job_id, schedule_interval, config FROM timescaledb_information.jobs\n"
                + "            WHERE proc_schema = current_schema() AND proc_name = " + literal(proc) + " ORDER BY job_id";
        if (s.maxRows() <= 0) {
            return "DO $$\n"
                    + "DECLARE\n"
                    + "    j record;\n"
                    + "BEGIN\n"
                    + "    FOR j IN " + jobs + " LOOP\n"
                    + "        PERFORM delete_job(j.job_id); -- no row cap\n"
                    + "    END LOOP;\n"
                    + "END $$";
        }
        String every = "interval '" + s.rowCapIntervalS() + " seconds'";
        return "DO $$\n"
                + "DECLARE\n"
                + "    j record;\n"
                + "    kept boolean := false;\n"
                + "    want jsonb := jsonb_build_object('max_rows', " + s.maxRows() + "::bigint);\n"
                + "BEGIN\n"
                + "    FOR j IN " + jobs + " LOOP\n"
                + "        IF kept THEN\n"
                + "            PERFORM delete_job(j.job_id); -- a duplicate\n"
                + "        ELSE\n"
                + "            kept := true;\n"
                + "            IF j.schedule_interval IS DISTINCT FROM " + every
                + " OR j.config IS DISTINCT FROM want THEN\n"
                + "                PERFORM alter_job(j.job_id, schedule_interval => " + every + ", config => want);\n"
                + "            END IF;\n"
                + "        END IF;\n"
                + "    END LOOP;\n"
                + "    IF NOT kept THEN\n"
                + "        PERFORM add_job(" + literal(quote(proc)) + "::regproc, " + every + ", config => want);\n"
                + "    END IF;\n"
                + "END $$";
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

    // ---------------------------------------------------------------- the writer's statements

    /**
     * {@code CALL limit_<table>_rows(?)}: the row cap, run by the writer on the Apache edition and
     * plain PostgreSQL. Parameter 1: max_rows (bigint).
     */
    public static String rowCapCall(String table) {
        return "CALL " + quote(rowCapProcedure(table)) + "(?::bigint)";
    }

    /**
     * Retention by age run by the writer, each statement with one parameter: the cutoff
     * (timestamptz, e.g. an {@link java.time.OffsetDateTime} now minus retention days). Apache
     * edition: {@code drop_chunks} (whole chunks older than the cutoff, as add_retention_policy
     * does); plain PostgreSQL: a DELETE; community edition: none (add_retention_policy).
     */
    public static List<String> retentionStatements(Edition edition, String table) {
        Objects.requireNonNull(edition, "edition");
        String t = quote(requireValidTable(table));
        switch (edition) {
            case COMMUNITY:
                return List.of();
            case APACHE:
                return List.of("SELECT drop_chunks(" + regclass(table) + ", older_than => ?::timestamptz)");
            case POSTGRESQL:
                return List.of("DELETE FROM " + t + " WHERE \"timestamp\" < ?::timestamptz");
            default:
                throw new IllegalArgumentException("unknown edition " + edition);
        }
    }

    /**
     * Upserts one catalog entry. Parameters: 1 nodeid, 2 clientid, 3 browse_path, 4 sensorname,
     * 5 tagname, 6 data_type, 7 engineering_unit (text), 8 seen (timestamptz: first_seen of a new
     * row, last_seen always; last_seen never moves back).
     */
    public static String upsertNode() {
        String n = quote(NODES_TABLE);
        return "INSERT INTO " + n + " AS n (nodeid, clientid, browse_path, sensorname, tagname, data_type,"
                + " engineering_unit, first_seen, last_seen)\n"
                + "SELECT v.nodeid, v.clientid, v.browse_path, v.sensorname, v.tagname, v.data_type,"
                + " v.engineering_unit, v.seen, v.seen\n"
                + "FROM (VALUES (?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::timestamptz))\n"
                + "    AS v(nodeid, clientid, browse_path, sensorname, tagname, data_type, engineering_unit, seen)\n"
                + "ON CONFLICT (clientid, nodeid) DO UPDATE SET\n"
                + "    browse_path = excluded.browse_path, sensorname = excluded.sensorname,"
                + " tagname = excluded.tagname,\n"
                + "    data_type = excluded.data_type, engineering_unit = excluded.engineering_unit,\n"
                + "    last_seen = GREATEST(n.last_seen, excluded.last_seen)";
    }

    /**
     * Moves a writer's progress marker forward (never back); run in the transaction of the batch
     * it marks. Parameters: 1 writer_id, 2 table_name (text), 3 last_sequence (bigint). Update
     * count 1 when the marker moved (or was created), 0 when it was already at or past it.
     */
    public static String advanceProgress() {
        String p = quote(PROGRESS_TABLE);
        return "INSERT INTO " + p + " (writer_id, table_name, last_sequence, updated_at)\n"
                + "VALUES (?, ?, ?, now())\n"
                + "ON CONFLICT (writer_id) DO UPDATE SET last_sequence = excluded.last_sequence, updated_at = now()\n"
                + "WHERE " + p + ".last_sequence < excluded.last_sequence";
    }

    /** A writer's last committed sequence. Parameter 1: writer_id. No row: nothing committed yet. */
    public static String readProgress() {
        return "SELECT last_sequence, table_name, updated_at FROM " + quote(PROGRESS_TABLE) + " WHERE writer_id = ?";
    }

    /**
     * Records a batch committed beyond the marker, in the batch's transaction. Parameters:
     * 1 writer_id, 2 first_sequence, 3 last_sequence.
     */
    public static String insertRange() {
        return "INSERT INTO " + quote(RANGES_TABLE) + " (writer_id, first_sequence, last_sequence) VALUES (?, ?, ?)";
    }

    /**
     * How many committed sequences of a writer (its marker or a recorded range) overlap a batch.
     * Parameters: 1 writer_id, 2 first_sequence, 3 writer_id, 4 last_sequence, 5 first_sequence.
     */
    public static String countCommittedOverlap() {
        return "SELECT (SELECT count(*) FROM " + quote(PROGRESS_TABLE) + " WHERE writer_id = ? AND last_sequence >= ?)"
                + " + (SELECT count(*) FROM " + quote(RANGES_TABLE)
                + " WHERE writer_id = ? AND first_sequence <= ? AND last_sequence >= ?)";
    }

    /** A writer's recorded ranges, in order. Parameter 1: writer_id. */
    public static String readRanges() {
        return "SELECT first_sequence, last_sequence FROM " + quote(RANGES_TABLE)
                + " WHERE writer_id = ? ORDER BY first_sequence";
    }

    /** Forgets the ranges the marker now covers. Parameters: 1 writer_id, 2 the marker. */
    public static String deleteRangesUpTo() {
        return "DELETE FROM " + quote(RANGES_TABLE) + " WHERE writer_id = ? AND last_sequence <= ?";
    }

    // ---------------------------------------------------------------- helpers

    /** A string literal of a validated name (no quote, no backslash: nothing to escape). */
    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** The regclass argument of a TimescaleDB function: {@code '"name"'}. */
    private static String regclass(String name) {
        return literal(quote(name));
    }

    /** {@code s} quoted for a message, control characters escaped and overlong input cut. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder("\"");
        int n = Math.min(s.length(), 100);
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                sb.append(String.format("\\u%04x", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        if (s.length() > n) {
            sb.append("...(").append(s.length()).append(" characters)");
        }
        return sb.append('"').toString();
    }
}
