package io.opcscraper.timescale.internal.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Properties;

/**
 * Opens the writer's connections to one database: user, password (asked for at each connect so
 * the clear text never stays in a field), TLS mode and root certificate, an application name that
 * shows in {@code pg_stat_activity}, bounded connect time and TCP keep-alive. pgjdbc's driver is
 * used directly (it travels inside this bundle; {@code DriverManager} would not find it there).
 */
public final class ConnectionFactory {

    /** The clear-text password, asked for at each connect; the caller's array is wiped after use. */
    @FunctionalInterface
    public interface PasswordSource {
        char[] get();
    }

    /** Where and as whom: everything but the password. */
    public record Target(String jdbcUrl, String user, String sslMode, String sslRootCert) {
    }

    private final Target target;
    private final PasswordSource password;
    private final String applicationName;

    public ConnectionFactory(Target target, PasswordSource password, String applicationName) {
        this.target = target;
        this.password = password;
        this.applicationName = applicationName;
    }

    public Target target() {
        return this.target;
    }

    /** A new connection, auto-commit off. */
    public Connection open() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", this.target.user());
        char[] secret = this.password.get();
        properties.setProperty("password", new String(secret));
        Arrays.fill(secret, '\0');
        properties.setProperty("sslmode", this.target.sslMode());
        if (!this.target.sslRootCert().isEmpty()) {
            properties.setProperty("sslrootcert", this.target.sslRootCert());
        }
        properties.setProperty("ApplicationName", this.applicationName);
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("tcpKeepAlive", "true");
        Connection opened = new org.postgresql.Driver().connect(this.target.jdbcUrl(), properties);
        if (opened == null) {
            // WriterOptions accepts only jdbc:postgresql: URLs, which this driver always takes.
            throw new IllegalStateException("not a PostgreSQL JDBC URL: " + this.target.jdbcUrl());
        }
        opened.setAutoCommit(false);
        return opened;
    }
}
