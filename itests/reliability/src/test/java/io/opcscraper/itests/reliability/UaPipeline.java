package io.opcscraper.itests.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;

import io.opcscraper.itests.support.ChildProcess;
import io.opcscraper.itests.support.Gateway;
import io.opcscraper.itests.support.Repository;

/**
 * What the OPC UA restart, gateway kill and upgrade scenarios share: the plant simulator program
 * as a child process, the gateway's configuration (Connection -> Discovery of {@code Plant/Line*}
 * -> Poller subscribing at the simulator's rate -> Writer into a table of the test's own), and
 * the counting queries on the local TimescaleDB (or {@code TIMESCALE_URL}).
 */
final class UaPipeline {

    static final Repository REPO = Repository.fromModule();
    static final String WRITER = "timescale-writer";
    private static final Pattern READY = Pattern.compile("^simulator ready: (opc\\.tcp://\\S+) .*");

    private UaPipeline() {
    }

    /** A fresh work directory under target/reliability and a table name, both unique to this run. */
    static String unique(String prefix) {
        return prefix + "_" + Long.toString(System.currentTimeMillis(), 36) + Long.toString(System.nanoTime() % 1296, 36);
    }

    static Path work(String name) throws IOException {
        Path work = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath().resolve("target/reliability")
                .resolve(name);
        Files.createDirectories(work);
        return work;
    }

    // --- the plant simulator program ------------------------------------------------------------

    /** Starts the simulator on {@code port} and waits for its ready line; {@code n} numbers its output file. */
    static ChildProcess simulator(Path work, int port, int tags, int rateHz, int n) throws IOException {
        return simulator(work, port, tags, rateHz, n, 0);
    }

