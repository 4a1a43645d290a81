package io.opcscraper.simulator.internal;

import static java.util.concurrent.TimeUnit.SECONDS;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.api.config.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.api.config.OpcUaServerConfigLimits;
import org.eclipse.milo.opcua.sdk.server.identity.CompositeValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.X509IdentityValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.server.EndpointConfiguration;
import org.eclipse.milo.opcua.stack.server.security.ServerCertificateValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.simulator.PlantServer;

/** One running plant server: the Milo server, its namespace, its PKI; the implementation of PlantServer. */
public final class Simulator {

    /** The fastest sampling the server accepts (MinSupportedSampleRate) and offers, in ms. */
    static final double MIN_SAMPLING_INTERVAL_MS = 10.0;

    private static final Logger LOG = LoggerFactory.getLogger(PlantServer.class);
    private static final int BIND_ATTEMPTS = 5;
    private static final long STARTUP_TIMEOUT_S = 60;
    private static final long SHUTDOWN_TIMEOUT_S = 30;
    private static final long PORT_RELEASE_TIMEOUT_MS = 5_000;

    private final OpcUaServer server;
    private final PlantNamespace namespace;
    private final ServiceLimits limits;
    private final Pki pki;
    private final String endpointUrl;
    private final int port;
    private final String bindAddress;
    private final Path temporaryPkiDir;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Simulator(OpcUaServer server, PlantNamespace namespace, ServiceLimits limits, Pki pki,
                      String endpointUrl, String bindAddress, int port, Path temporaryPkiDir) {
        this.server = server;
        this.namespace = namespace;
        this.limits = limits;
        this.pki = pki;
        this.endpointUrl = endpointUrl;
        this.port = port;
        this.bindAddress = bindAddress;
        this.temporaryPkiDir = temporaryPkiDir;
    }

    /**
     * Builds the address space and starts the server. With port 0 the port is taken from the OS (bind
     * to port 0, release, reuse); if another process grabs it in between, the start fails with a
     * BindException and is retried on a new port.
     */
    public static Simulator start(SimulatorConfig config) throws Exception {
        List<SecurityPolicy> policies = policies(config.securityPolicies());
        if (policies.contains(SecurityPolicy.Aes256_Sha256_RsaPss)) {
            io.opcscraper.milo.jca.JcaProviders.ensureRsaPss();
        }
        Path temporaryPkiDir = config.pkiDir() == null
            ? Files.createTempDirectory("opcscraper-simulator-pki") : null;
        try {
            Pki pki = Pki.loadOrCreate(config.pkiDir() != null ? config.pkiDir() : temporaryPkiDir,
                config.bindAddress());
            Exception last = null;
            int attempts = config.port() == 0 ? BIND_ATTEMPTS : 1;
            for (int attempt = 0; attempt < attempts; attempt++) {
                int port = config.port() != 0 ? config.port() : freePort(config.bindAddress());
                String urlHost = urlHost(config.bindAddress());
                OpcUaServer server = new OpcUaServer(serverConfig(config, policies, pki, port, urlHost));
                ServiceLimits limits = ServiceLimits.install(server, Set.of(PlantServer.PATH), config);
                PlantNamespace namespace = new PlantNamespace(server, config);
                if (namespace.history() != null) {
                    HistoryService.install(server, Set.of(PlantServer.PATH), namespace.history(),
                        config.history().maxNodesPerRead());
                }
                namespace.startup();
                try {
                    server.startup().get(STARTUP_TIMEOUT_S, SECONDS);
                    // Milo 0.6 logs a failed bind at WARN and completes startup() normally anyway.
                    int bound = server.getStackServer().getBoundEndpoints().size();
                    int configured = server.getConfig().getEndpoints().size();
                    if (bound != configured) {
                        throw new ExecutionException(new BindException("cannot listen on " + config.bindAddress()
                            + ":" + port + " (Milo bound " + bound + " of " + configured + " endpoints)"));
                    }
                    String endpointUrl = "opc.tcp://" + urlHost + ":" + port + PlantServer.PATH;
                    Simulator simulator = new Simulator(server, namespace, limits, pki, endpointUrl,
                        config.bindAddress(), port, temporaryPkiDir);
                    simulator.logStarted(config, policies);
                    return simulator;
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                    namespace.shutdown();
                    server.shutdown().get(SHUTDOWN_TIMEOUT_S, SECONDS);
                    if (!(rootCause(e) instanceof BindException)) {
                        break;
                    }
                    LOG.debug("port {} taken, retrying on another", port, e);
                }
            }
            throw new IOException("the plant simulator did not start on " + config.bindAddress() + ":"
                + (config.port() == 0 ? "<free port>" : config.port()), last);
        } catch (Exception | Error e) {
            deleteTree(temporaryPkiDir);
            throw e;
        }
    }

