package io.opcscraper.opcua.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.opcscraper.opcua.testing.PkiFolders.files;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.opcscraper.opcua.internal.connection.ConnectionComponent;
import io.opcscraper.opcua.testing.Components;
import io.opcscraper.opcua.testing.PlainCrypto;
import io.opcscraper.testing.kura.TestSystem;
import io.opcscraper.simulator.PlantServer;

/**
 * Issue 6, "Security": SignAndEncrypt under Basic256Sha256 and Aes256_Sha256_RsaPss, each with
 * a user name and with a user certificate (PKCS#12), against a server that offers only that
 * policy and refuses anonymous sessions; the session really runs under the policy and mode
 * configured. Under Aes256_Sha256_RsaPss an unknown server certificate is refused (and saved in
 * rejected/) until trusted, and a wrong password is refused without appearing in the status.
 * ({@link ConnectionSecurityTest} covers the same for Basic256Sha256.)
 */
class SecurityPolicyMatrixTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path pki;

    @ParameterizedTest(name = "{0} SignAndEncrypt, {1} identity")
    @CsvSource({ "Basic256Sha256, username", "Basic256Sha256, certificate", "Aes256_Sha256_RsaPss, username",
            "Aes256_Sha256_RsaPss, certificate" })
    void signAndEncryptWithEveryIdentity(String policy, String identity) throws Exception {
        X509Certificate user = null;
        Path keystore = null;
        if (identity.equals("certificate")) {
            KeyPair keys = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
            user = new SelfSignedCertificateBuilder(keys).setCommonName("operator")
                    .setApplicationUri("urn:test:operator").build();
            keystore = this.pki.resolve("operator.p12");
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("operator", keys.getPrivate(), "id-pass-matrix".toCharArray(), new Certificate[] { user });
            try (OutputStream out = Files.newOutputStream(keystore)) {
                store.store(out, "id-pass-matrix".toCharArray());
            }
        }
        PlantServer.Builder builder = PlantServer.builder().tags(5).securityPolicies(policy).allowAnonymous(false);
        builder = user == null ? builder.user("operator", "matrix-pw-7f3a") : builder.x509User(user);
        try (PlantServer server = builder.start()) {
            Map<String, Object> properties = Components.connection("matrix", server.endpointUrl(), this.pki);
            properties.put("security.policy", policy);
            properties.put("security.mode", "SignAndEncrypt");
            properties.put("identity.type", identity);
            if (user == null) {
                properties.put("identity.username", "operator");
                properties.put("identity.password", "matrix-pw-7f3a");
            } else {
                properties.put("identity.keystore", keystore.toString());
                properties.put("identity.keystore.password", "id-pass-matrix");
            }
            ConnectionComponent connection = new ConnectionComponent(new PlainCrypto(), TestSystem.unknown(), properties);
            try {
                await().atMost(TIMEOUT).until(connection::isConnected);
                OpcUaClient client = connection.client().orElseThrow();
                EndpointDescription endpoint = client.getConfig().getEndpoint();
                assertEquals(SecurityPolicy.valueOf(policy).getUri(), endpoint.getSecurityPolicyUri());
                assertEquals(MessageSecurityMode.SignAndEncrypt, endpoint.getSecurityMode());
            } finally {
                connection.deactivate();
            }
        }
    }

    @ParameterizedTest(name = "{0}: untrusted server certificate refused until trusted")
    @ValueSource(strings = { "Aes256_Sha256_RsaPss" })
    void anUntrustedServerIsRefusedUntilTrusted(String policy) throws Exception {
        try (PlantServer server = PlantServer.builder().tags(5).securityPolicies(policy).start()) {
            Map<String, Object> properties = Components.connection("untrusted", server.endpointUrl(), this.pki);
            properties.put("security.policy", policy);
            properties.put("security.mode", "SignAndEncrypt");
            properties.put("trust.all.servers", false);
            ConnectionComponent connection = new ConnectionComponent(new PlainCrypto(), TestSystem.unknown(), properties);
            try {
                Path rejected = this.pki.resolve("rejected");
                String error = await().atMost(TIMEOUT).until(() -> connection.status().lastError(),
                        e -> e != null && e.contains("does not trust the server certificate"));
                assertFalse(connection.isConnected(), "an unknown server certificate must be refused");
                await().atMost(TIMEOUT).until(() -> files(rejected).size() == 1);
                assertTrue(error.contains(rejected.toString()), error);
                Path certificate = files(rejected).get(0);
                Files.move(certificate, this.pki.resolve("trusted").resolve("certs").resolve(certificate.getFileName()));
                await().atMost(TIMEOUT).until(connection::isConnected);
            } finally {
                connection.deactivate();
            }
        }
    }

    @ParameterizedTest(name = "{0}: a wrong password is refused and not shown")
    @ValueSource(strings = { "Aes256_Sha256_RsaPss" })
    void aWrongPasswordIsRefusedWithoutShowingIt(String policy) throws Exception {
        try (PlantServer server = PlantServer.builder().tags(5).securityPolicies(policy).allowAnonymous(false)
                .user("operator", "right-pw-91c2").start()) {
            Map<String, Object> properties = Components.connection("wrong-pw", server.endpointUrl(), this.pki);
            properties.put("security.policy", policy);
            properties.put("security.mode", "SignAndEncrypt");
            properties.put("identity.type", "username");
            properties.put("identity.username", "operator");
            properties.put("identity.password", "wrong-pw-5d8e");
            ConnectionComponent connection = new ConnectionComponent(new PlainCrypto(), TestSystem.unknown(), properties);
            try {
                String error = await().atMost(TIMEOUT).until(() -> connection.status().lastError(),
                        e -> e != null && e.contains("Bad_"));
                System.out.println("SecurityPolicyMatrixTest: wrong password: " + error);
                assertFalse(connection.isConnected());
                assertFalse(error.contains("wrong-pw-5d8e") || error.contains("right-pw-91c2"), error);
            } finally {
                connection.deactivate();
            }
        }
    }
}
