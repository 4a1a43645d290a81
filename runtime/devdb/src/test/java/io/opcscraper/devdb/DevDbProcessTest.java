package io.opcscraper.devdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opcscraper.itests.support.ChildProcess;
import io.opcscraper.itests.support.Ports;

/**
 * devdb as a child JVM: ready line, password authentication, SIGTERM, a warm restart, exit codes.
 * Its stdout and stderr are read together (the ready and stopped lines, the errors, slf4j's log).
 */
class DevDbProcessTest {

    private static final Pattern READY = Pattern.compile(
        "devdb ready: (jdbc:postgresql://127\\.0\\.0\\.1:(\\d+)/opcscraper) user=opcscraper");
    /** A quote, a backslash and non-ASCII: the password reaches CREATE ROLE as a literal. */
    private static final String PASSWORD = "it's a \\secret\\ – ü";
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration EXIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private final List<ChildProcess> children = new ArrayList<>();

    @AfterEach
    void stopLeftovers() throws Exception {
        for (ChildProcess child : children) {
            child.close(); // SIGTERM: devdb stops its PostgreSQL
        }
    }

    @Test
    void passwordAuthenticationPostgres17StopsOnSigtermAndKeepsTheDataForAWarmStart() throws Exception {
        Path dir = tmp.resolve("db");
        ChildProcess first = start("--dir", dir.toString(), "--password", PASSWORD);
        String url = awaitReady(first);
        try (Connection c = DriverManager.getConnection(url, "opcscraper", PASSWORD);
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT version(), current_user, current_database()")) {
                assertTrue(rs.next());
                assertTrue(rs.getString(1).startsWith("PostgreSQL 17."), rs.getString(1));
                assertEquals("opcscraper", rs.getString(2));
                assertEquals("opcscraper", rs.getString(3));
            }
            s.execute("CREATE TABLE kept (id int)");
            s.execute("INSERT INTO kept VALUES (42)");
        }
        SQLException wrong = assertThrows(SQLException.class,
            () -> DriverManager.getConnection(url, "opcscraper", "opcscraper").close());
        assertEquals("28P01", wrong.getSQLState(), wrong.getMessage()); // invalid_password
        assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "postgres", "").close(),
            "no password-less superuser");
        assertFalse(first.output().contains(PASSWORD));

        assertEquals(OptionalInt.of(0), first.stop(EXIT), first.output());
        assertTrue(first.lines().contains("devdb stopped"), first.output());
        assertFalse(Files.exists(dir.resolve("data/postmaster.pid")), "PostgreSQL stopped");
        String log = Files.readString(dir.resolve("postgres.log"));
        assertFalse(log.contains("secret"), "no password in the server log");

        int port = Ports.free();
        ChildProcess second = start("--dir", dir.toString(), "--password", PASSWORD, "--port", Integer.toString(port));
        String secondUrl = awaitReady(second);
        assertEquals("jdbc:postgresql://127.0.0.1:" + port + "/opcscraper", secondUrl);
        try (Connection c = DriverManager.getConnection(secondUrl, "opcscraper", PASSWORD);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM kept")) {
            assertTrue(rs.next());
            assertEquals(42, rs.getInt(1));
        }
        assertEquals(OptionalInt.of(0), second.stop(EXIT), second.output());
    }

    @Test
    void busyPortExitsOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ChildProcess child = start("--dir", tmp.resolve("busy").toString(), "--port",
                Integer.toString(taken.getLocalPort()));
            assertEquals(1, child.exitCode(EXIT), child.output());
            assertEquals("devdb: cannot start: port " + taken.getLocalPort() + " on 127.0.0.1 is in use"
                + " (Address already in use)", child.output().strip());
        }
    }

    @Test
    void unwritableDirExitsOne() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        ChildProcess child = start("--dir", file.resolve("db").toString());
        assertEquals(1, child.exitCode(EXIT), child.output());
        assertTrue(child.output().startsWith("devdb: cannot start: --dir " + file.resolve("db")
            + " is not a writable directory"), child.output());
    }

    @Test
    void badOptionExitsTwo() throws Exception {
        ChildProcess child = start("--port", "99999");
        assertEquals(2, child.exitCode(EXIT), child.output());
        String output = child.output();
        assertTrue(output.startsWith("Invalid value for option '--port': '99999' is not an integer"), output);
        assertTrue(output.contains("Usage: "), output);
    }

    /** Runs devdb's Main in a child JVM on this test's class path, from the module directory. */
    private ChildProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            Main.class.getName()));
        command.addAll(List.of(args));
        ChildProcess child = ChildProcess.start("devdb", Path.of("").toAbsolutePath(), Map.of(), command, null);
        children.add(child);
        return child;
    }

    /** The JDBC URL of the ready line; fails if devdb exits or prints none in time. */
    private static String awaitReady(ChildProcess child) {
        child.await("devdb ready: ", START);
        return child.last(READY).orElseThrow(() -> new AssertionError(child.output())).group(1);
    }
}
