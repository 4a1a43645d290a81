package io.opcscraper.itests.milo;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.api.config.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.api.identity.AnonymousProvider;
import org.eclipse.milo.opcua.stack.client.DiscoveryClient;
import org.eclipse.milo.opcua.stack.client.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.Stack;
import org.eclipse.milo.opcua.stack.core.security.DefaultTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opcscraper.simulator.PlantServer;

/**
 * A Milo 0.6.16 client opens sessions to a Milo 0.6.16 server (the plant simulator), both
 * running from bundle io.opcscraper.milo inside the Kura 5.5 profile: once without security,
 * once with Basic256Sha256 / SignAndEncrypt (the client trusts exactly the server's certificate;
 * the simulator accepts any client certificate).
 */
class MiloSessionTest {

    static final String CLIENT_APPLICATION_URI = "urn:opcscraper:itests:milo:client";

    @TempDir
    static Path pki;

    static KeyPair clientKeyPair;
    static X509Certificate clientCertificate;
    static PlantServer server;

    @BeforeAll
    static void startServer() throws Exception {
        clientKeyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        clientCertificate = new SelfSignedCertificateBuilder(clientKeyPair)
            .setCommonName("OPC Scraper itest client")
            .setOrganization("OPC Scraper")
            .setApplicationUri(CLIENT_APPLICATION_URI)
            .addDnsName("localhost")
            .addIpAddress("127.0.0.1")
            .build();
        server = PlantServer.builder().tags(8).securityPolicies("None", "Basic256Sha256")
            .pkiDir(pki.resolve("server")).start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
        Stack.releaseSharedResources(10, SECONDS);
    }

    @Test
    void sessionWithoutSecurity() throws Exception {
        readThroughSession(SecurityPolicy.None, MessageSecurityMode.None);
    }

    @Test
    void sessionWithBasic256Sha256SignAndEncrypt() throws Exception {
        readThroughSession(SecurityPolicy.Basic256Sha256, MessageSecurityMode.SignAndEncrypt);
    }

    private void readThroughSession(SecurityPolicy policy, MessageSecurityMode mode) throws Exception {
        List<EndpointDescription> endpoints = DiscoveryClient.getEndpoints(server.endpointUrl()).get(10, SECONDS);
        EndpointDescription endpoint = endpoints.stream()
            .filter(e -> policy.getUri().equals(e.getSecurityPolicyUri()) && e.getSecurityMode() == mode)
            .findFirst()
            .orElseThrow(() -> new AssertionError("server offers no " + policy + "/" + mode + " endpoint: " + endpoints));
        assertEquals(server.endpointUrl(), endpoint.getEndpointUrl());

        // The client trusts exactly the server's certificate.
        DefaultTrustListManager clientTrust = new DefaultTrustListManager(
            pki.resolve("client-pki-" + policy.name()).toFile());
        clientTrust.addTrustedCertificate(server.certificate());

        OpcUaClientConfig config = OpcUaClientConfig.builder()
            .setApplicationName(LocalizedText.english("OPC Scraper itest client"))
            .setApplicationUri(CLIENT_APPLICATION_URI)
            .setProductUri("urn:opcscraper:itests")
            .setEndpoint(endpoint)
            .setKeyPair(clientKeyPair)
            .setCertificate(clientCertificate)
            .setCertificateChain(new X509Certificate[] {clientCertificate})
            .setCertificateValidator(new DefaultClientCertificateValidator(clientTrust))
            .setIdentityProvider(new AnonymousProvider())
            .setRequestTimeout(uint(10_000))
            .build();

        OpcUaClient client = OpcUaClient.create(config);
        try {
            client.connect().get(10, SECONDS);
            assertNotNull(client.getSession().get(10, SECONDS).getSessionId(), "session id");

            Instant before = Instant.now().minusSeconds(60);
            DataValue time = client.readValue(0.0, TimestampsToReturn.Both, Identifiers.Server_ServerStatus_CurrentTime)
                .get(10, SECONDS);
            assertTrue(time.getStatusCode().isGood(), () -> "CurrentTime status " + time.getStatusCode());
            assertEquals(new NodeId(0, 2258), Identifiers.Server_ServerStatus_CurrentTime);
            Object timeValue = time.getValue().getValue();
            assertInstanceOf(DateTime.class, timeValue, "CurrentTime is a DateTime");
            Instant serverTime = ((DateTime) timeValue).getJavaInstant();
            assertTrue(serverTime.isAfter(before) && serverTime.isBefore(Instant.now().plus(Duration.ofMinutes(1))),
                () -> "CurrentTime " + serverTime + " is not now");

            NodeId doubleId = new NodeId(server.namespaceIndex(), "Plant/Types/Double");
            DataValue value = client.readValue(0.0, TimestampsToReturn.Both, doubleId).get(10, SECONDS);
            assertTrue(value.getStatusCode().isGood(), () -> "Plant/Types/Double status " + value.getStatusCode());
            assertInstanceOf(Double.class, value.getValue().getValue(), "Plant/Types/Double holds a Double");

            // The namespace index the client reads from the server matches the node id used.
            assertEquals(doubleId.getNamespaceIndex(),
                client.readNamespaceTableAsync().get(10, SECONDS).getIndex(server.namespaceUri()));
        } finally {
            client.disconnect().get(10, SECONDS);
            clientTrust.close();
        }
    }
}
