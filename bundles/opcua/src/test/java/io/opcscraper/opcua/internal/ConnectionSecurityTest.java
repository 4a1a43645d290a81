package io.opcscraper.opcua.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.opcscraper.opcua.testing.PkiFolders.files;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;

import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opcscraper.opcua.internal.connection.ConnectionComponent;
import io.opcscraper.opcua.testing.Components;
import io.opcscraper.opcua.testing.PlainCrypto;
import io.opcscraper.testing.kura.TestSystem;
import io.opcscraper.simulator.PlantServer;

/**
 * Connection lifecycle and security against Milo's server: a server that starts after the
 * gateway, an unknown server certificate refused until an admin trusts it, Basic256Sha256
 * SignAndEncrypt with a user name or a user certificate, and a client certificate that stays the
 * same across restarts.
 */
class ConnectionSecurityTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path pki;

    @Test
    void connectsWhenTheServerStartsAfterTheGateway() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        ConnectionComponent connection = new ConnectionComponent(new PlainCrypto(), TestSystem.unknown(),
                Components.connection("late", "opc.tcp://127.0.0.1:" + port + "/plant", this.pki));
        try {
            assertFalse(connection.isConnected());
            try (PlantServer server = PlantServer.builder().port(port).tags(10).securityPolicies("None").start()) {
                await().atMost(TIMEOUT).until(connection::isConnected);
            }
        } finally {
            connection.deactivate();
        }
    }

    @Test
    void anUnknownServerCertificateIsRefusedUntilTrustedThenSignAndEncryptWithAUser() throws Exception {
        try (PlantServer server = PlantServer.builder().tags(10).securityPolicies("Basic256Sha256")
                .user("operator", "s3cret-pw").allowAnonymous(false).start()) {
            Map<String, Object> properties = Components.connection("secure", server.endpointUrl(), this.pki);
            properties.put("security.policy", "Basic256Sha256");
            properties.put("security.mode", "SignAndEncrypt");
            properties.put("identity.type", "username");
            properties.put("identity.username", "operator");
            properties.put("identity.password", "s3cret-pw");
            properties.put("trust.all.servers", false);
            ConnectionComponent connection = new ConnectionComponent(new PlainCrypto(), TestSystem.unknown(), properties);
            try {
                Path rejected = this.pki.resolve("rejected");
                await().atMost(TIMEOUT).until(() -> files(rejected).size() == 1);
                assertFalse(connection.isConnected(), "an unknown server certificate must be refused");

                Path certificate = files(rejected).get(0);
                Files.move(certificate, this.pki.resolve("trusted").resolve("certs").resolve(certificate.getFileName()));
                await().atMost(TIMEOUT).until(connection::isConnected);
            } finally {
                connection.deactivate();
            }
        }
    }

    @Test
    void aUserCertificateFromAPkcs12FileIsTheSessionIdentity() throws Exception {
        KeyPair keys = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        X509Certificate certificate = new SelfSignedCertificateBuilder(keys).setCommonName("operator")
                .setApplicationUri("urn:test:operator").build();
        Path keystore = this.pki.resolve("operator.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("operator", keys.getPrivate(), "id-pass".toCharArray(), new Certificate[] { certificate });
        try (OutputStream out = Files.newOutputStream(keystore)) {
            store.store(out, "id-pass".toCharArray());
        }
        try (PlantServer server = PlantServer.builder().tags(10).securityPolicies("Basic256Sha256")
                .x509User(certificate).allowAnonymous(false).start()) {
            Map<String, Object> properties = Components.connection("x509", server.endpointUrl(), this.pki);
            properties.put("security.policy", "Basic256Sha256");
            properties.put("security.mode", "SignAndEncrypt");
            properties.put("identity.type", "certificate");
            properties.put("identity.keystore", keystore.toString());
            properties.put("identity.keystore.password", "id-pass");
            ConnectionComponent connection = new ConnectionComponent(new PlainCrypto(), TestSystem.unknown(), properties);
            try {
                await().atMost(TIMEOUT).until(connection::isConnected);
            } finally {
                connection.deactivate();
            }
        }
    }

    @Test
    void theClientCertificateStaysTheSameAcrossRestarts() throws Exception {
        try (PlantServer server = PlantServer.builder().tags(10).securityPolicies("None").start()) {
            ConnectionComponent first = new ConnectionComponent(new PlainCrypto(), TestSystem.unknown(),
                    Components.connection("restart", server.endpointUrl(), this.pki));
            await().atMost(TIMEOUT).until(first::isConnected);
            first.deactivate();
            Path store = this.pki.resolve("own").resolve("client.p12");
            byte[] before = Files.readAllBytes(store);

            ConnectionComponent second = new ConnectionComponent(new PlainCrypto(), TestSystem.unknown(),
                    Components.connection("restart", server.endpointUrl(), this.pki));
            try {
                await().atMost(TIMEOUT).until(second::isConnected);
                assertArrayEquals(before, Files.readAllBytes(store), "the client certificate was regenerated");
            } finally {
                second.deactivate();
            }
        }
    }

    @Test
    void anUnusablePkiDirectoryLeavesTheConnectionIdleWithoutFailing() throws Exception {
        Path file = Files.writeString(this.pki.resolve("not-a-directory"), "x");
        ConnectionComponent connection = new ConnectionComponent(new PlainCrypto(), TestSystem.unknown(),
                Components.connection("broken", "opc.tcp://127.0.0.1:4840", file));
        try {
            assertFalse(connection.isConnected());
            assertTrue(connection.client().isEmpty());
        } finally {
            connection.deactivate();
        }
    }
}