    /** The same, its sensor variables keeping {@code historySeconds} of history (0: none). */
    static ChildProcess simulator(Path work, int port, int tags, int rateHz, int n, int historySeconds)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-jar", REPO.simulatorJar().toString(), "--port", Integer.toString(port),
                "--tags", Integer.toString(tags), "--rate", Integer.toString(rateHz), "--history",
                Integer.toString(historySeconds), "--stats", work.resolve("sim-stats-" + n + ".txt").toString()));
        ChildProcess sim = ChildProcess.start("simulator", work, Map.of(), command,
                work.resolve("simulator-" + n + ".out"));
        sim.await("simulator ready: ", Duration.ofSeconds(60));
        return sim;
    }

    static String endpoint(ChildProcess simulator) {
        return simulator.last(READY).map(m -> m.group(1))
                .orElseThrow(() -> new AssertionError("no ready line:\n" + simulator.output()));
    }

    // --- the gateway's configuration ------------------------------------------------------------

    /**
     * The four instances in OSGi Configurator JSON: every variable under {@code Plant/Line*}, subscribed
     * at the change period (one sample per value change), no row cap. The password comes from the
     * environment ({@link #env()}), not the file.
     */
    static Path config(Path work, String endpoint, String table, int intervalMs) throws IOException {
        return config(work, endpoint, table, intervalMs, false);
    }

    /**
     * The same; {@code configuredAddress}: the session goes to the endpoint URL's host and port even
     * where the server advertises its own (a proxy in between).
     */
    static Path config(Path work, String endpoint, String table, int intervalMs, boolean configuredAddress)
            throws IOException {
        return config(work.resolve("config.json"), endpoint, user(), table, intervalMs, "\"max.rows:Long\": 0",
                configuredAddress);
    }

    /**
     * The same instances in {@code file}, the Writer connecting as {@code user} with the Writer
     * properties {@code writerProperties} added (JSON members, e.g. {@code "max.rows:Long": 0}).
     */
    static Path config(Path file, String endpoint, String user, String table, int intervalMs,
            String writerProperties) throws IOException {
        return config(file, endpoint, user, table, intervalMs, writerProperties, false);
    }

    private static Path config(Path file, String endpoint, String user, String table, int intervalMs,
            String writerProperties, boolean configuredAddress) throws IOException {
        String json = "{\n"
                + "  \":configurator:resource-version\": 1,\n"
                + "  \"io.opcscraper.timescale.Writer~" + WRITER + "\": {\n"
                + "    \"jdbc.url\": \"" + url() + "\",\n"
                + "    \"db.user\": \"" + user + "\",\n"
                + "    \"db.password\": \"$[env:OPCSCRAPER_DB_PASSWORD]\",\n"
                + "    \"table.name\": \"" + table + "\",\n"
                + "    \"spool.mode\": \"" + spoolMode() + "\",\n"
                + "    " + writerProperties + "\n"
                + "  },\n"
                + "  \"io.opcscraper.opcua.Connection~opcua-connection\": {\n"
                + "    \"endpoint.url\": \"" + endpoint + "\",\n"
                + (configuredAddress ? "    \"endpoint.use.configured.address\": true,\n" : "")
                + "    \"trust.all.servers\": true\n"
                + "  },\n"
                + "  \"io.opcscraper.opcua.Discovery~opcua-discovery\": {\n"
                + "    \"connection.target\": \"(kura.service.pid=opcua-connection)\",\n"
                + "    \"include.patterns\": \"Plant/Line*/**\"\n"
                + "  },\n"
                + "  \"io.opcscraper.opcua.Poller~opcua-poller\": {\n"
                + "    \"discovery.target\": \"(kura.service.pid=opcua-discovery)\",\n"
                + "    \"writer.target\": \"(kura.service.pid=" + WRITER + ")\",\n"
                + "    \"mode\": \"subscribe\",\n"
                + "    \"interval.ms:Integer\": " + intervalMs + "\n"
                + "  }\n"
                + "}\n";
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    /** The gateway's environment: the database password for the config file's placeholder. */
    static Map<String, String> env() {
        return Map.of("OPCSCRAPER_DB_PASSWORD", password());
    }

    static Path spoolDir(Path work) {
        return work.resolve("kura/user/opc-scraper/spool").resolve(WRITER);
    }

    static String writerId(Path work) throws IOException {
        return Files.readString(spoolDir(work).resolve("writer-id"), StandardCharsets.UTF_8).trim();
    }

    /**
     * The writer's {@code spool.mode} of this run of the suite: the build runs the whole suite once
     * per mode (system property {@code opcscraper.spool.mode}, {@code always} when unset).
     */
    static String spoolMode() {
        return System.getProperty("opcscraper.spool.mode", "always");
    }

    /** Whether this run of the suite has the writer keep samples in memory while the database keeps up. */
    static boolean onBacklog() {
        return "on-backlog".equals(spoolMode());
    }

    // --- the database -----------------------------------------------------------------------------

    static String url() {
        return System.getenv().getOrDefault("TIMESCALE_URL", DbFixture.URL);
    }

    static String user() {
        return System.getenv().getOrDefault("TIMESCALE_USER", "opcscraper");
    }

    static String password() {
        return System.getenv().getOrDefault("TIMESCALE_PASSWORD", "opcscraper");
    }

    static Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user());
        properties.setProperty("password", password());
        properties.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(url(), properties);
    }

    static long rows(String table) throws SQLException {
        return number("SELECT count(*) FROM \"" + table + "\"");
    }

    /** Rows beyond one per (nodeid, "timestamp"). */
    static long duplicates(String table) throws SQLException {
        return number("SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT nodeid, \"timestamp\" FROM \""
                + table + "\") d) FROM \"" + table + "\"");
    }

    /** The writer's progress marker, or -1 without one. */
    static long marker(String writerId) throws SQLException {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement(
                        "SELECT last_sequence FROM opcscraper_progress WHERE writer_id = ?")) {
            s.setString(1, writerId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : -1;
            }
        }
    }

    /** Rows with a source timestamp after {@code after}. */
    static long rowsAfter(String table, Instant after) throws SQLException {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM \"" + table
                        + "\" WHERE \"timestamp\" > ?")) {
            s.setTimestamp(1, Timestamp.from(after));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /**
     * The largest gap, in milliseconds, between consecutive source timestamps of one node among the
     * variables that change every period (Temperature), within [from, to].
     */
    static long largestGapMillis(String table, Instant from, Instant to) throws SQLException {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement("SELECT coalesce(max(extract(epoch FROM gap) * 1000), 0) FROM ("
                        + "SELECT \"timestamp\" - lag(\"timestamp\") OVER (PARTITION BY nodeid ORDER BY \"timestamp\") gap"
                        + " FROM \"" + table + "\" WHERE nodeid LIKE '%/Temperature' AND \"timestamp\" BETWEEN ? AND ?) g")) {
            s.setTimestamp(1, Timestamp.from(from));
            s.setTimestamp(2, Timestamp.from(to));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return Math.round(r.getDouble(1));
            }
        }
    }

    /**
     * {@link #config} adapted to poll every {@code intervalMs} ms the variables matching
     * {@code include} instead of subscribing to {@code Plant/Line*}.
     */
    static Path pollConfig(Path work, String endpoint, String table, int intervalMs, String include)
            throws IOException {
        Path base = config(work, endpoint, table, intervalMs);
        String json = Files.readString(base, StandardCharsets.UTF_8)
                .replace("\"include.patterns\": \"Plant/Line*/**\"", "\"include.patterns\": \"" + include + "\"")
                .replace("\"mode\": \"subscribe\"", "\"mode\": \"poll\"");
        if (!json.contains("\"" + include + "\"") || !json.contains("\"poll\"")) {
            throw new IllegalStateException("the configuration was not adapted:\n" + json);
        }
        Files.writeString(base, json, StandardCharsets.UTF_8);
        return base;
    }

    static boolean tableExists(String table) throws SQLException {
        return number("SELECT CASE WHEN to_regclass('\"" + table + "\"') IS NULL THEN 0 ELSE 1 END") == 1;
    }

    static long number(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Drops the table and forgets the writer's marker and ranges; problems are printed, not thrown. */
    static void drop(String table, String writerId) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS \"" + table + "\" CASCADE");
            if (writerId != null) {
                s.execute("DELETE FROM opcscraper_progress_ranges WHERE writer_id = '" + writerId + "'");
                s.execute("DELETE FROM opcscraper_progress WHERE writer_id = '" + writerId + "'");
            }
        } catch (SQLException e) {
            System.out.println("[test] cleaning up " + table + ": " + e.getMessage());
        }
    }

    /**
     * The variables that change every period (Temperature, Pressure, Count) whose rows in [from, to]
     * are not exactly one per period of {@code periodMs} (a period missing or stored twice), each
     * as "nodeid: N rows, D distinct of E periods"; empty when every one is right.
     */
    static List<String> notEveryPeriodOnce(String table, Instant from, Instant to, long periodMs) throws SQLException {
        long first = (from.toEpochMilli() + periodMs - 1) / periodMs;
        long last = to.toEpochMilli() / periodMs;
        long expected = last - first + 1;
        List<String> wrong = new ArrayList<>();
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement("SELECT nodeid, count(*), count(DISTINCT \"timestamp\") FROM \""
                        + table + "\" WHERE (nodeid LIKE '%/Temperature' OR nodeid LIKE '%/Pressure' OR nodeid LIKE"
                        + " '%/Count') AND \"timestamp\" BETWEEN ? AND ? GROUP BY nodeid")) {
            s.setTimestamp(1, Timestamp.from(Instant.ofEpochMilli(first * periodMs)));
            s.setTimestamp(2, Timestamp.from(Instant.ofEpochMilli(last * periodMs)));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    if (r.getLong(2) != expected || r.getLong(3) != expected) {
                        wrong.add(r.getString(1) + ": " + r.getLong(2) + " rows, " + r.getLong(3) + " distinct of "
                                + expected + " periods");
                    }
                }
            }
        }
        return wrong;
    }

    /** Variables with rows in [from, to] among those that change every period. */
    static long everyPeriodNodes(String table, Instant from, Instant to) throws SQLException {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement("SELECT count(DISTINCT nodeid) FROM \"" + table
                        + "\" WHERE (nodeid LIKE '%/Temperature' OR nodeid LIKE '%/Pressure' OR nodeid LIKE '%/Count')"
                        + " AND \"timestamp\" BETWEEN ? AND ?")) {
            s.setTimestamp(1, Timestamp.from(from));
            s.setTimestamp(2, Timestamp.from(to));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** The {@code N} of the last {@code catalog N has ...} line, or 0. */
    static int lastCatalog(ChildProcess gateway) {
        Pattern catalog = Pattern.compile(".*opcua-connection: catalog (\\d+) has (\\d+) variables.*");
        return gateway.last(catalog).map(m -> Integer.parseInt(m.group(1))).orElse(0);
    }

    /** Waits until the gateway has printed {@code n} status lines with written > 0 since it started. */
    static void awaitWritingStatusLines(Gateway gateway, int n) {
        Awaitility.await("gateway to print " + n + " status lines with samples written").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(50)).failFast(() -> !gateway.process().isAlive())
                .until(() -> gateway.process().lines().stream().map(Gateway.STATUS::matcher)
                        .filter(m -> m.matches() && Long.parseLong(m.group(3)) > 0).count() >= n);
    }

    static long parse(Matcher m, int group) {
        return Long.parseLong(m.group(group));
    }
}
