package io.opcscraper.timescale.internal.stored;

import static io.opcscraper.timescale.internal.schema.TableNames.quote;
import static io.opcscraper.timescale.internal.schema.TableNames.requireValidTable;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.opcscraper.api.NodeTime;
import io.opcscraper.timescale.internal.batch.BinaryCopyEncoder;

/**
 * For each node of one client, the newest {@code "timestamp"} the table holds before the node's
 * time: one statement for a whole request, each node one probe of the index (nodeid, "timestamp"
 * DESC), newest first, stopping at the first row (on a hypertable the chunks are visited newest
 * first and those after the node's time are excluded). Values bound, the table name checked and
 * quoted. Times are compared in microseconds, the table's precision: a node's time is truncated
 * toward the past like the row's.
 */
public final class LastStoredQuery {

    /** Parameters: 1 clientid, 2 nodeid text[], 3 the nodes' times as microseconds since the epoch, bigint[]. */
    static String sql(String table) {
        return "SELECT q.nodeid, (SELECT (extract(epoch FROM s.\"timestamp\") * 1000000)::bigint FROM "
                + quote(requireValidTable(table)) + " s\n"
                + "    WHERE s.nodeid = q.nodeid AND s.clientid = ?\n"
                + "      AND s.\"timestamp\" < timestamptz 'epoch' + q.before_us * interval '1 microsecond'\n"
                + "    ORDER BY s.\"timestamp\" DESC LIMIT 1)\n"
                + "FROM unnest(?::text[], ?::bigint[]) AS q(nodeid, before_us)";
    }

    private static final int TIMEOUT_S = 60;

    private LastStoredQuery() {
    }

    /** Runs the query on {@code c}; nodes with no row before their time are absent from the answer. */
    public static Map<String, Instant> newestBefore(Connection c, String table, String clientId, List<NodeTime> nodes)
            throws SQLException {
        String[] ids = new String[nodes.size()];
        Long[] before = new Long[nodes.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = nodes.get(i).nodeId();
            before[i] = BinaryCopyEncoder.micros(nodes.get(i).time());
        }
        Map<String, Instant> newest = new HashMap<>();
        try (PreparedStatement query = c.prepareStatement(sql(table))) {
            query.setQueryTimeout(TIMEOUT_S);
            Array idArray = c.createArrayOf("text", ids);
            Array beforeArray = c.createArrayOf("bigint", before);
            query.setString(1, clientId);
            query.setArray(2, idArray);
            query.setArray(3, beforeArray);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    long micros = rows.getLong(2);
                    if (!rows.wasNull()) {
                        newest.put(rows.getString(1), Instant.EPOCH.plus(micros, ChronoUnit.MICROS));
                    }
                }
            }
            idArray.free();
            beforeArray.free();
        }
        return newest;
    }
}
