package io.opcscraper.timescale.internal.schema;

import static io.opcscraper.timescale.internal.schema.TableNames.clientRowCapLockSpace;
import static io.opcscraper.timescale.internal.schema.TableNames.literal;
import static io.opcscraper.timescale.internal.schema.TableNames.quote;
import static io.opcscraper.timescale.internal.schema.TableNames.regclass;
import static io.opcscraper.timescale.internal.schema.TableNames.rowCapJobProcedure;
import static io.opcscraper.timescale.internal.schema.TableNames.rowCapLockKey;
import static io.opcscraper.timescale.internal.schema.TableNames.rowCapProcedure;

import java.util.ArrayList;
import java.util.List;

/**
 * The row cap's DDL, part of {@link SchemaDdl#statements}: the procedures
 * {@code limit_<table>_rows(max_rows)} (the table keeps its newest max_rows rows) and
 * {@code limit_<table>_rows(max_rows, client)} (one clientid keeps its newest max_rows rows), on
 * every edition, and on the community edition the job procedure {@code limit_<table>_rows_job} and
 * the table-wide job. Pure: no connection, no state. The per-clientid jobs are added by the writer
 * as it meets clientids ({@code maintenance.ClientRowCapJobs}); see {@code docs/schema.md}.
 */
final class RowCapDdl {

    private RowCapDdl() {
    }

