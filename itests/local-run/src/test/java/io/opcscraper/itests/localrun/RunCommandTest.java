package io.opcscraper.itests.localrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.opcscraper.itests.support.ChildProcess;
import io.opcscraper.itests.support.Ports;

/**
 * {@code ./run} as a user runs it, as a child process: it must start the plant simulator, a
 * database and the Kura-like runtime with the .dp, print its steps and status lines, stop by
 * itself at the end of {@code --duration} with a summary and exit code 0, and the rows it
 * reports written must be in the table.
 */
class RunCommandTest {

    private static final Path REPO = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath().resolve("../..")
            .normalize();
    private static final Pattern STATUS = Pattern.compile("^status: nodes=(\\d+) read=(\\d+)/s written=(\\d+)/s .*");
    private static final Pattern SUMMARY = Pattern.compile(
            "^summary: read=(\\d+) written=(\\d+) spooled=(\\d+) dropped=(\\d+) quarantined=(\\d+) .*");
    /** The spool's line when it opens: what it holds and what was committed before this run. */
    private static final Pattern SPOOL_OPENED = Pattern.compile(
            ".*spool .*: opened, \\d+ segment\\(s\\), \\d+ bytes, sequences (\\d+)\\.\\.(\\d+); committed up to (\\d+).*");

