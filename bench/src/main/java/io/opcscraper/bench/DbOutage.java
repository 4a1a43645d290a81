package io.opcscraper.bench;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.opcscraper.itests.support.TcpProxy;

/**
 * A database outage for the gateway only ({@code --db-outage S}, issue 13): the gateway's writer reaches the
 * database through a {@link TcpProxy} of the reliability tests on a free port of 127.0.0.1; {@link #cut} closes its
 * connections and refuses new ones (to the writer the database is gone), {@link #restore} lets it reconnect. The
 * database itself keeps running for the bench's own sessions and for everything else on the machine.
 */
final class DbOutage implements AutoCloseable {

    private static final Pattern HOST_PORT = Pattern.compile("^jdbc:postgresql://([^/:?]+)(?::(\\d+))?(/.*)?$");

    private final TcpProxy proxy;
    private final Database.Settings settings;

    private DbOutage(TcpProxy proxy, Database.Settings settings) {
        this.proxy = proxy;
        this.settings = settings;
    }

    /** A proxy to the database of {@code direct}; {@link #settings} are the gateway's through it. */
    static DbOutage start(Database.Settings direct) throws IOException {
        Matcher m = matcher(direct.url());
        int port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
        TcpProxy proxy = TcpProxy.start(m.group(1), port);
        return new DbOutage(proxy, new Database.Settings(throughProxy(direct.url(), proxy.port()), direct.user(),
            direct.password()));
    }

    /** {@code url} with its host and port replaced by 127.0.0.1:port (one host only; its path and parameters kept). */
    static String throughProxy(String url, int port) {
        Matcher m = matcher(url);
        return "jdbc:postgresql://127.0.0.1:" + port + (m.group(3) == null ? "/" : m.group(3));
    }

    private static Matcher matcher(String url) {
        Matcher m = HOST_PORT.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("--db-outage needs a jdbc:postgresql://host[:port]/db URL of one host: " + url);
        }
        return m;
    }

    Database.Settings settings() {
        return settings;
    }

    void cut() {
        proxy.cutOff();
    }

    void restore() {
        proxy.restore();
    }

    /** Connections refused while cut (the writer's reconnection attempts). */
    long refused() {
        return proxy.refused();
    }

    @Override
    public void close() {
        proxy.close();
    }
}
