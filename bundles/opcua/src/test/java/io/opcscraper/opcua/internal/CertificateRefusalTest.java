package io.opcscraper.opcua.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.opcscraper.opcua.testing.PkiFolders.files;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.api.config.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.eclipse.milo.opcua.stack.server.EndpointConfiguration;
import org.eclipse.milo.opcua.stack.server.security.DefaultServerCertificateValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opcscraper.opcua.internal.connection.ConnectionComponent;
import io.opcscraper.opcua.testing.Components;
import io.opcscraper.opcua.testing.PlainCrypto;
import io.opcscraper.testing.kura.TestSystem;
import io.opcscraper.simulator.PlantServer;

/**
 * Which side refused a secured connection: both cases end in the same OPC UA status
 * (Bad_SecurityChecksFailed), but the admin must act on different machines. When this client
 * does not trust the server's certificate, the message points at rejected/ and trusted/certs;
 * when the server does not trust this client's certificate (a Milo server with an empty trust
 * list), it says so and points at the copy of the client certificate in own/client.der.
 */
class CertificateRefusalTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String PATH = "/refusing";

    @TempDir
    Path pki;

    @TempDir
    Path serverPki;

    @Test
    void aServerThatDoesNotTrustThisClientIsToldApartFromAnUntrustedServer() throws Exception {
        OpcUaServer server = refusingServer();
        String url = "opc.tcp://127.0.0.1:" + server.getConfig().getEndpoints().iterator().next().getBindPort() + PATH;
        Map<String, Object> properties = Components.connection("refused", url, this.pki);
        properties.put("security.policy", "Basic256Sha256");
        properties.put("security.mode", "SignAndEncrypt");
        properties.put("trust.all.servers", true);
        ConnectionComponent connection = new ConnectionComponent(new PlainCrypto(), TestSystem.unknown(), properties);
        try {
            String error = await().atMost(TIMEOUT).until(() -> connection.status().lastError(),
                    e -> e != null && e.contains("Bad_SecurityChecksFailed"));
            assertFalse(connection.isConnected());
            Path copy = this.pki.resolve("own").resolve("client.der");
            assertTrue(error.contains("the server refused this client") && error.contains("does not trust this"
                    + " client's certificate") && error.contains(copy.toString()), error);
            assertFalse(error.contains("rejected: "), "nothing of ours was rejected: " + error);
            assertEquals(List.of(), files(this.pki.resolve("rejected")));
            // The copy is the certificate the client presents, without the key.
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(this.pki.resolve("own").resolve("client.p12"))) {
                store.load(in, "opc-scraper".toCharArray());
            }
            assertArrayEquals(store.getCertificate("client").getEncoded(), Files.readAllBytes(copy));
            // And the server did see it: it is in the server's rejected list, where its admin trusts it.
            await().atMost(TIMEOUT).until(() -> files(this.serverPki.resolve("rejected")).size() == 1);
        } finally {
            connection.deactivate();
            server.shutdown().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anUntrustedServerCertificateIsToldApartFromARefusingServer() throws Exception {
        try (PlantServer server = PlantServer.builder().tags(1).securityPolicies("Basic256Sha256").start()) {
            Map<String, Object> properties = Components.connection("untrusted", server.endpointUrl(), this.pki);
            properties.put("security.policy", "Basic256Sha256");
            properties.put("security.mode", "SignAndEncrypt");
            properties.put("trust.all.servers", false);
            ConnectionComponent connection = new ConnectionComponent(new PlainCrypto(), TestSystem.unknown(), properties);
            try {
                String error = await().atMost(TIMEOUT).until(() -> connection.status().lastError(),
                        e -> e != null && e.contains("Bad_"));
                assertTrue(error.contains("this client does not trust the server certificate")
                        && error.contains(this.pki.resolve("rejected").toString())
                        && error.contains(this.pki.resolve("trusted").resolve("certs").toString()), error);
                assertFalse(error.contains("the server refused"), error);
                assertEquals(1, files(this.pki.resolve("rejected")).size());
            } finally {
                connection.deactivate();
            }
        }
    }

    /** A Milo server whose trust list is empty: it refuses every client certificate. */
    private OpcUaServer refusingServer() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String uri = "urn:opcscraper:test:refusing-server";
        KeyPair keys = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        X509Certificate certificate = new SelfSignedCertificateBuilder(keys).setCommonName("refusing server")
                .setApplicationUri(uri).addDnsName("localhost").addIpAddress("127.0.0.1").build();
        DefaultTrustListManager trustList = new DefaultTrustListManager(this.serverPki.toFile());
        EndpointConfiguration.Builder base = EndpointConfiguration.newBuilder().setBindAddress("127.0.0.1")
                .setHostname("127.0.0.1").setBindPort(port).setPath(PATH).setCertificate(certificate)
                .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS);
        OpcUaServerConfig config = OpcUaServerConfig.builder().setApplicationUri(uri)
                .setApplicationName(LocalizedText.english("refusing server")).setProductUri(uri)
                .setEndpoints(Set.of(
                        base.copy().setSecurityPolicy(SecurityPolicy.None).setSecurityMode(MessageSecurityMode.None)
                                .build(),
                        base.copy().setSecurityPolicy(SecurityPolicy.Basic256Sha256)
                                .setSecurityMode(MessageSecurityMode.SignAndEncrypt).build()))
                .setCertificateManager(new DefaultCertificateManager(keys, certificate))
                .setTrustListManager(trustList)
                .setCertificateValidator(new DefaultServerCertificateValidator(trustList))
                .setIdentityValidator(AnonymousIdentityValidator.INSTANCE).build();
        OpcUaServer server = new OpcUaServer(config);
        server.startup().get(30, TimeUnit.SECONDS);
        return server;
    }
}