    /** The Writer's longest table name (table.name: 1 to 40 characters). */
    private static final int LONGEST_TABLE_NAME = 40;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void runsThePipelineIntoTheDatabaseAndStopsCleanlyAtTheEndOfTheDuration() throws Exception {
        // A name of the longest length the Writer takes: --table leaves the rule to the Writer.
        String table = tableName(LONGEST_TABLE_NAME);
        ChildProcess run = Run.start("--duration", "25", "--tags", "200", "--interval", "500", "--table", table,
                "--console-port", Integer.toString(Ports.free()));
        try {
            assertEquals(0, run.exitCode(Duration.ofSeconds(200)), run.output());
            assertTrue(run.has("OPC UA server: plant simulator opc.tcp://127.0.0.1:"), run.output());
            assertTrue(run.has("Launcher ready: deployment package installed, 4 instance(s) created"), run.output());
            assertTrue(run.has("gateway: web console http://127.0.0.1:"), run.output());
            assertTrue(run.lines().stream().map(STATUS::matcher).anyMatch(m -> m.matches()
                    && Integer.parseInt(m.group(1)) >= 200 && Long.parseLong(m.group(2)) > 0
                    && Long.parseLong(m.group(3)) > 0), "a status line with nodes, reads and writes:\n" + run.output());
            Matcher summary = run.lines().stream().map(SUMMARY::matcher).filter(Matcher::matches).findFirst()
                    .orElseThrow(() -> new AssertionError("no summary line:\n" + run.output()));
            long read = Long.parseLong(summary.group(1));
            long written = Long.parseLong(summary.group(2));
            assertTrue(read > 0, summary.group());
            assertEquals(read + leftOver(run), written, "everything read was written at the orderly stop, and what "
                    + "an earlier run left that no database has: " + summary.group());
            assertEquals("0", summary.group(3), "nothing left in the spool: " + summary.group());
            assertEquals("0", summary.group(4), "nothing dropped: " + summary.group());
            assertTrue(run.has("simulator stopped: produced="), run.output());
            assertTrue(run.has("] stopped"), run.output());
            assertTrue(run.has("Table \"" + table + "\" provisioned for "), "the 40-character table:\n" + run.output());
            if (run.has("database: local TimescaleDB") || System.getenv("TIMESCALE_URL") != null) {
                assertEquals(written, rows(table), "rows in " + table);
            }
        } finally {
            run.close();
            dropTable(table);
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void fallsBackToTheEmbeddedPostgresqlAndSaysTimescaleFeaturesAreOff() throws Exception {
        ChildProcess run = Run.start("--db", "embedded", "--duration", "15", "--tags", "100",
                "--console-port", Integer.toString(Ports.free()));
        try {
            assertEquals(0, run.exitCode(Duration.ofSeconds(280)), run.output());
            assertTrue(run.has("database: embedded PostgreSQL 17 jdbc:postgresql://127.0.0.1:"), run.output());
            assertTrue(run.has("TimescaleDB features are OFF"), run.output());
            assertTrue(run.has("Table \"sensor_data\" provisioned for POSTGRESQL"), run.output());
            Matcher summary = run.lines().stream().map(SUMMARY::matcher).filter(Matcher::matches).findFirst()
                    .orElseThrow(() -> new AssertionError("no summary line:\n" + run.output()));
            // A database without this writer's marker gets what no database has, and no more.
            assertEquals(Long.parseLong(summary.group(1)) + leftOver(run), Long.parseLong(summary.group(2)),
                    summary.group());
            assertTrue(Long.parseLong(summary.group(1)) > 0, summary.group());
            assertEquals("0", summary.group(3), "nothing left in the spool: " + summary.group());
        } finally {
            run.close();
        }
    }

    /**
     * Issue 10, part 1: ./run against database A, stopped, then ./run --db pointing at an empty
     * database B, the same checkout and so the same spool: B gets the samples the second run read and
     * those A never got, and no sample is in both.
     */
    @Test
    @Timeout(value = 420, unit = TimeUnit.SECONDS)
    void aSecondDatabaseGetsOnlyWhatTheFirstNeverGot() throws Exception {
        String table = "run_" + Long.toString(System.nanoTime(), 36);
        String databaseB = "opcscraper_b_" + Long.toString(System.nanoTime(), 36);
        String urlB = url().replaceFirst("/[^/?]+(\\?.*)?$", "/" + databaseB);
        createDatabase(databaseB);
        try {
            ChildProcess first = Run.start("--duration", "15", "--tags", "100", "--interval", "500", "--table", table,
                    "--console-port", Integer.toString(Ports.free()));
            Matcher one;
            try {
                assertEquals(0, first.exitCode(Duration.ofSeconds(200)), first.output());
                one = summary(first);
            } finally {
                first.close();
            }
            assertEquals(Long.parseLong(one.group(2)), rows(url(), table), "A holds what the first run wrote");

            ChildProcess second = Run.start("--db", urlB, "--duration", "15", "--tags", "100", "--interval", "500",
                    "--table", table, "--console-port", Integer.toString(Ports.free()));
            try {
                assertEquals(0, second.exitCode(Duration.ofSeconds(200)), second.output());
                Matcher two = summary(second);
                long neverInA = Long.parseLong(one.group(3));
                assertEquals(Long.parseLong(two.group(1)) + neverInA, rows(urlB, table),
                        "B: what the second run read and what A never got (" + one.group() + " / " + two.group() + ")");
                assertEquals(Long.parseLong(two.group(2)), rows(urlB, table), "written = rows in B: " + two.group());
                assertTrue(second.has("has no progress of this writer (a new database): it receives only what no "
                        + "database committed"), second.output());
            } finally {
                second.close();
            }
            assertEquals(0, inBoth(table, urlB), "samples in both databases");
        } finally {
            dropTable(table);
            dropDatabase(databaseB);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void refusesABadOptionByNameWithExitCode2() throws Exception {
        ChildProcess run = Run.start("--tags", "many");
        assertEquals(2, run.exitCode(Duration.ofSeconds(50)), run.output());
        assertTrue(run.has("run: option --tags: 'many' is not a whole number"), run.output());
    }

    /**
     * A --table name the Writer refuses stops ./run with exit code 2 and the Writer's own message,
     * naming the property and the value, before anything is collected: one rule, in the Writer.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void refusesATableNameOneCharacterTooLongWithTheWritersMessageAndExitCode2() throws Exception {
        String table = tableName(LONGEST_TABLE_NAME + 1);
        ChildProcess run = Run.start("--table", table, "--tags", "20", "--console-port", Integer.toString(Ports.free()));
        try {
            assertEquals(2, run.exitCode(Duration.ofSeconds(170)), run.output());
            assertTrue(run.has("\"io.opcscraper.timescale.Writer~timescale-writer\": refused by its component: "
                    + "Invalid configuration of io.opcscraper.timescale.Writer 'timescale-writer': 'table.name' = '"
                    + table + "': must be 1 to 40 characters of a-z, 0-9 and _, not starting with a digit"),
                    run.output());
            assertTrue(run.has("run: the gateway refused the configuration (the ERROR above names the property and its value)"),
                    run.output());
            // The refused Writer never opened a spool: nothing was written or kept.
            assertTrue(run.lines().stream().map(SUMMARY::matcher).anyMatch(m -> m.matches()
                    && m.group(2).equals("0") && m.group(3).equals("0")), "nothing written or spooled:\n" + run.output());
            assertFalse(run.has("Launcher ready"), run.output());
        } finally {
            run.close();
            dropTable(table);
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void refusesAReservedTableNameWithTheWritersMessageAndExitCode2() throws Exception {
        ChildProcess run = Run.start("--table", "nodes", "--tags", "20", "--console-port", Integer.toString(Ports.free()));
        try {
            assertEquals(2, run.exitCode(Duration.ofSeconds(170)), run.output());
            assertTrue(run.has("refused by its component: Invalid configuration of io.opcscraper.timescale.Writer "
                    + "'timescale-writer': 'table.name' = 'nodes': is reserved: the writer's shared tables are nodes, "
                    + "opcscraper_progress, opcscraper_progress_ranges and opcscraper_status"), run.output());
            assertFalse(run.has("Launcher ready"), run.output());
        } finally {
            run.close();
        }
    }

    /** A table name of this run, of exactly {@code length} characters. */
    private static String tableName(int length) {
        StringBuilder name = new StringBuilder("run_").append(Long.toString(System.nanoTime(), 36)).append('_');
        while (name.length() < length) {
            name.append('x');
        }
        name.setLength(length);
        return name.toString();
    }

    /** ./run as a child process. */
    private static final class Run {
        static ChildProcess start(String... options) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(REPO.resolve("run").toString());
            command.addAll(List.of(options));
            return ChildProcess.start("run", REPO, Map.of(), command, null);
        }
    }

    private static String url() {
        String given = System.getenv("TIMESCALE_URL");
        return given != null ? given
                : "jdbc:postgresql://127.0.0.1:" + System.getenv().getOrDefault("TIMESCALE_PORT", "5433") + "/opcscraper";
    }

    private static Matcher summary(ChildProcess run) {
        return run.lines().stream().map(SUMMARY::matcher).filter(Matcher::matches).findFirst()
                .orElseThrow(() -> new AssertionError("no summary line:\n" + run.output()));
    }

    /**
     * What an earlier run left in the spool that no database committed: the sequences on disk above
     * the committed watermark, as the spool said when it opened (before this run's first sample).
     */
    private static long leftOver(ChildProcess run) {
        Matcher opened = run.lines().stream().map(SPOOL_OPENED::matcher).filter(Matcher::matches).findFirst()
                .orElseThrow(() -> new AssertionError("no 'spool ... opened' line:\n" + run.output()));
        long first = Long.parseLong(opened.group(1));
        long last = Long.parseLong(opened.group(2));
        long committed = Long.parseLong(opened.group(3));
        return Math.max(0, last - Math.max(committed, first - 1));
    }

    private static Connection connect() throws SQLException {
        return connect(url());
    }

    private static Connection connect(String url) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", System.getenv().getOrDefault("TIMESCALE_USER", "opcscraper"));
        properties.setProperty("password", System.getenv().getOrDefault("TIMESCALE_PASSWORD", "opcscraper"));
        return DriverManager.getConnection(url, properties);
    }

    private static long rows(String table) throws SQLException {
        return rows(url(), table);
    }

    private static long rows(String url, String table) throws SQLException {
        try (Connection c = connect(url); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM \"" + table + "\"")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void dropTable(String table) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS \"" + table + "\" CASCADE");
            s.execute("DELETE FROM opcscraper_progress WHERE table_name = '" + table + "'");
        } catch (SQLException e) {
            System.out.println("[run] cleaning up " + table + ": " + e.getMessage());
        }
    }

