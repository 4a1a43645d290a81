package io.opcscraper.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gateway's configuration for one run, as an OSGi Configurator JSON file (the launcher's format):
 * Connection -> Discovery -> Poller -> Writer. Discovery is restricted to the plant's sensor variables
 * (Temperature, Pressure, Running, Count: all numeric, one sample per value), so every value the
 * simulator serves to the poller maps to exactly one row. Instance names carry the prefix
 * {@code bench-} so this gateway's database sessions ({@code application_name}) are told apart from
 * other gateways on the same database; the spool has its own directory per run.
 */
final class GatewayConfig {

    static final String WRITER = "bench-writer";
    static final String CONNECTION = "bench-connection";
    static final String DISCOVERY = "bench-discovery";
    static final String POLLER = "bench-poller";
    /** Browse only the plant folder; the globs match browse paths below it. */
    static final String BROWSE_ROOT = "nsu=urn:opcscraper:simulator:plant;s=Plant";
    static final String SENSOR_VARIABLES = "Line*/Machine*/Sensor*/*";
    /** What discovery collects: a browse root and the globs below it. */
    record Selection(String browseRoot, String include) {
    }

    /** The plant's sensor variables: scalars, one row per value. */
    static final Selection PLANT_SENSORS = new Selection(BROWSE_ROOT, SENSOR_VARIABLES);
    /** The simulator's Block variables ({@code --structure-blocks}): structures of five Doubles, five rows per value. */
    static final Selection STRUCTURE_BLOCKS = new Selection("nsu=urn:opcscraper:simulator:plant;s=Structures",
        "Blocks/Group*/Block*");

    /** The environment variable the gateway's configuration takes the database password from. */
    static final String PASSWORD_ENV = "OPCSCRAPER_BENCH_DB_PASSWORD";

    private GatewayConfig() {
    }

    /**
     * @param clientId the {@code clientid} of every row (and of the run's {@code nodes} rows); null: the
     *        Connection's default, {@code <gateway>/<instance>} (a fleet's gateways, one template)
     * @param spoolDir absolute path of this run's spool directory
     */
    static String json(RunSpec run, String endpointUrl, Database.Settings db, String table, String clientId,
                       String spoolDir) {
        return json(run, endpointUrl, db, table, clientId, spoolDir, PLANT_SENSORS);
    }

    static String json(RunSpec run, String endpointUrl, Database.Settings db, String table, String clientId,
                       String spoolDir, Selection selection) {
        return json(run, endpointUrl, db, table, clientId, spoolDir, selection, Map.of());
    }

    /** @param poller more Integer properties of the Poller (e.g. history.requests.in.flight), by name */
    static String json(RunSpec run, String endpointUrl, Database.Settings db, String table, String clientId,
                       String spoolDir, Selection selection, Map<String, Integer> poller) {
        Map<String, Map<String, Object>> instances = new LinkedHashMap<>();
        Map<String, Object> connection = ordered(
            "endpoint.url", endpointUrl,
            "security.policy", "None",
            "security.mode", "None",
            "trust.all.servers", true);
        if (clientId != null) {
            connection.put("client.id", clientId);
        }
        instances.put("io.opcscraper.opcua.Connection~" + CONNECTION, connection);
        instances.put("io.opcscraper.opcua.Discovery~" + DISCOVERY, ordered(
            "connection.target", "(kura.service.pid=" + CONNECTION + ")",
            "browse.roots", selection.browseRoot(),
            "include.patterns", selection.include(),
            "max.nodes", Math.max(100_000, run.tags())));
        instances.put("io.opcscraper.timescale.Writer~" + WRITER, ordered(
            "jdbc.url", db.url(),
            "db.user", db.user(),
            // From the environment (GatewayProcess sets it), never in the file.
            "db.password", "$[env:" + PASSWORD_ENV + "]",
            "table.name", table,
            // Every row stays: the bench counts them (the default cap would delete rows during the run).
            "max.rows", 0,
            "spool.dir", spoolDir));
        if (run.spoolMode() != null) {
            instances.get("io.opcscraper.timescale.Writer~" + WRITER).put("spool.mode", run.spoolMode());
        }
        instances.put("io.opcscraper.opcua.Poller~" + POLLER, ordered(
            "discovery.target", "(kura.service.pid=" + DISCOVERY + ")",
            "writer.target", "(kura.service.pid=" + WRITER + ")",
            "mode", run.mode(),
            "interval.ms:Integer", run.intervalMs()));
        poller.forEach((name, value) -> instances.get("io.opcscraper.opcua.Poller~" + POLLER).put(name + ":Integer", value));

        StringBuilder json = new StringBuilder("{\n  \":configurator:resource-version\": 1");
        instances.forEach((key, properties) -> {
            json.append(",\n  ").append(quote(key)).append(": {");
            String separator = "\n    ";
            for (Map.Entry<String, Object> p : properties.entrySet()) {
                json.append(separator).append(quote(p.getKey())).append(": ").append(value(p.getValue()));
                separator = ",\n    ";
            }
            json.append("\n  }");
        });
        return json.append("\n}\n").toString();
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String value(Object value) {
        return value instanceof String s ? quote(s) : String.valueOf(value);
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
