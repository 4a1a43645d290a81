package io.opcscraper.devdb;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** devdb as a child JVM: ready line, password authentication, SIGTERM, a warm restart, exit codes. */
class DevDbProcessTest {

    private static final Pattern READY = Pattern.compile(
        "devdb ready: (jdbc:postgresql://127\\.0\\.0\\.1:(\\d+)/opcscraper) user=opcscraper");
    /** A quote, a backslash and non-ASCII: the password reaches CREATE ROLE as a literal. */
    private static final String PASSWORD = "it's a \\secret\\ – ü";

    @TempDir
    Path tmp;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopLeftovers() throws Exception {
        for (Process process : processes) {
            if (process.isAlive()) {
                process.toHandle().destroy(); // SIGTERM: devdb stops its PostgreSQL
                process.waitFor(60, SECONDS);
                process.destroyForcibly();
            }
        }
    }

    @Test
    void passwordAuthenticationPostgres17StopsOnSigtermAndKeepsTheDataForAWarmStart() throws Exception {
        Path dir = tmp.resolve("db");
        Child first = start("--dir", dir.toString(), "--password", PASSWORD);
        String url = first.awaitReady();
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
        assertFalse(String.join("\n", first.lines).contains(PASSWORD));

        first.sigterm();
        assertEquals(0, first.process.exitValue(), first.describe());
        await().atMost(Duration.ofSeconds(10)).until(() -> first.lines.size() >= 2);
        assertEquals("devdb stopped", first.lines.get(1));
        assertFalse(Files.exists(dir.resolve("data/postmaster.pid")), "PostgreSQL stopped");
        String log = Files.readString(dir.resolve("postgres.log"));
        assertFalse(log.contains("secret"), "no password in the server log");

        int port = freePort();
        Child second = start("--dir", dir.toString(), "--password", PASSWORD, "--port", Integer.toString(port));
        String secondUrl = second.awaitReady();
        assertEquals("jdbc:postgresql://127.0.0.1:" + port + "/opcscraper", secondUrl);
        try (Connection c = DriverManager.getConnection(secondUrl, "opcscraper", PASSWORD);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM kept")) {
            assertTrue(rs.next());
            assertEquals(42, rs.getInt(1));
        }
        second.sigterm();
        assertEquals(0, second.process.exitValue(), second.describe());
    }

    @Test
    void busyPortExitsOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Child child = start("--dir", tmp.resolve("busy").toString(), "--port",
                Integer.toString(taken.getLocalPort()));
            assertTrue(child.process.waitFor(60, SECONDS));
            assertEquals(1, child.process.exitValue(), child.describe());
            assertEquals("devdb: cannot start: port " + taken.getLocalPort() + " on 127.0.0.1 is in use"
                + " (Address already in use)", Files.readString(child.stderr).strip());
        }
    }

    @Test
    void unwritableDirExitsOne() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Child child = start("--dir", file.resolve("db").toString());
        assertTrue(child.process.waitFor(60, SECONDS));
        assertEquals(1, child.process.exitValue(), child.describe());
        assertTrue(Files.readString(child.stderr).startsWith("devdb: cannot start: --dir " + file.resolve("db")
            + " is not a writable directory"), child.describe());
    }

    @Test
    void badOptionExitsTwo() throws Exception {
        Child child = start("--port", "99999");
        assertTrue(child.process.waitFor(60, SECONDS));
        assertEquals(2, child.process.exitValue());
        String stderr = Files.readString(child.stderr);
        assertTrue(stderr.startsWith("Invalid value for option '--port': '99999' is not an integer"), stderr);
        assertTrue(stderr.contains("Usage: "), stderr);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private Child start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            Main.class.getName()));
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile(tmp, "stderr", ".txt");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        processes.add(process);
        Child child = new Child(process, stderr, new CopyOnWriteArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    child.lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "devdb-stdout");
        reader.setDaemon(true);
        reader.start();
        return child;
    }

    private record Child(Process process, Path stderr, List<String> lines) {
        String awaitReady() {
            await().atMost(Duration.ofSeconds(120)).alias("ready line")
                .until(() -> !lines.isEmpty() || !process.isAlive());
            assertFalse(lines.isEmpty(), describe());
            Matcher m = READY.matcher(lines.get(0));
            assertTrue(m.matches(), describe());
            return m.group(1);
        }

        /** SIGTERM (Process.destroy() would also close our end of its stdout) and wait for the exit. */
        void sigterm() throws InterruptedException {
            assertTrue(process.toHandle().destroy());
            assertTrue(process.waitFor(60, SECONDS), "stopped within 60 s");
        }

        String describe() {
            try {
                return "stdout " + lines + ", stderr " + Files.readString(stderr);
            } catch (IOException e) {
                return "stdout " + lines;
            }
        }
    }
}
