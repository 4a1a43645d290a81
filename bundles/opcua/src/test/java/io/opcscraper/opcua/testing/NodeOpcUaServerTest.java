package io.opcscraper.opcua.testing;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.api.UaSession;
import org.eclipse.milo.opcua.sdk.client.api.config.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.api.config.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.sdk.client.api.identity.AnonymousProvider;
import org.eclipse.milo.opcua.stack.client.DiscoveryClient;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseNextResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ViewDescription;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The node-opcua test server (an OPC UA stack not written by us) works with the Milo client:
 * endpoints, browse, reads (Good and Bad), a secure session, and Milo's own reconnect after the
 * server process is killed and started again on the same port.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeOpcUaServerTest {

    /** Timeout of every single OPC UA call of this test. */
    private static final long CALL_TIMEOUT_S = 15;
    /** Milo must be reading Good values again within this time after the restarted server listens. */
    private static final long RECONNECT_TIMEOUT_S = 30;

    private static NodeOpcUaServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = NodeOpcUaServer.start(0);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void offersNoneAndBasic256Sha256Endpoints() throws Exception {
        List<EndpointDescription> endpoints = endpoints();
        Set<String> offered = endpoints.stream()
                .map(e -> e.getSecurityPolicyUri().substring(e.getSecurityPolicyUri().indexOf('#') + 1) + "/" + e.getSecurityMode())
                .collect(Collectors.toSet());
        assertEquals(Set.of("None/None", "Basic256Sha256/Sign", "Basic256Sha256/SignAndEncrypt"), offered);
        for (EndpointDescription endpoint : endpoints) {
            assertEquals(server.endpointUrl(), endpoint.getEndpointUrl());
        }
    }

    @Test
    @Order(2)
    void browsesTheWholeFactory() throws Exception {
        OpcUaClient client = connect(endpoint(SecurityPolicy.None, MessageSecurityMode.None), null);
        try {
            UShort ns = namespaceIndex(client);
            NodeId factory = child(client, Identifiers.ObjectsFolder, ns, "Factory");
            assertEquals(new NodeId(ns, "Factory"), factory);
            List<String> variables = new ArrayList<>();
            collectVariables(client, factory, "Factory", variables);
            assertEquals(220, variables.size(), () -> "variables under Factory (the historian's 5 included): " + variables);
            assertTrue(variables.contains("Factory/Area5/Tank10/ValveOpen"), variables::toString);
            assertTrue(variables.contains("Factory/Boiler2/Pump/Speed"), variables::toString);

            NodeId boiler2 = child(client, factory, ns, "Boiler2");
            DataValue samples = read(client, child(client, boiler2, ns, "Samples"));
            assertTrue(samples.getStatusCode().isGood(), samples::toString);
            Object value = samples.getValue().getValue();
            assertInstanceOf(Double[].class, value);
            assertEquals(4, ((Double[]) value).length);
            assertEquals(2.0, ((Double[]) value)[3]);

            DataValue label = read(client, child(client, boiler2, ns, "Label"));
            assertEquals("Boiler 2", label.getValue().getValue());
            DataValue level = read(client, child(client, boiler2, ns, "Level"));
            assertInstanceOf(Float.class, level.getValue().getValue());
            NodeId pump = child(client, boiler2, ns, "Pump");
            assertInstanceOf(Boolean.class, read(client, child(client, pump, ns, "Running")).getValue().getValue());
            assertInstanceOf(Integer.class, read(client, child(client, pump, ns, "Speed")).getValue().getValue());
        } finally {
            disconnect(client);
        }
    }

    @Test
    @Order(3)
    void signAndEncryptWithBasic256Sha256() throws Exception {
        KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        X509Certificate certificate = new SelfSignedCertificateBuilder(keyPair)
                .setCommonName("OPC Scraper node-opcua test client")
                .setApplicationUri("urn:opcscraper:test:milo-client")
                .addDnsName("localhost")
                .addIpAddress("127.0.0.1")
                .build();
        OpcUaClient client = connect(endpoint(SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt),
                builder -> builder.setKeyPair(keyPair).setCertificate(certificate));
        try {
            UShort ns = namespaceIndex(client);
            DataValue counter = read(client, new NodeId(ns, "Factory.Boiler1.Counter"));
            assertTrue(counter.getStatusCode().isGood(), counter::toString);
            assertInstanceOf(UInteger.class, counter.getValue().getValue());
        } finally {
            disconnect(client);
        }
    }

    @Test
    @Order(4) // last: it kills and restarts the shared server
    void readsGoodAndBadAndReconnectsAfterKillAndRestart() throws Exception {
        OpcUaClient client = connect(endpoint(SecurityPolicy.None, MessageSecurityMode.None), null);
        SessionEvents sessions = new SessionEvents();
        client.addSessionActivityListener(sessions);
        try {
            UShort ns = namespaceIndex(client);
            NodeId factory = child(client, Identifiers.ObjectsFolder, ns, "Factory");
            NodeId boiler1 = child(client, factory, ns, "Boiler1");
            NodeId temperature = child(client, boiler1, ns, "Temperature");

            DataValue good = read(client, temperature);
            assertTrue(good.getStatusCode().isGood(), good::toString);
            assertInstanceOf(Double.class, good.getValue().getValue());
            assertNotNull(good.getSourceTime());

            DataValue bad = read(client, child(client, boiler1, ns, "Broken"));
            assertTrue(bad.getStatusCode().isBad(), bad::toString);
            assertEquals(StatusCodes.Bad_CommunicationError, bad.getStatusCode().getValue(), bad::toString);

            CompletableFuture<UaSession> inactive = sessions.nextInactive();
            server.kill();
            assertFalse(server.isAlive());
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> client.readValue(0.0, TimestampsToReturn.Both, temperature).get(CALL_TIMEOUT_S, TimeUnit.SECONDS),
                    "a read must fail while the server is down");
            System.out.println("read while the server is down failed as expected: " + failure.getCause());
            inactive.get(CALL_TIMEOUT_S, TimeUnit.SECONDS);

            CompletableFuture<UaSession> active = sessions.nextActive();
            server.restart();
            long restarted = System.nanoTime();
            try {
                active.get(RECONNECT_TIMEOUT_S, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("Milo did not re-establish a session within " + RECONNECT_TIMEOUT_S
                        + " s after the server was listening again", e);
            }
            DataValue again = read(client, temperature);
            System.out.printf("Milo read Good again %d ms after the restarted server listened%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));
            assertTrue(again.getStatusCode().isGood(), again::toString);
            assertInstanceOf(Double.class, again.getValue().getValue());
        } finally {
            disconnect(client);
        }
    }

    // --- helpers -------------------------------------------------------------------------

    private static List<EndpointDescription> endpoints() throws Exception {
        return DiscoveryClient.getEndpoints(server.endpointUrl()).get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
    }

    private static EndpointDescription endpoint(SecurityPolicy policy, MessageSecurityMode mode) throws Exception {
        return endpoints().stream()
                .filter(e -> policy.getUri().equals(e.getSecurityPolicyUri()) && e.getSecurityMode() == mode)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no endpoint " + policy + "/" + mode));
    }

    private static OpcUaClient connect(EndpointDescription endpoint,
            java.util.function.UnaryOperator<OpcUaClientConfigBuilder> customizer) throws Exception {
        OpcUaClientConfigBuilder builder = OpcUaClientConfig.builder()
                .setApplicationName(LocalizedText.english("OPC Scraper node-opcua test client"))
                .setApplicationUri("urn:opcscraper:test:milo-client")
                .setEndpoint(endpoint)
                .setIdentityProvider(new AnonymousProvider())
                .setRequestTimeout(uint(5_000));
        if (customizer != null) {
            builder = customizer.apply(builder);
        }
        OpcUaClient client = OpcUaClient.create(builder.build());
        client.connect().get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
        return client;
    }

    private static void disconnect(OpcUaClient client) {
        try {
            client.disconnect().get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println("disconnect: " + e);
        }
    }

    private static UShort namespaceIndex(OpcUaClient client) {
        UShort index = client.getNamespaceTable().getIndex(NodeOpcUaServer.NAMESPACE_URI);
        assertNotNull(index, "namespace " + NodeOpcUaServer.NAMESPACE_URI + " not in the server's namespace table");
        return index;
    }

    private static DataValue read(OpcUaClient client, NodeId nodeId) throws Exception {
        return client.readValue(0.0, TimestampsToReturn.Both, nodeId).get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
    }

    /** The child of {@code parent} with browse name {@code ns:name}, through hierarchical references. */
    private static NodeId child(OpcUaClient client, NodeId parent, UShort ns, String name) throws Exception {
        QualifiedName wanted = new QualifiedName(ns, name);
        for (ReferenceDescription reference : browse(client, parent)) {
            if (wanted.equals(reference.getBrowseName())) {
                return reference.getNodeId().toNodeId(client.getNamespaceTable())
                        .orElseThrow(() -> new AssertionError("not a local node: " + reference.getNodeId()));
            }
        }
        throw new AssertionError("no child " + wanted + " under " + parent);
    }

    private static void collectVariables(OpcUaClient client, NodeId node, String path, List<String> variables)
            throws Exception {
        for (ReferenceDescription reference : browse(client, node)) {
            String childPath = path + "/" + reference.getBrowseName().getName();
            NodeId child = reference.getNodeId().toNodeId(client.getNamespaceTable()).orElseThrow();
            if (reference.getNodeClass() == NodeClass.Variable) {
                variables.add(childPath);
            } else {
                collectVariables(client, child, childPath, variables);
            }
        }
    }

    /** Forward hierarchical references to objects and variables, following continuation points. */
    private static List<ReferenceDescription> browse(OpcUaClient client, NodeId node) throws Exception {
        BrowseDescription description = new BrowseDescription(node, BrowseDirection.Forward,
                Identifiers.HierarchicalReferences, true,
                uint(NodeClass.Object.getValue() | NodeClass.Variable.getValue()),
                uint(BrowseResultMask.All.getValue()));
        BrowseResponse response = client.browse(new ViewDescription(NodeId.NULL_VALUE, DateTime.MIN_VALUE, uint(0)), uint(0), List.of(description))
                .get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
        BrowseResult result = response.getResults()[0];
        List<ReferenceDescription> references = new ArrayList<>();
        while (true) {
            BrowseResult current = result;
            assertTrue(current.getStatusCode().isGood(), () -> "browse " + node + ": " + current.getStatusCode());
            if (result.getReferences() != null) {
                references.addAll(List.of(result.getReferences()));
            }
            ByteString continuationPoint = result.getContinuationPoint();
            if (continuationPoint == null || continuationPoint.isNullOrEmpty()) {
                return references;
            }
            BrowseNextResponse next = client.browseNext(false, List.of(continuationPoint))
                    .get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
            result = next.getResults()[0];
        }
    }

    /** Futures for the next session activation / deactivation Milo reports. */
    private static final class SessionEvents implements SessionActivityListener {
        private volatile CompletableFuture<UaSession> active = new CompletableFuture<>();
        private volatile CompletableFuture<UaSession> inactive = new CompletableFuture<>();

        CompletableFuture<UaSession> nextActive() {
            return active = new CompletableFuture<>();
        }

        CompletableFuture<UaSession> nextInactive() {
            return inactive = new CompletableFuture<>();
        }

        @Override
        public void onSessionActive(UaSession session) {
            active.complete(session);
        }

        @Override
        public void onSessionInactive(UaSession session) {
            inactive.complete(session);
        }
    }
}
