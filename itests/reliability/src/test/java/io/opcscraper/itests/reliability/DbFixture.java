package io.opcscraper.itests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The local TimescaleDB of {@code scripts/timescaledb} (127.0.0.1:5433, database opcscraper), which
 * the database fault scenarios stop and start: the suite cannot stop a database it did not start,
 * so {@code TIMESCALE_URL} makes them fail (with a message naming it), never skip.
 *
 * <p>Each test gets a {@link Role} of its own: a login role with a random password and a schema
 * named like it (the role's default search path puts it first), where the writer provisions its
 * table and its progress tables. A password of its own keeps the scan of the logs meaningful
 * (the shared role's password is also its user and database name); the schema keeps the test's
 * progress marker apart from every other writer's; dropping it cleans everything up.
 */
final class DbFixture {

    /** The port scripts/timescaledb uses: TIMESCALE_PORT, else 5433. */
    static final int PORT = Integer.parseInt(System.getenv().getOrDefault("TIMESCALE_PORT", "5433"));
    static final String URL = "jdbc:postgresql://127.0.0.1:" + PORT + "/opcscraper";
    private static final String ADMIN = "opcscraper";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path repo;

    DbFixture(Path repo) {
        this.repo = repo;
    }

    /** Fails (no skip) when the tests are pointed at a database they cannot stop. */
    static void requireLocal() {
        String given = System.getenv("TIMESCALE_URL");
        if (given != null && !given.isBlank()) {
            fail("TIMESCALE_URL is set (" + given + "): the database fault scenarios stop and start the local "
                    + "TimescaleDB of scripts/timescaledb (127.0.0.1:5433) to inject outages and cannot stop the "
                    + "database TIMESCALE_URL names; unset TIMESCALE_URL to run them (scripts/timescaledb needs root)");
        }
    }

    /** {@code scripts/timescaledb start}: idempotent; returns how long it took (ms). */
    long start() throws IOException, InterruptedException {
        return script("start");
    }

    /** {@code scripts/timescaledb stop}: fast shutdown; returns how long it took (ms). */
    long stop() throws IOException, InterruptedException {
        return script("stop");
    }

    private long script(String command) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(this.repo.resolve("scripts/timescaledb").toString(), command)
                .directory(this.repo.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("scripts/timescaledb " + command + " did not finish in 180 s");
        }
        String text = new String(out, StandardCharsets.UTF_8).trim();
        System.out.println("[timescaledb " + command + "] " + text.replace("\n", " | "));
        assertEquals(0, p.exitValue(), "scripts/timescaledb " + command + ": " + text);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    /** Whether something accepts TCP connections on the database's port (127.0.0.1:5433). */
    static boolean accepting() {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", PORT), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * During an outage the test injected: fails at once, naming the cause, if the database is
     * back (another process ran {@code scripts/timescaledb start}, e.g. another test started at the same time).
     */
    static void assertStillDown() {
        if (accepting()) {
            fail("the database accepts connections again in the middle of the outage this test injected: another "
                    + "process started it (scripts/timescaledb start, e.g. another test of the suite running at the same "
                    + "time); the database fault scenarios need the local database to themselves");
        }
    }

    static Connection admin() throws SQLException {
        return connect(ADMIN, ADMIN);
    }

    static Connection connect(String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(URL, p);
    }

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The local database (checked: not TIMESCALE_URL), started if it is not running. */
    static DbFixture local() throws IOException, InterruptedException {
        requireLocal();
        DbFixture db = new DbFixture(io.opcscraper.itests.support.Repository.fromModule().root());
        db.start();
        return db;
    }

    /** A role with a random password and its own schema (same name). */
    static Role createRole() throws SQLException {
        String name = "rel_" + randomHex(5);
        String password = "pw" + randomHex(12);
        try (Connection c = admin(); Statement s = c.createStatement()) {
            // Both are [a-z0-9_] made here: no quoting problem.
            s.execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "'");
            s.execute("GRANT CONNECT ON DATABASE opcscraper TO " + name);
            s.execute("CREATE SCHEMA " + name + " AUTHORIZATION " + name);
        }
        return new Role(name, password);
    }

    /** A test's own role and schema; {@link #close} drops both. */
    record Role(String name, String password) implements AutoCloseable {

        String qualified(String table) {
            return this.name + ".\"" + table + "\"";
        }

        long rows(String table) throws SQLException {
            return single("SELECT count(*) FROM " + qualified(table));
        }

        /** Rows beyond one per (nodeid, source timestamp). */
        long duplicates(String table) throws SQLException {
            return single("SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM " + qualified(table)
                    + " GROUP BY nodeid, \"timestamp\" HAVING count(*) > 1) d");
        }

        /** Rows whose source timestamp lies in [from, to). */
        long rowsBetween(String table, Instant from, Instant to) throws SQLException {
            try (Connection c = admin();
                    PreparedStatement s = c.prepareStatement("SELECT count(*) FROM " + qualified(table)
                            + " WHERE \"timestamp\" >= ? AND \"timestamp\" < ?")) {
                s.setTimestamp(1, Timestamp.from(from));
                s.setTimestamp(2, Timestamp.from(to));
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getLong(1);
                }
            }
        }

        /** The progress marker (last committed sequence) of a writer, -1 without one. */
        long marker(String writerId) throws SQLException {
            try (Connection c = admin(); PreparedStatement s = c.prepareStatement(
                    "SELECT last_sequence FROM " + this.name + ".opcscraper_progress WHERE writer_id = ?")) {
                s.setString(1, writerId);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getLong(1) : -1;
                }
            }
        }

        /** Committed ranges still recorded beyond the marker (0 after a final drain). */
        long openRanges(String writerId) throws SQLException {
            try (Connection c = admin(); PreparedStatement s = c.prepareStatement(
                    "SELECT count(*) FROM " + this.name + ".opcscraper_progress_ranges WHERE writer_id = ?")) {
                s.setString(1, writerId);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getLong(1);
                }
            }
        }

        private static long single(String sql) throws SQLException {
            try (Connection c = admin(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
                r.next();
                return r.getLong(1);
            }
        }

        /** Drops the schema (table, chunks, views, progress tables) and the role; never throws. */
        @Override
        public void close() {
            for (String sql : List.of("DROP SCHEMA IF EXISTS " + this.name + " CASCADE", "DROP OWNED BY " + this.name,
                    "DROP ROLE IF EXISTS " + this.name)) {
                try (Connection c = admin(); Statement s = c.createStatement()) {
                    s.execute(sql);
                } catch (SQLException | RuntimeException e) {
                    System.out.println("[db] cleanup: " + sql + ": " + e.getMessage());
                }
            }
        }
    }
}
