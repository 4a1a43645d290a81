package io.opcscraper.timescale.internal.catalog;

import static io.opcscraper.timescale.internal.schema.TableNames.NODES_TABLE;
import static io.opcscraper.timescale.internal.schema.TableNames.quote;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.opcscraper.api.CatalogNode;
import io.opcscraper.timescale.internal.db.Jdbc;

/**
 * Keeps the latest catalog of each client (any thread offers it) until the writer's thread has
 * upserted it into the shared {@code nodes} table: one transaction per client, values bound.
 * A catalog that fails stays pending and is written at the next connect; a newer one replaces it.
 */
public final class CatalogWriter {

    /**
     * Upserts one catalog entry. Parameters: 1 nodeid, 2 clientid, 3 browse_path, 4 sensorname,
     * 5 tagname, 6 data_type, 7 engineering_unit (text), 8 seen (timestamptz: first_seen of a new
     * row, last_seen always; last_seen never moves back).
     */
    public static final String UPSERT = "INSERT INTO " + quote(NODES_TABLE)
            + " AS n (nodeid, clientid, browse_path, sensorname, tagname, data_type,"
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

    private final Map<String, List<CatalogNode>> pending = new ConcurrentHashMap<>();

    /** The latest catalog of a client, to be written (any thread). */
    public void offer(String clientId, List<CatalogNode> nodes) {
        this.pending.put(clientId, List.copyOf(nodes));
    }

    /** Upserts what is pending on {@code c} (auto-commit off). */
    public void flush(Connection c) throws SQLException {
        for (String clientId : List.copyOf(this.pending.keySet())) {
            List<CatalogNode> nodes = this.pending.get(clientId);
            Timestamp seen = Timestamp.from(Instant.now());
            try (PreparedStatement upsert = c.prepareStatement(UPSERT)) {
                for (CatalogNode node : nodes) {
                    upsert.setString(1, node.nodeId());
                    upsert.setString(2, clientId);
                    upsert.setString(3, node.browsePath());
                    upsert.setString(4, node.sensorName());
                    upsert.setString(5, node.tagName());
                    upsert.setString(6, node.dataType());
                    upsert.setString(7, node.engineeringUnit());
                    upsert.setTimestamp(8, seen);
                    upsert.addBatch();
                }
                upsert.executeBatch();
                c.commit();
            } catch (SQLException e) {
                Jdbc.rollbackQuietly(c);
                throw e;
            }
            this.pending.remove(clientId, nodes);
        }
    }
}
