package io.opcscraper.itests.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP forwarder on 127.0.0.1 for tests: every connection it accepts is forwarded to a target
 * host and port (a database, an OPC UA server), one daemon thread per direction. {@link #cutOff()} makes the
 * target "stop": every open connection is closed at once and new ones are accepted and closed
 * immediately, until {@link #restore()}. {@link #close()} closes the listener and every
 * connection; the threads end with their sockets.
 */
public final class TcpProxy implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int BUFFER = 64 << 10;

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Object lock = new Object();
    /** Guarded by lock. */
    private final Set<Link> links = new HashSet<>();
    /** Guarded by lock. */
    private boolean cut;
    private volatile boolean closed;
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    /** One client connection and its upstream connection. */
    private final class Link {
        final Socket client;
        final Socket upstream;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            pump(this, this.client, this.upstream, "client->target");
            pump(this, this.upstream, this.client, "target->client");
        }

        void close() {
            closeQuietly(this.client);
            closeQuietly(this.upstream);
        }
    }

    private TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept-" + this.server.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    /** Starts a proxy on a free port of 127.0.0.1 forwarding to targetHost:targetPort. */
    public static TcpProxy start(String targetHost, int targetPort) throws IOException {
        TcpProxy proxy = new TcpProxy(targetHost, targetPort);
        proxy.acceptor.start();
        return proxy;
    }

    /** The local port clients connect to. */
    public int port() {
        return this.server.getLocalPort();
    }

    /** Closes every open connection now, and every new one as soon as it is accepted. */
    public void cutOff() {
        List<Link> open;
        synchronized (this.lock) {
            this.cut = true;
            open = new ArrayList<>(this.links);
            this.links.clear();
        }
        open.forEach(Link::close);
    }

    /** Accepts and forwards connections again. */
    public void restore() {
        synchronized (this.lock) {
            this.cut = false;
        }
    }

    /** Connections forwarded so far. */
    public long forwarded() {
        return this.forwarded.get();
    }

    /** Connections closed on arrival (cut off, or the target refused them) so far. */
    public long refused() {
        return this.refused.get();
    }

    /** Connections currently forwarded. */
    public int open() {
        synchronized (this.lock) {
            return this.links.size();
        }
    }

    private void acceptLoop() {
        while (!this.closed) {
            Socket client;
            try {
                client = this.server.accept();
            } catch (IOException e) {
                if (!this.closed) {
                    System.err.println("tcp proxy: accept failed: " + e);
                }
                return;
            }
            if (isCut()) {
                this.refused.incrementAndGet();
                closeQuietly(client);
                continue;
            }
            Socket upstream = new Socket();
            try {
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                upstream.connect(new InetSocketAddress(this.targetHost, this.targetPort), CONNECT_TIMEOUT_MS);
            } catch (IOException e) {
                this.refused.incrementAndGet();
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            Link link = new Link(client, upstream);
            boolean admitted;
            synchronized (this.lock) {
                // Checked again under the lock: a cutOff() during the connect must catch this one too.
                admitted = !this.cut && !this.closed;
                if (admitted) {
                    this.links.add(link);
                }
            }
            if (admitted) {
                this.forwarded.incrementAndGet();
                link.start();
            } else {
                this.refused.incrementAndGet();
                link.close();
            }
        }
    }

    private boolean isCut() {
        synchronized (this.lock) {
            return this.cut;
        }
    }

    private void pump(Link link, Socket from, Socket to, String direction) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[BUFFER];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (SocketException e) {
                // closed by the other direction, cutOff() or close()
            } catch (IOException e) {
                // the peer went away
            } finally {
                synchronized (this.lock) {
                    this.links.remove(link);
                }
                link.close();
            }
        }, "tcp-proxy-" + port() + "-" + direction);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        List<Link> open;
        synchronized (this.lock) {
            this.closed = true;
            open = new ArrayList<>(this.links);
            this.links.clear();
        }
        closeQuietly(this.server);
        open.forEach(Link::close);
        try {
            this.acceptor.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // nothing to do
        }
    }

    @Override
    public String toString() {
        return "TcpProxy[127.0.0.1:" + port() + " -> " + this.targetHost + ":" + this.targetPort + "]";
    }
}
