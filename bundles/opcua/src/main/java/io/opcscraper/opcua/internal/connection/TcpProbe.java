package io.opcscraper.opcua.internal.connection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Whether an {@code opc.tcp://host:port/...} endpoint accepts TCP connections: a connect and a
 * close, nothing sent. Used while a session is lost, to notice that the server is back sooner
 * than Milo's reconnect schedule does (see {@link ConnectionSupervisor}).
 */
final class TcpProbe {

    /** The port of opc.tcp when the URL names none (OPC UA Part 6). */
    static final int DEFAULT_PORT = 4840;

    private final InetSocketAddress address;
    private final int timeoutMs;

    private TcpProbe(String host, int port, int timeoutMs) {
        this.address = InetSocketAddress.createUnresolved(host, port);
        this.timeoutMs = timeoutMs;
    }

    /**
     * @return a probe of the URL's host and port; parsed by hand: {@link java.net.URI} has no host
     *     for names with an underscore ({@code opc.tcp://opc_server:4840}), which are common here
     * @throws IllegalArgumentException if the URL has no host or a bad port (ConnectionOptions
     *     refuses such URLs)
     */
    static TcpProbe of(String endpointUrl, int timeoutMs) {
        String rest = endpointUrl.trim();
        int scheme = rest.indexOf("://");
        rest = scheme < 0 ? rest : rest.substring(scheme + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        String host;
        String port = null;
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("unclosed [ in " + endpointUrl);
            }
            host = authority.substring(1, end);
            if (authority.length() > end + 1 && authority.charAt(end + 1) == ':') {
                port = authority.substring(end + 2);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no host in " + endpointUrl);
        }
        int number = port == null || port.isEmpty() ? DEFAULT_PORT : Integer.parseInt(port);
        if (number < 1 || number > 65535) {
            throw new IllegalArgumentException("port out of range in " + endpointUrl);
        }
        return new TcpProbe(host, number, timeoutMs);
    }

    String host() {
        return this.address.getHostString();
    }

    int port() {
        return this.address.getPort();
    }

    /** @return true if a TCP connection was accepted within the timeout (then closed at once) */
    boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(this.address.getHostString(), this.address.getPort()), this.timeoutMs);
            return true;
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            return false;
        }
    }
}
