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

import io.opcscraper.api.CatalogField;
import io.opcscraper.api.CatalogNode;
import io.opcscraper.timescale.internal.db.Jdbc;

/**
 * Keeps the latest catalog of each client (any thread offers it) until the writer's thread has
 * upserted it into the shared {@code nodes} table: one transaction per client, values bound. A
 * variable is one row ({@code field} empty); a structured one also has a row per leaf field, its
 * {@code tagname} the variable's plus the field's path (what the rows' tag names are, with
 * {@code []} where they carry an index). A catalog that fails stays pending and is written at the
 * next connect; a newer one replaces it.
 */
public final class CatalogWriter {

    /**
     * Upserts one catalog entry. Parameters: 1 nodeid, 2 clientid, 3 browse_path, 4 sensorname,
     * 5 tagname, 6 data_type, 7 engineering_unit (text), 8 seen (timestamptz: first_seen of a new
     * row, last_seen always; last_seen never moves back), 9 field (text: empty for the variable,
     * the leaf's path for a field of a structured value).
     */
    public static final String UPSERT = "INSERT INTO " + quote(NODES_TABLE)
            + " AS n (nodeid, clientid, field, browse_path, sensorname, tagname, data_type,"
            + " engineering_unit, first_seen, last_seen)\n"
            + "SELECT v.nodeid, v.clientid, v.field, v.browse_path, v.sensorname, v.tagname, v.data_type,"
            + " v.engineering_unit, v.seen, v.seen\n"
            + "FROM (VALUES (?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::timestamptz,"
            + " ?::text))\n"
            + "    AS v(nodeid, clientid, browse_path, sensorname, tagname, data_type, engineering_unit, seen, field)\n"
            + "ON CONFLICT (clientid, nodeid, field) DO UPDATE SET\n"
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
                    add(upsert, clientId, node, "", node.tagName(), node.dataType(), node.engineeringUnit(), seen);
                    for (CatalogField field : node.fields()) {
                        add(upsert, clientId, node, field.path(), (node.tagName() == null ? "" : node.tagName())
                                + field.path(), field.dataType(), field.engineeringUnit(), seen);
                    }
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

    private static void add(PreparedStatement upsert, String clientId, CatalogNode node, String field, String tagName,
            String dataType, String unit, Timestamp seen) throws SQLException {
        upsert.setString(1, node.nodeId());
        upsert.setString(2, clientId);
        upsert.setString(3, node.browsePath());
        upsert.setString(4, node.sensorName());
        upsert.setString(5, tagName);
        upsert.setString(6, dataType);
        upsert.setString(7, unit);
        upsert.setTimestamp(8, seen);
        upsert.setString(9, field);
        upsert.addBatch();
    }
}
