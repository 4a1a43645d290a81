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
            // At least what was read: an earlier run (another database) may have left samples on disk.
            assertTrue(written >= read, "everything read was written at the orderly stop: " + summary.group());
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
            // A database without this writer's marker also gets what an earlier run left on disk.
            assertTrue(Long.parseLong(summary.group(2)) >= Long.parseLong(summary.group(1)), summary.group());
            assertTrue(Long.parseLong(summary.group(1)) > 0, summary.group());
            assertEquals("0", summary.group(3), "nothing left in the spool: " + summary.group());
        } finally {
            run.close();
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
                    + "opcscraper_progress and opcscraper_progress_ranges"), run.output());
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

    private static Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", System.getenv().getOrDefault("TIMESCALE_USER", "opcscraper"));
        properties.setProperty("password", System.getenv().getOrDefault("TIMESCALE_PASSWORD", "opcscraper"));
        return DriverManager.getConnection(url(), properties);
    }

    private static long rows(String table) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
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

    static {
        // The test reads ./run's files; fail early with a clear message when run outside the repository.
        if (!Files.isExecutable(REPO.resolve("run"))) {
            throw new IllegalStateException(REPO.resolve("run") + " is not an executable file");
        }
    }
}