    @SuppressWarnings({ "rawtypes", "unchecked" }) // Milo 0.6 CompositeValidator mixes validator types
    private static OpcUaServerConfig serverConfig(SimulatorConfig config, List<SecurityPolicy> policies, Pki pki,
                                                  int port, String urlHost) {
        boolean users = !config.users().isEmpty();
        Set<EndpointConfiguration> endpoints = new LinkedHashSet<>();
        for (SecurityPolicy policy : policies) {
            EndpointConfiguration.Builder base = EndpointConfiguration.newBuilder()
                .setBindAddress(config.bindAddress())
                .setHostname(urlHost)
                .setBindPort(port)
                .setPath(PlantServer.PATH)
                .setCertificate(pki.certificate)
                .setSecurityPolicy(policy);
            if (config.allowAnonymous()) {
                base.addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS);
            }
            if (users) {
                // On None the password is still encrypted (with Basic256Sha256); on a secure
                // endpoint with the channel's own policy.
                SecurityPolicy tokenPolicy = policy == SecurityPolicy.None ? SecurityPolicy.Basic256Sha256 : policy;
                base.addTokenPolicies(new UserTokenPolicy("username", UserTokenType.UserName, null, null,
                    tokenPolicy.getUri()));
            }
            if (!config.x509Users().isEmpty()) {
                SecurityPolicy tokenPolicy = policy == SecurityPolicy.None ? SecurityPolicy.Basic256Sha256 : policy;
                base.addTokenPolicies(new UserTokenPolicy("x509", UserTokenType.Certificate, null, null,
                    tokenPolicy.getUri()));
            }
            if (policy == SecurityPolicy.None) {
                endpoints.add(base.setSecurityMode(MessageSecurityMode.None).build());
            } else {
                endpoints.add(base.copy().setSecurityMode(MessageSecurityMode.Sign).build());
                endpoints.add(base.copy().setSecurityMode(MessageSecurityMode.SignAndEncrypt).build());
            }
        }

