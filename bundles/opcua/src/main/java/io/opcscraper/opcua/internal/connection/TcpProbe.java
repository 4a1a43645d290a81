package io.opcscraper.opcua.internal.connection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;

/**
 * Whether an {@code opc.tcp://host:port/...} endpoint accepts TCP connections: a connect and a
 * close, nothing sent. Used while a session is lost, to notice that the server is back sooner
 * than Milo's reconnect schedule does (see {@link ConnectionSupervisor}).
 */
final class TcpProbe {

    private final String host;
    private final int port;
    private final int timeoutMs;

    private TcpProbe(String host, int port, int timeoutMs) {
        this.host = host;
        this.port = port;
        this.timeoutMs = timeoutMs;
    }

    /**
     * @return a probe of the URL's host and port, read by Milo's {@link EndpointUtil} as
     *     {@code endpoint.use.configured.address} does (host names with an underscore work; an
     *     IPv6 literal keeps its brackets; no port: 4840)
     * @throws IllegalArgumentException if the URL has no host or a port out of range
     *     (ConnectionOptions refuses such URLs)
     */
    static TcpProbe of(String endpointUrl, int timeoutMs) {
        String host = EndpointUtil.getHost(endpointUrl);
        int port = EndpointUtil.getPort(endpointUrl);
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("no host in " + endpointUrl);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range in " + endpointUrl);
        }
        return new TcpProbe(host, port, timeoutMs);
    }

    String host() {
        return this.host;
    }

    int port() {
        return this.port;
    }

    /** @return true if a TCP connection was accepted within the timeout (then closed at once) */
    boolean accepts() {
        try (Socket socket = new Socket()) {
            // Resolved at each probe: the name may point elsewhere after the server moved.
            socket.connect(new InetSocketAddress(this.host, this.port), this.timeoutMs);
            return true;
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            return false;
        }
    }
}
