package io.opcscraper.timescale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * Checks the real TimescaleDB the other database tests run against (by default the one
 * {@code scripts/timescaledb start} provides on 127.0.0.1:5433; see {@link TestDatabase}).
 * An unreachable database fails these tests; they are never skipped.
 */
class LocalTimescaleDbTest {

    private final TestDatabase db = TestDatabase.fromEnvironment();

    @Test
    void connects() throws SQLException {
        try (Connection c = db.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT 1")) {
            assertTrue(c.isValid(5), "connection to " + db + " is not valid");
            assertTrue(rs.next());
            assertEquals(1, rs.getInt(1));
        }
    }

    @Test
    void createExtensionIsIdempotent() throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
            st.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
            try (ResultSet rs = st.executeQuery(
                    "SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1), "timescaledb not in pg_extension of " + db.url());
            }
        }
    }

    @Test
    void licenseIsApache() throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
            try (ResultSet rs = st.executeQuery(
                    "SELECT current_setting('timescaledb.license', true)")) {
                assertTrue(rs.next());
                assertEquals("apache", rs.getString(1),
                        "timescaledb.license of " + db.url()
                                + " (scripts/timescaledb provides Debian's Apache-2 edition)");
            }
        }
    }

    @Test
    void hypertableRoundTrip() throws SQLException {
        String table = "tsdb_selftest_" + UUID.randomUUID().toString().replace("-", "");
        OffsetDateTime ts = OffsetDateTime.of(2024, 5, 6, 7, 8, 9, 123_456_000, ZoneOffset.UTC);
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
            try {
                st.execute("CREATE TABLE " + table + " ("
                        + "\"timestamp\" timestamptz NOT NULL, "
                        + "nodeid text NOT NULL, "
                        + "value double precision)");
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT create_hypertable(?::regclass, 'timestamp', "
                                + "chunk_time_interval => interval '1 day')")) {
                    ps.setString(1, table);
                    ps.execute();
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*) FROM timescaledb_information.hypertables "
                                + "WHERE hypertable_name = ?")) {
                    ps.setString(1, table);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertTrue(rs.next());
                        assertEquals(1, rs.getInt(1), table + " is not a hypertable");
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO " + table + " (\"timestamp\", nodeid, value) VALUES (?, ?, ?)")) {
                    ps.setObject(1, ts);
                    ps.setString(2, "ns=2;s=Demo.Temperature");
                    ps.setDouble(3, 21.5);
                    assertEquals(1, ps.executeUpdate());
                }
                try (ResultSet rs = st.executeQuery(
                        "SELECT \"timestamp\", nodeid, value FROM " + table)) {
                    assertTrue(rs.next(), "inserted row not found");
                    assertTrue(ts.isEqual(rs.getObject(1, OffsetDateTime.class)),
                            "timestamp read back: " + rs.getObject(1, OffsetDateTime.class));
                    assertEquals("ns=2;s=Demo.Temperature", rs.getString(2));
                    assertEquals(21.5, rs.getDouble(3));
                    assertFalse(rs.next(), "more than one row");
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*) FROM show_chunks(?::regclass)")) {
                    ps.setString(1, table);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertTrue(rs.next());
                        assertEquals(1, rs.getInt(1), "chunks of " + table);
                    }
                }
            } finally {
                st.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    @Test
    void plainDatabaseHasNoTimescaleExtension() throws SQLException {
        try (Connection c = db.connectPlain();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'")) {
            assertTrue(rs.next());
            assertEquals(0, rs.getInt(1),
                    "the plain database " + db.plainUrl() + " must not have the timescaledb extension");
        }
    }

    @Test
    void unreachableDatabaseFailsNamingUrlAndHintWithoutPassword() {
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        TestDatabase nowhere = TestDatabase.fromEnvironment(Map.of(
                "TIMESCALE_URL", "jdbc:postgresql://127.0.0.1:1/opcscraper?password=url-secret",
                "TIMESCALE_PLAIN_URL", "jdbc:postgresql://127.0.0.1:1/opcscraper_plain",
                "TIMESCALE_USER", "someone",
                "TIMESCALE_PASSWORD", "env-secret"));
        SQLException e = assertThrows(SQLException.class, nowhere::connect);
        String message = e.getMessage();
        assertTrue(message.contains("jdbc:postgresql://127.0.0.1:1/opcscraper"), message);
        assertTrue(message.contains("start it with scripts/timescaledb start"), message);
        assertFalse(message.contains("url-secret"), message);
        assertFalse(message.contains("env-secret"), message);
        assertFalse(nowhere.toString().contains("secret"), nowhere.toString());

        SQLException plain = assertThrows(SQLException.class, nowhere::connectPlain);
        assertTrue(plain.getMessage().contains("jdbc:postgresql://127.0.0.1:1/opcscraper_plain"),
                plain.getMessage());
    }
}
