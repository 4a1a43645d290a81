package io.opcscraper.timescale.internal.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Shared by the schema tests: names, clean-up, catalog reads and what the aggregates must look like. */
final class DbSupport {

    /**
     * The columns (name and information_schema data_type, in order) every edition's aggregates
     * must have; the PGlite community check and the Apache / plain-PostgreSQL tests all compare
     * against these, so the three editions are identical.
     */
    static final List<String> AVG_COLUMNS = List.of("bucket timestamp with time zone", "clientid text",
            "nodeid text", "sensorname text", "tagname text", "avg_value double precision");
    static final List<String> COUNT_COLUMNS = List.of("bucket timestamp with time zone", "clientid text",
            "nodeid text", "sensorname text", "tagname text", "sample_count bigint");

    private DbSupport() {
    }

    /** A fresh table name: {@code <prefix>_<12 hex>} (valid, at most 40 characters). */
    static String uniqueTable(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    }

    /** The columns of a table or view in the current schema, as "name data_type". */
    static List<String> columns(Connection c, String relation) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name, data_type FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position")) {
            ps.setString(1, relation);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
        }
        return out;
    }

    /** Drops what provisioning {@code table} created (not the shared tables). */
    static void drop(Connection c, String table) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            for (String view : TableNames.aggregateNames(table)) {
                // a continuous aggregate is dropped as a materialized view, an ordinary one as a view
                st.execute("DO $$ BEGIN\n"
                        + "  IF EXISTS (SELECT 1 FROM pg_matviews WHERE schemaname = current_schema() AND matviewname = '"
                        + view + "') THEN DROP MATERIALIZED VIEW IF EXISTS \"" + view + "\" CASCADE;\n"
                        + "  ELSIF EXISTS (SELECT 1 FROM pg_views WHERE schemaname = current_schema() AND viewname = '"
                        + view + "') THEN DROP VIEW IF EXISTS \"" + view + "\" CASCADE;\n"
                        + "  END IF;\nEND $$");
            }
            st.execute("DROP TABLE IF EXISTS " + TableNames.quote(table) + " CASCADE");
            st.execute("DROP PROCEDURE IF EXISTS " + TableNames.quote(TableNames.rowCapProcedure(table)) + "(bigint)");
            st.execute("DROP PROCEDURE IF EXISTS " + TableNames.quote(TableNames.rowCapProcedure(table))
                    + "(bigint, text)");
            st.execute("DROP PROCEDURE IF EXISTS " + TableNames.quote(TableNames.rowCapJobProcedure(table))
                    + "(integer, jsonb)");
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** Binds parameters in order; a String[] becomes a text[] array. */
    private static void bind(Connection c, PreparedStatement ps, Object... params) throws SQLException {
        for (int k = 0; k < params.length; k++) {
            if (params[k] instanceof String[] array) {
                ps.setArray(k + 1, c.createArrayOf("text", array));
            } else {
                ps.setObject(k + 1, params[k]);
            }
        }
    }

    static long count(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(c, ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static boolean timescaleInstalled(Connection c) throws SQLException {
        return count(c, "SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'") > 0;
    }

    /**
     * What provisioning left in the catalog for {@code table}: relations and their kinds, column
     * lists, index, view and procedure definitions, and on TimescaleDB the hypertable dimension,
     * continuous aggregates and jobs. Equal before and after a second provisioning = it changed
     * nothing.
     */
    static List<String> fingerprint(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of(table, TableNames.NODES_TABLE, TableNames.PROGRESS_TABLE,
                TableNames.timeIndex(table), TableNames.nodeTimeIndex(table)));
        names.addAll(TableNames.aggregateNames(table));
        for (String name : names) {
            query(c, out, "SELECT 'rel ' || c.relname || ' ' || c.relkind::text || ' ' || "
                    + "coalesce(pg_get_indexdef(c.oid), '') || ' ' || "
                    + "CASE WHEN c.relkind = 'v' THEN pg_get_viewdef(c.oid) ELSE '' END "
                    + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "WHERE n.nspname = current_schema() AND c.relname = ?", name);
            for (String col : columns(c, name)) {
                out.add("col " + name + " " + col);
            }
        }
        for (String proc : List.of(TableNames.rowCapProcedure(table), TableNames.rowCapJobProcedure(table))) {
            query(c, out, "SELECT 'proc ' || p.proname || ' ' || pg_get_functiondef(p.oid) FROM pg_proc p "
                    + "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema() AND p.proname = ?"
                    + " ORDER BY 1", proc);
        }
        if (timescaleInstalled(c)) {
            query(c, out, "SELECT 'dim ' || hypertable_name || ' ' || column_name || ' ' || time_interval "
                    + "FROM timescaledb_information.dimensions WHERE hypertable_schema = current_schema() "
                    + "AND hypertable_name = ?", table);
            query(c, out, "SELECT 'job ' || job_id || ' ' || proc_name || ' ' || coalesce(hypertable_name, '') || ' '"
                    + " || schedule_interval || ' ' || coalesce(config::text, '') FROM timescaledb_information.jobs "
                    + "WHERE proc_name = ? OR hypertable_name = ANY (?) ORDER BY job_id",
                    TableNames.rowCapJobProcedure(table), names.toArray(new String[0]));
        }
        return out;
    }

    /** The first column of every row of {@code sql}. */
    static List<String> strings(Connection c, String sql, Object... params) throws SQLException {
        List<String> out = new ArrayList<>();
        query(c, out, sql, params);
        return out;
    }

    private static void query(Connection c, List<String> out, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(c, ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
    }
}