    /** The row cap's statements for {@code table} on {@code edition}, in order. */
    static List<String> statements(Edition edition, String table, SchemaSettings settings) {
        List<String> out = new ArrayList<>();
        out.add(rowCapProcedureDdl(edition, table));
        out.add(clientRowCapProcedureDdl(table));
        if (edition.databaseSchedulesJobs()) {
            out.add(rowCapJobProcedureDdl(table));
            out.add(rowCapJobDdl(table, settings));
        }
        return out;
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
     *
     * <p>Several gateways may call it at once (the writers on the Apache edition and plain
     * PostgreSQL, the job on the community edition): it takes {@link TableNames#rowCapLockKey} for its
     * transaction, so the runs on one table follow each other (a second one finds the cap kept) and
     * none runs beside a per-clientid cap ({@link #clientRowCapProcedureDdl}).
     */
    static String rowCapProcedureDdl(Edition edition, String table) {
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
                .append("    PERFORM pg_advisory_xact_lock(").append(rowCapLockKey(table)).append("); -- one cap of the table at a time\n")
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

    /**
     * {@code limit_<table>_rows(max_rows bigint, client text)}: the clientid {@code client} keeps its
     * newest {@code max_rows} rows (row cap scope {@code clientid}); the other clients' rows are not
     * touched. Same cutoff and tie rule as the table-wide cap, over that clientid's rows (served by
     * {@link TableNames#clientIdTimeIndex} where a writer of that scope created it), but a DELETE
     * only, never {@code drop_chunks}: a chunk holds every client's rows of its time range, and
     * dropping it would take other gateways' newer-than-their-cutoff rows with it.
     *
     * <p>Concurrency: it shares {@link TableNames#rowCapLockKey} (no table-wide cap runs meanwhile)
     * and takes the two-key lock ({@link TableNames#clientRowCapLockSpace}, {@code hashtext(client)})
     * for its transaction: the caps of one clientid follow each other, those of different
     * clientids (several gateways, each capping its own) run side by side and delete disjoint rows.
     */
    private static String clientRowCapProcedureDdl(String table) {
        String t = quote(table);
        String mine = " WHERE clientid = client";
        return "CREATE OR REPLACE PROCEDURE " + quote(rowCapProcedure(table)) + "(max_rows bigint, client text)\n"
                + "LANGUAGE plpgsql\nAS $body$\n"
                + "DECLARE\n"
                + "    cutoff timestamptz;\n"
                + "    next_older timestamptz;\n"
                + "    edge_rows integer;\n"
                + "    newer bigint;\n"
                + "BEGIN\n"
                + "    IF max_rows IS NULL OR max_rows <= 0 OR client IS NULL THEN\n"
                + "        RETURN;\n"
                + "    END IF;\n"
                + "    PERFORM pg_advisory_xact_lock_shared(" + rowCapLockKey(table) + "); -- no table-wide cap meanwhile\n"
                + "    PERFORM pg_advisory_xact_lock(" + clientRowCapLockSpace(table)
                + ", hashtext(client)); -- one cap of this clientid at a time\n"
                + "    SELECT max(e.\"timestamp\"), min(e.\"timestamp\"), count(*) INTO cutoff, next_older, edge_rows\n"
                + "        FROM (SELECT \"timestamp\" FROM " + t + mine
                + " ORDER BY \"timestamp\" DESC OFFSET max_rows - 1 LIMIT 2) AS e;\n"
                + "    IF edge_rows < 2 THEN\n"
                + "        RETURN; -- at most max_rows rows of this clientid\n"
                + "    END IF;\n"
                + "    DELETE FROM " + t + mine + " AND \"timestamp\" < cutoff;\n"
                + "    IF next_older = cutoff THEN\n"
                + "        -- More of its rows share the cutoff timestamp than fit: keep the highest ids.\n"
                + "        SELECT count(*) INTO newer FROM " + t + mine + " AND \"timestamp\" > cutoff;\n"
                + "        DELETE FROM " + t + mine + " AND \"timestamp\" = cutoff AND id < (\n"
                + "            SELECT id FROM " + t + mine + " AND \"timestamp\" = cutoff\n"
                + "            ORDER BY id DESC OFFSET max_rows - newer - 1 LIMIT 1);\n"
                + "    END IF;\n"
                + "END\n$body$";
    }

    /**
     * The job procedure: a TimescaleDB job calls (job_id int, config jsonb). A config with
     * {@code "scope": "clientid"} caps that config's {@code clientid}; any other the whole table.
     */
    private static String rowCapJobProcedureDdl(String table) {
        String cap = quote(rowCapProcedure(table));
        return "CREATE OR REPLACE PROCEDURE " + quote(rowCapJobProcedure(table)) + "(job_id integer, config jsonb)\n"
                + "LANGUAGE plpgsql\nAS $body$\n"
                + "BEGIN\n"
                + "    IF config ->> 'scope' = " + literal(RowCapScope.CLIENTID.id()) + " THEN\n"
                + "        CALL " + cap + "((config ->> 'max_rows')::bigint, config ->> 'clientid');\n"
                + "    ELSE\n"
                + "        CALL " + cap + "((config ->> 'max_rows')::bigint);\n"
                + "    END IF;\n"
                + "END\n$body$";
    }

    /**
     * The table-wide row-cap job: added once (looked up by its procedure in
     * timescaledb_information.jobs, among the jobs whose config has no {@code "scope": "clientid"}),
     * its schedule and config updated when they changed, duplicates deleted; deleted when the cap is
     * off or capped per clientid (a table-wide cap would cut every gateway's rows to max.rows in all).
     * The per-clientid jobs are the writer's to add as it meets clientids
     * ({@code maintenance.ClientRowCapJobs}): provisioning leaves them alone.
     */
    private static String rowCapJobDdl(String table, SchemaSettings s) {
        String proc = rowCapJobProcedure(table);
        String jobs = "SELECT job_id, schedule_interval, config FROM timescaledb_information.jobs\n"
                + "            WHERE proc_schema = current_schema() AND proc_name = " + literal(proc) + "\n"
                + "              AND (config ->> 'scope') IS DISTINCT FROM " + literal(RowCapScope.CLIENTID.id())
                + " ORDER BY job_id";
        if (s.maxRows() <= 0 || s.rowCapScope() == RowCapScope.CLIENTID) {
            return "DO $$\n"
                    + "DECLARE\n"
                    + "    j record;\n"
                    + "BEGIN\n"
                    + "    FOR j IN " + jobs + " LOOP\n"
                    + "        PERFORM delete_job(j.job_id); -- no table-wide row cap\n"
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
}