    /** An empty database on the server of {@link #url()}, with the timescaledb extension where it can. */
    private static void createDatabase(String name) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE \"" + name + "\"");
        }
        try (Connection c = connect(url().replaceFirst("/[^/?]+(\\?.*)?$", "/" + name)); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
        } catch (SQLException e) {
            System.out.println("[run] database " + name + " without timescaledb: " + e.getMessage());
        }
    }

    private static void dropDatabase(String name) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        } catch (SQLException e) {
            System.out.println("[run] dropping database " + name + ": " + e.getMessage());
        }
    }

    /** How many (nodeid, timestamp) of the table in database B are also in the table of the first database. */
    private static long inBoth(String table, String urlB) throws SQLException {
        java.util.Set<String> inA = new java.util.HashSet<>();
        String select = "SELECT nodeid, \"timestamp\" FROM \"" + table + "\"";
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(select)) {
            while (r.next()) {
                inA.add(r.getString(1) + "@" + r.getTimestamp(2).toInstant());
            }
        }
        long both = 0;
        try (Connection c = connect(urlB); Statement s = c.createStatement(); ResultSet r = s.executeQuery(select)) {
            while (r.next()) {
                both += inA.contains(r.getString(1) + "@" + r.getTimestamp(2).toInstant()) ? 1 : 0;
            }
        }
        return both;
    }

    static {
        // The test reads ./run's files; fail early with a clear message when run outside the repository.
        if (!Files.isExecutable(REPO.resolve("run"))) {
            throw new IllegalStateException(REPO.resolve("run") + " is not an executable file");
        }
    }
}
