package io.opcscraper.timescale;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Where the tests find their (real) TimescaleDB / PostgreSQL.
 *
 * <p>Resolution: the environment variables {@code TIMESCALE_URL}, {@code TIMESCALE_USER},
 * {@code TIMESCALE_PASSWORD} and {@code TIMESCALE_PLAIN_URL} when set (non-blank); otherwise the
 * defaults of {@code scripts/timescaledb}, which builds and starts a local TimescaleDB
 * ({@value #DEFAULT_URL}, user and password {@code opcscraper}; a second database
 * {@value #DEFAULT_PLAIN_URL} without the timescaledb extension for plain-PostgreSQL tests).
 *
 * <p>A database that cannot be reached is a test failure, never a skip: {@link #connect()} and
 * {@link #connectPlain()} throw an {@link SQLException} naming the URL that was tried and how to
 * start the local database. The password never appears in messages or in {@link #toString()}.
 */
public final class TestDatabase {

    /** The local TimescaleDB's port: {@code TIMESCALE_PORT} (as for scripts/timescaledb), else 5433. */
    public static final String LOCAL_PORT = localPort(System.getenv());
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:" + LOCAL_PORT + "/opcscraper";
    public static final String DEFAULT_PLAIN_URL = "jdbc:postgresql://127.0.0.1:" + LOCAL_PORT + "/opcscraper_plain";
    public static final String DEFAULT_USER = "opcscraper";
    public static final String DEFAULT_PASSWORD = "opcscraper";

    public static final String ENV_URL = "TIMESCALE_URL";
    public static final String ENV_PLAIN_URL = "TIMESCALE_PLAIN_URL";
    public static final String ENV_USER = "TIMESCALE_USER";
    public static final String ENV_PASSWORD = "TIMESCALE_PASSWORD";

    static final String START_HINT = "start it with scripts/timescaledb start";

    private static final Pattern PASSWORD_IN_URL =
            Pattern.compile("(?i)(password=)[^&;]*");

    private final String url;
    private final String plainUrl;
    private final String user;
    private final String password;
    private final boolean urlFromEnvironment;
    private final boolean plainUrlFromEnvironment;

    private TestDatabase(String url, boolean urlFromEnvironment, String plainUrl,
            boolean plainUrlFromEnvironment, String user, String password) {
        this.url = Objects.requireNonNull(url, "url");
        this.plainUrl = Objects.requireNonNull(plainUrl, "plainUrl");
        this.user = Objects.requireNonNull(user, "user");
        this.password = Objects.requireNonNull(password, "password");
        this.urlFromEnvironment = urlFromEnvironment;
        this.plainUrlFromEnvironment = plainUrlFromEnvironment;
    }

    /** The database configured by the environment of this JVM, or the script's defaults. */
    public static TestDatabase fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** As {@link #fromEnvironment()}, reading the variables from {@code env}. */
    public static TestDatabase fromEnvironment(Map<String, String> env) {
        String url = value(env, ENV_URL);
        String plainUrl = value(env, ENV_PLAIN_URL);
        String user = value(env, ENV_USER);
        String password = value(env, ENV_PASSWORD);
        return new TestDatabase(
                url != null ? url : DEFAULT_URL, url != null,
                plainUrl != null ? plainUrl : DEFAULT_PLAIN_URL, plainUrl != null,
                user != null ? user : DEFAULT_USER,
                password != null ? password : DEFAULT_PASSWORD);
    }

    /** A database at explicit coordinates (the plain URL is the same as {@code url}). */
    public static TestDatabase of(String url, String user, String password) {
        return new TestDatabase(url, true, url, true, user, password);
    }

    static String localPort(Map<String, String> env) {
        String port = value(env, "TIMESCALE_PORT");
        return port != null && port.matches("[0-9]{1,5}") ? port : "5433";
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** JDBC URL of the TimescaleDB database (extension available / created there). */
    public String url() {
        return url;
    }

    /** JDBC URL of the database without the timescaledb extension. */
    public String plainUrl() {
        return plainUrl;
    }

    public String user() {
        return user;
    }

    /** The password, for code that builds its own data source. Do not log it. */
    public String password() {
        return password;
    }

    /** Connection properties (user, password, bounded connect/login timeouts). */
    public Properties connectionProperties() {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "10");
        props.setProperty("loginTimeout", "20");
        props.setProperty("ApplicationName", "opc-scraper-tests");
        return props;
    }

    /** Opens a connection to {@link #url()}; fails with a message naming the URL tried. */
    public Connection connect() throws SQLException {
        return open(url, urlFromEnvironment ? ENV_URL : null);
    }

    /** Opens a connection to {@link #plainUrl()}; fails with a message naming the URL tried. */
    public Connection connectPlain() throws SQLException {
        return open(plainUrl, plainUrlFromEnvironment ? ENV_PLAIN_URL : null);
    }

    private Connection open(String jdbcUrl, String fromVariable) throws SQLException {
        try {
            return DriverManager.getConnection(jdbcUrl, connectionProperties());
        } catch (SQLException e) {
            throw new SQLException(unreachableMessage(jdbcUrl, fromVariable, e), e.getSQLState(), e);
        }
    }

    private String unreachableMessage(String jdbcUrl, String fromVariable, SQLException e) {
        String source = fromVariable != null
                ? "from " + fromVariable
                : "default; set " + ENV_URL + "/" + ENV_PLAIN_URL + " to use another database";
        String cause = redact(e.getMessage() == null ? e.getClass().getName() : e.getMessage());
        if (password.length() >= 3 && !password.equals(user)) {
            cause = cause.replace(password, "***"); // pgjdbc does not echo it; belt and braces
        }
        cause = cause.strip();
        while (cause.endsWith(".")) {
            cause = cause.substring(0, cause.length() - 1);
        }
        return "Test database not reachable: tried " + redact(jdbcUrl) + " as user '" + user + "' ("
                + source + "): " + cause
                + ". For the local TimescaleDB, " + START_HINT + " (as root).";
    }

    /** {@code url} with any {@code password=} parameter masked. */
    static String redact(String url) {
        return PASSWORD_IN_URL.matcher(url).replaceAll("$1***");
    }

    @Override
    public String toString() {
        return "TestDatabase[url=" + redact(url) + ", plainUrl=" + redact(plainUrl) + ", user=" + user + "]";
    }
}