        if (!policies.contains(SecurityPolicy.None)) {
            // Every regular endpoint is secured: offer GetEndpoints without security at
            // PATH/discovery, as OPC UA servers do (Milo accepts only discovery services there).
            endpoints.add(EndpointConfiguration.newBuilder().setBindAddress(config.bindAddress())
                .setHostname(urlHost).setBindPort(port).setPath(PlantServer.PATH + "/discovery")
                .setCertificate(pki.certificate).setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None).build());
        }

        Map<String, String> passwords = Map.copyOf(config.users());
        UsernameIdentityValidator identityValidator = new UsernameIdentityValidator(config.allowAnonymous(),
            challenge -> {
                String expected = passwords.get(challenge.getUsername());
                return expected != null && MessageDigest.isEqual(
                    expected.getBytes(StandardCharsets.UTF_8),
                    challenge.getPassword().getBytes(StandardCharsets.UTF_8));
            });

        OpcUaServerConfigLimits limits = new OpcUaServerConfigLimits() {
            @Override
            public UInteger getMaxNodesPerRead() {
                return UInteger.valueOf(config.maxNodesPerRead());
            }

            @Override
            public UInteger getMaxNodesPerBrowse() {
                return UInteger.valueOf(config.maxNodesPerBrowse());
            }

            @Override
            public UInteger getMaxMonitoredItemsPerCall() {
                return UInteger.valueOf(config.maxMonitoredItemsPerCall());
            }

            @Override
            public Double getMinSupportedSampleRate() {
                return MIN_SAMPLING_INTERVAL_MS;
            }

            @Override
            public UInteger getMaxNodesPerHistoryReadData() {
                return UInteger.valueOf(config.history().maxNodesPerRead());
            }

            @Override
            public UShort getMaxHistoryContinuationPoints() {
                return UShort.valueOf(Math.min(65535, config.history().maxContinuationPoints()));
            }
        };

        return OpcUaServerConfig.builder()
            .setApplicationUri(PlantServer.APPLICATION_URI)
            .setApplicationName(LocalizedText.english("OPC Scraper plant simulator"))
            .setProductUri("urn:opcscraper:simulator")
            .setBuildInfo(new BuildInfo("urn:opcscraper:simulator", "OPC Scraper", "Plant simulator",
                OpcUaServer.SDK_VERSION, "", DateTime.now()))
            .setEndpoints(endpoints)
            .setCertificateManager(new DefaultCertificateManager(pki.keyPair, pki.certificate))
            .setCertificateValidator(new TrustEveryClient())
            .setIdentityValidator(config.x509Users().isEmpty() ? identityValidator
                : new CompositeValidator(identityValidator,
                    new X509IdentityValidator(certificate -> config.x509Users().contains(certificate))))
            .setLimits(limits)
            .build();
    }

    /** The simulator trusts every client certificate: it is a test server, never a production one. */
    private static final class TrustEveryClient implements ServerCertificateValidator {
        @Override
        public void validateCertificateChain(List<X509Certificate> certificateChain) {
            // accepted
        }

        @Override
        public void validateCertificateChain(List<X509Certificate> certificateChain, String applicationUri) {
            // accepted
        }
    }

    private static List<SecurityPolicy> policies(List<String> names) {
        List<SecurityPolicy> policies = new ArrayList<>();
        for (String name : names) {
            try {
                SecurityPolicy policy = SecurityPolicy.valueOf(name);
                if (!policies.contains(policy)) {
                    policies.add(policy);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown security policy '" + name + "'; Milo knows "
                    + List.of(SecurityPolicy.values()), e);
            }
        }
        return policies;
    }

    private void logStarted(SimulatorConfig config, List<SecurityPolicy> policies) {
        LOG.info("Plant simulator listening at {} (security policies {}, anonymous {}, users {}): {} tags at {} Hz, "
                + "{} variables in {} (ns={}); limits: {} nodes/Read, {} nodes/Browse, {} references/Browse, "
                + "{} monitored items/call; certificate {}",
            endpointUrl, policies, config.allowAnonymous(), config.users().keySet(), config.tags(),
            config.changeRateHz(), namespace.variableCount(), PlantServer.NAMESPACE_URI,
            namespace.namespaceIndexValue(), config.maxNodesPerRead(), config.maxNodesPerBrowse(),
            config.maxReferencesPerBrowse() == 0 ? "unlimited" : config.maxReferencesPerBrowse(),
            config.maxMonitoredItemsPerCall(), pki.certificate.getSubjectX500Principal());
        if (namespace.history() != null) {
            LOG.info("Plant simulator history: the sensor variables are historizing, {} s kept from {}; at most {} "
                    + "values per node per HistoryRead response, {} nodes per HistoryRead, {} continuation points "
                    + "per session", config.history().seconds(), namespace.history().start(),
                config.history().maxValuesPerNode(), config.history().maxNodesPerRead(),
                config.history().maxContinuationPoints());
        }
    }

    // ----- PlantServer API -----

    public String endpointUrl() {
        return endpointUrl;
    }

    public int port() {
        return port;
    }

    public void extendStructureType(String typeName, String field) {
        namespace.extendStructureType(typeName, field);
    }

    public int namespaceIndex() {
        return namespace.namespaceIndexValue();
    }

    public List<String> variableNodeIds() {
        return expanded(namespace.variableIds());
    }

    public int variableCount() {
        return namespace.variableCount();
    }

    public List<String> propertyNodeIds() {
        return expanded(namespace.propertyIds());
    }

    public void removeVariable(String nodeId) {
        namespace.removeVariable(identifier(nodeId, namespace.namespaceIndexValue()));
    }

    public X509Certificate certificate() {
        return pki.certificate;
    }

    public long valuesServed() {
        return namespace.valuesServed();
    }

    public long valueChanges() {
        return namespace.valueChanges();
    }

    public void stopHistorizing(String nodeId) {
        namespace.stopHistorizing(identifier(nodeId, namespace.namespaceIndexValue()));
    }

    /** When the history begins, or null without history. */
    public java.time.Instant historyStart() {
        return namespace.history() == null ? null : namespace.history().start();
    }

    public int historyContinuationPoints() {
        return namespace.history() == null ? 0 : namespace.history().continuationPoints();
    }

    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            namespace.shutdown();
            server.shutdown().get(SHUTDOWN_TIMEOUT_S, SECONDS);
            awaitPortReleased();
            LOG.info("Plant simulator at {} stopped", endpointUrl);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while stopping the plant simulator at {}", endpointUrl);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("the plant simulator at {} did not stop cleanly", endpointUrl, e);
        } finally {
            limits.clear();
            if (namespace.history() != null) {
                namespace.history().clear();
            }
            deleteTree(temporaryPkiDir);
        }
    }

    /**
     * Milo 0.6 closes the listening channel asynchronously: its shutdown future completes before the
     * port is free, and a restart on the same port could then fail with a BindException. Probe-bind
     * the port until it is free, polling every millisecond, at most {@value #PORT_RELEASE_TIMEOUT_MS} ms.
     */
    private void awaitPortReleased() {
        InetSocketAddress address = new InetSocketAddress(bindAddress, port);
        long deadline = System.nanoTime() + PORT_RELEASE_TIMEOUT_MS * 1_000_000L;
        while (true) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(address);
                return;
            } catch (IOException stillBound) {
                if (System.nanoTime() - deadline > 0) {
                    LOG.warn("port {} of the plant simulator is still bound {} ms after shutdown", port,
                        PORT_RELEASE_TIMEOUT_MS);
                    return;
                }
                LockSupport.parkNanos(1_000_000L);
            }
        }
    }

    private static List<String> expanded(List<String> identifiers) {
        List<String> ids = new ArrayList<>(identifiers.size());
        String prefix = "nsu=" + PlantServer.NAMESPACE_URI + ";s=";
        for (String id : identifiers) {
            ids.add(prefix + id);
        }
        return ids;
    }

    /**
     * The string identifier of a plant node id given as {@code nsu=URI;s=ID}, {@code ns=INDEX;s=ID} or
     * {@code s=ID}. The identifier may itself contain ';' (hostile names do): the first ";s=" ends
     * the namespace part, which never contains one.
     */
    static String identifier(String nodeId, int namespaceIndex) {
        if (nodeId.startsWith("s=")) {
            return nodeId.substring(2);
        }
        int separator = nodeId.indexOf(";s=");
        if (separator < 0) {
            throw new IllegalArgumentException("not a string node id of the plant: " + nodeId);
        }
        String identifier = nodeId.substring(separator + 3);
        if (nodeId.startsWith("nsu=")) {
            String uri = nodeId.substring(4, separator);
            if (!uri.equals(PlantServer.NAMESPACE_URI)) {
                throw new IllegalArgumentException("not in namespace " + PlantServer.NAMESPACE_URI + ": " + nodeId);
            }
            return identifier;
        }
        if (nodeId.startsWith("ns=")) {
            int index;
            try {
                index = Integer.parseInt(nodeId.substring(3, separator));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad namespace index in " + nodeId, e);
            }
            if (index != namespaceIndex) {
                throw new IllegalArgumentException("not in namespace " + namespaceIndex + ": " + nodeId);
            }
            return identifier;
        }
        throw new IllegalArgumentException("not a string node id of the plant: " + nodeId);
    }

    static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    private static String urlHost(String bindAddress) {
        String host = isWildcard(bindAddress) ? InetAddress.getLoopbackAddress().getHostAddress() : bindAddress;
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static int freePort(String bindAddress) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(bindAddress))) {
            return socket.getLocalPort();
        }
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.debug("cannot delete {}", dir, e);
        }
    }
}
