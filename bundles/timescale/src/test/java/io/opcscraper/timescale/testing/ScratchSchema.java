package io.opcscraper.timescale.testing;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

import io.opcscraper.timescale.TestDatabase;

/**
 * A login role of a test's own, with a random password and a schema named like it (its default
 * search path puts that schema first, then public, where TimescaleDB's functions are), in the
 * TimescaleDB database or the plain one: the writer provisions everything there, the shared tables
 * included, apart from every other test; a password nobody else uses makes "no secret in it"
 * checkable. {@link #close} drops the schema and the role. The role's name is the schema's.
 */
public record ScratchSchema(TestDatabase db, boolean plain, String user, String password) implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new role and schema in the TimescaleDB database ({@code plain} false) or the plain one. */
    public static ScratchSchema create(TestDatabase db, boolean plain) throws SQLException {
        String name = "scratch_" + hex(5);
        String password = "pw" + hex(12);
        try (Connection c = plain ? db.connectPlain() : db.connect(); Statement s = c.createStatement()) {
            // Both are [a-z0-9_] made here: nothing to quote.
            s.execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "'");
            s.execute("CREATE SCHEMA " + name + " AUTHORIZATION " + name);
        }
        return new ScratchSchema(db, plain, name, password);
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public String url() {
        return this.plain ? this.db.plainUrl() : this.db.url();
    }

    /** A connection as the role (its schema first in the search path). */
    public Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", this.user);
        p.setProperty("password", this.password);
        return DriverManager.getConnection(url(), p);
    }

    /** A connection as the test database's own (super)user. */
    public Connection admin() throws SQLException {
        return this.plain ? this.db.connectPlain() : this.db.connect();
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (String sql : List.of("DROP SCHEMA IF EXISTS " + this.user + " CASCADE", "DROP OWNED BY " + this.user,
                "DROP ROLE IF EXISTS " + this.user)) {
            try (Connection c = admin(); Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
