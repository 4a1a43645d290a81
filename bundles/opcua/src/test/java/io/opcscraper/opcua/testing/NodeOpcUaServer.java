package io.opcscraper.opcua.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An independent OPC UA server for integration tests: {@code testing/node-opcua/server.js}
 * (node-opcua, a JavaScript OPC UA stack not written by us) run as a child process.
 *
 * <p>Endpoint {@code opc.tcp://127.0.0.1:PORT/UA/NodeOpcUa}, security None and Basic256Sha256
 * Sign/SignAndEncrypt, anonymous allowed; the address space is described in
 * {@code testing/node-opcua/README.md} (namespace {@value #NAMESPACE_URI}).
 *
 * <p>Requirements, checked by {@link #start(int)} which <b>fails</b> (never skips) without them:
 * {@code node} (Node.js 18+) on the PATH and the server's dependencies installed with
 * {@code npm ci --prefix testing/node-opcua}. The server folder is {@code ../../testing/node-opcua}
 * relative to the working directory (Surefire runs a module's tests in the module folder), or
 * the system property {@value #DIR_PROPERTY}.
 *
 * <p>The server's certificate lives in a temporary PKI folder that is kept across
 * {@link #kill()}/{@link #restart()} (same server identity after a restart) and deleted by
 * {@link #close()}. Its output goes to this class's SLF4J logger, each line prefixed with
 * {@code [node-opcua:PORT]}.
 */
public final class NodeOpcUaServer implements AutoCloseable {

    /** System property: the folder holding server.js and node_modules. */
    public static final String DIR_PROPERTY = "opcscraper.node-opcua.dir";
    /** The default folder, relative to the Maven module folder (bundles/opcua). */
    public static final String DEFAULT_DIR = "../../testing/node-opcua";
    /** The namespace URI of the server's own address space. */
    public static final String NAMESPACE_URI = "urn:opcscraper:test:node-opcua";
    public static final String HOST = "127.0.0.1";
    public static final String RESOURCE_PATH = "/UA/NodeOpcUa";
    private static final String INSTALL_HINT = "run: npm ci --prefix testing/node-opcua";

    /** How long one start may take until the LISTENING line. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** How long a start keeps retrying while the port is in use (exit code 3 of server.js). */
    private static final Duration PORT_IN_USE_RETRY = Duration.ofSeconds(30);
    /** How many other free ports a start on port 0 tries when its picked port was taken. */
    private static final int PICKED_PORT_ATTEMPTS = 5;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int EXIT_PORT_IN_USE = 3;

    private static final Logger LOG = LoggerFactory.getLogger(NodeOpcUaServer.class);

    private final Path dir;
    private final Path pki;
    private int port;
    private Process process;
    private boolean closed;

    private NodeOpcUaServer(Path dir, Path pki) {
        this.dir = dir;
        this.pki = pki;
    }

    /**
     * Starts the server and waits until it accepts connections.
     *
     * @param port the TCP port on 127.0.0.1, or 0 for a free one. A free port is found by
     *     opening and closing a {@link ServerSocket}; another process could take it before node
     *     binds it (a tiny race), in which case server.js exits with code 3 and another free
     *     port is tried (up to {@value #PICKED_PORT_ATTEMPTS} times).
     * @throws IllegalStateException when node, server.js or node_modules is missing, or the
     *     server does not start
     */
    public static NodeOpcUaServer start(int port) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Path dir = serverDir();
        Path pki = Files.createTempDirectory("opcscraper-node-opcua-pki-");
        NodeOpcUaServer server = new NodeOpcUaServer(dir, pki);
        try {
            if (port != 0) {
                server.startOnPort(port, true);
            } else {
                int attempts = 0;
                while (true) {
                    attempts++;
                    try {
                        server.startOnPort(freePort(), false);
                        break;
                    } catch (PortInUseException e) {
                        if (attempts >= PICKED_PORT_ATTEMPTS) {
                            throw new IllegalStateException("node-opcua server: " + attempts
                                    + " free ports picked, each was taken before node could bind it", e);
                        }
                        LOG.info("picked port {} was taken meanwhile, picking another", e.port);
                    }
                }
            }
            return server;
        } catch (IOException | RuntimeException | Error e) {
            try {
                server.close();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** {@code opc.tcp://127.0.0.1:PORT/UA/NodeOpcUa}. */
    public synchronized String endpointUrl() {
        return "opc.tcp://" + HOST + ":" + port + RESOURCE_PATH;
    }

    public synchronized int port() {
        return port;
    }

    /** The server's PKI folder (own certificate under {@code server/own/certs/certificate.pem}). */
    public Path pkiDir() {
        return pki;
    }

    /** Whether the node process is running. */
    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Kills the process with SIGKILL (no shutdown: clients see the connection drop) and waits for it. */
    public synchronized void kill() throws IOException {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        waitForExit(p, "SIGKILL");
        process = null;
    }

    /**
     * Starts the server again on the same port (killing the running one first, if any) and
     * waits for LISTENING. Node's listening socket has SO_REUSEADDR (libuv sets it), so
     * connections of the old process in TIME_WAIT do not block the bind; if the port is still
     * held by something else, the start is retried for {@code PORT_IN_USE_RETRY}.
     */
    public synchronized void restart() throws IOException {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        kill();
        startOnPort(port, true);
    }

    /** Stops the server gracefully (SIGTERM, SIGKILL after 10 s) and deletes its PKI folder. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        Process p = process;
        process = null;
        try {
            if (p != null && p.isAlive()) {
                p.destroy(); // SIGTERM: server.js shuts down and exits 0
                boolean exited;
                try {
                    exited = p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exited = false;
                }
                if (!exited) {
                    LOG.warn("node-opcua server on port {} ignored SIGTERM for {}, killing it", port, STOP_TIMEOUT);
                    p.destroyForcibly();
                    waitForExit(p, "SIGKILL");
                }
            }
        } finally {
            deleteRecursively(pki);
        }
    }

    @Override
    public String toString() {
        return "NodeOpcUaServer[" + endpointUrl() + "]";
    }

    // ---------------------------------------------------------------------------------------

    /**
     * Starts node on {@code port}; if {@code retryWhileInUse}, retries while the port is in use,
     * up to PORT_IN_USE_RETRY (a port picked by {@link #start(int)} with 0 is not retried: the
     * caller picks another one).
     */
    private synchronized void startOnPort(int port, boolean retryWhileInUse) throws IOException {
        long deadline = System.nanoTime() + PORT_IN_USE_RETRY.toNanos();
        while (true) {
            try {
                startOnce(port);
                return;
            } catch (PortInUseException e) {
                // Each attempt takes a node start (1 to 2 s) before it binds: that paces the retries.
                if (!retryWhileInUse || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                LOG.info("port {} still in use, starting node-opcua again", port);
            }
        }
    }

    private void startOnce(int port) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                "node", dir.resolve("server.js").toString(), "--port", Integer.toString(port), "--pki", pki.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        String prefix = "[node-opcua:" + port + "] ";
        long started = System.nanoTime();
        Process p;
        try {
            p = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run 'node' (Node.js 18 or later must be on the PATH; then "
                    + INSTALL_HINT + "): " + e.getMessage(), e);
        }
        CompletableFuture<Void> listening = new CompletableFuture<>();
        String expected = "LISTENING " + port;
        forward(p.getInputStream(), prefix, line -> {
            if (line.equals(expected)) {
                listening.complete(null);
            }
        }, () -> listening.completeExceptionally(new IOException("node-opcua server output ended before LISTENING")),
                "node-opcua-stdout-" + port);
        forward(p.getErrorStream(), prefix, line -> { }, () -> { }, "node-opcua-stderr-" + port);
        p.getOutputStream().close();

        try {
            listening.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            p.destroyForcibly();
            waitForExit(p, "SIGKILL");
            throw new IllegalStateException("node-opcua server did not print '" + expected + "' within "
                    + START_TIMEOUT.toSeconds() + " s (its output is in the log above, prefixed " + prefix.trim() + ")");
        } catch (ExecutionException e) {
            int exit = waitForExit(p, "its own exit");
            if (exit == EXIT_PORT_IN_USE) {
                throw new PortInUseException(port);
            }
            throw new IllegalStateException("node-opcua server exited with code " + exit + " before LISTENING"
                    + " (its output is in the log above, prefixed " + prefix.trim() + "); if node-opcua is missing, "
                    + INSTALL_HINT);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while starting the node-opcua server");
        }
        this.port = port;
        this.process = p;
        LOG.info("node-opcua server listening at {} after {} ms", endpointUrl(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static int waitForExit(Process p, String what) throws IOException {
        try {
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("node-opcua server (pid " + p.pid() + ") did not exit within "
                        + STOP_TIMEOUT.toSeconds() + " s after " + what);
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the node-opcua server to exit");
        }
    }

    /** Copies the lines of {@code in} to the log on a daemon thread. */
    private static void forward(InputStream in, String prefix, java.util.function.Consumer<String> onLine,
            Runnable onEnd, String threadName) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    LOG.info("{}{}", prefix, line);
                    onLine.accept(line);
                }
            } catch (IOException e) {
                LOG.debug("{}output closed: {}", prefix, e.getMessage());
            } finally {
                onEnd.run();
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** The server folder, checked: server.js and node_modules/node-opcua must be there. */
    private static Path serverDir() {
        String configured = System.getProperty(DIR_PROPERTY);
        Path dir = Paths.get(configured != null && !configured.isBlank() ? configured : DEFAULT_DIR)
                .toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("server.js"))) {
            throw new IllegalStateException("node-opcua test server not found: no server.js in " + dir
                    + " (working directory " + Paths.get("").toAbsolutePath() + "; set -D" + DIR_PROPERTY
                    + "=<repo>/testing/node-opcua)");
        }
        if (!Files.isRegularFile(dir.resolve("node_modules/node-opcua/package.json"))) {
            throw new IllegalStateException("node-opcua is not installed in " + dir.resolve("node_modules")
                    + ": " + INSTALL_HINT + " (from the repository root)");
        }
        return dir;
    }

    /** A port that was free on 127.0.0.1 a moment ago. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot delete {}: {}", root, e.getMessage());
        }
    }

    /** server.js exited with code 3: the port is in use. */
    private static final class PortInUseException extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        final int port;

        PortInUseException(int port) {
            super("port " + port + " on " + HOST + " is in use");
            this.port = port;
        }
    }
}
