package io.opcscraper.timescale.internal.maintenance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.timescale.internal.schema.Edition;
import io.opcscraper.timescale.internal.schema.TableNames;

/**
 * Removes the rows older than {@code retention.days} where the writer runs retention itself: whole
 * chunks with {@code drop_chunks} on a hypertable (the granularity of add_retention_policy), a
 * DELETE on plain PostgreSQL. The cutoff is bound, never formatted into the SQL. One INFO line when
 * something went.
 */
public final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private Retention() {
    }

    /**
     * The statements, each with one parameter: the cutoff (timestamptz). A hypertable (Apache or
     * community edition: on the community edition the writer runs it only while the retention
     * policy's job is unhealthy): {@code drop_chunks}; plain PostgreSQL: a DELETE.
     */
    public static List<String> statements(Edition edition, String table) {
        Objects.requireNonNull(edition, "edition");
        String t = TableNames.quote(TableNames.requireValidTable(table));
        switch (edition) {
            case COMMUNITY:
            case APACHE:
                return List.of("SELECT drop_chunks(" + TableNames.regclass(table) + ", older_than => ?::timestamptz)");
            case POSTGRESQL:
                return List.of("DELETE FROM " + t + " WHERE \"timestamp\" < ?::timestamptz");
            default:
                throw new IllegalArgumentException("unknown edition " + edition);
        }
    }

    /** Runs retention of {@code days} on {@code c} (auto-commit on). */
    static void run(String name, Connection c, Edition edition, String table, int days) throws SQLException {
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minusDays(days);
        String age = days + (days == 1 ? " day" : " days");
        for (String sql : statements(edition, table)) {
            try (PreparedStatement remove = c.prepareStatement(sql)) {
                remove.setObject(1, cutoff);
                String removed = remove.execute() ? droppedChunks(remove) : deletedRows(remove);
                Object shown = cutoff.truncatedTo(ChronoUnit.SECONDS);
                if (removed != null) {
                    LOG.info("{}: retention ({}): {} of table \"{}\" older than {}", name, age, removed, table, shown);
                } else {
                    LOG.debug("{}: retention ({}): nothing in table \"{}\" older than {}", name, age, table, shown);
                }
            }
        }
    }

    /** drop_chunks: one row per chunk dropped. */
    private static String droppedChunks(PreparedStatement remove) throws SQLException {
        List<String> chunks = new ArrayList<>();
        try (ResultSet result = remove.getResultSet()) {
            while (result.next()) {
                chunks.add(result.getString(1));
            }
        }
        return chunks.isEmpty() ? null
                : "dropped " + chunks.size() + (chunks.size() == 1 ? " chunk" : " chunks") + " ("
                        + String.join(", ", chunks.subList(0, Math.min(3, chunks.size())))
                        + (chunks.size() > 3 ? ", ..." : "") + ")";
    }

    private static String deletedRows(PreparedStatement remove) throws SQLException {
        long rows = remove.getLargeUpdateCount();
        return rows <= 0 ? null : "deleted " + rows + (rows == 1 ? " row" : " rows");
    }
}
