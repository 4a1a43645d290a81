package io.opcscraper.simulator;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.api.config.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.api.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.IdentityProvider;
import org.eclipse.milo.opcua.stack.client.DiscoveryClient;
import org.eclipse.milo.opcua.stack.client.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.DefaultTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;

/** Milo 0.6.16 clients for the tests: one client certificate, trust in exactly the server's certificate. */
final class MiloClients {

    static final String CLIENT_APPLICATION_URI = "urn:opcscraper:simulator:test-client";

    private static KeyPair keyPair;
    private static X509Certificate certificate;

    private MiloClients() {
    }

    private static synchronized void ensureCertificate() throws Exception {
        if (keyPair == null) {
            keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
            certificate = new SelfSignedCertificateBuilder(keyPair)
                .setCommonName("OPC Scraper simulator test client")
                .setApplicationUri(CLIENT_APPLICATION_URI)
                .addDnsName("localhost")
                .addIpAddress("127.0.0.1")
                .build();
        }
    }

    /** A connected client; the caller disconnects it (see {@link Session}). */
    static Session connect(PlantServer server, Path pki, SecurityPolicy policy, MessageSecurityMode mode,
                           IdentityProvider identity) throws Exception {
        ensureCertificate();
        List<EndpointDescription> endpoints = DiscoveryClient.getEndpoints(server.endpointUrl()).get(10, SECONDS);
        EndpointDescription endpoint = endpoints.stream()
            .filter(e -> policy.getUri().equals(e.getSecurityPolicyUri()) && e.getSecurityMode() == mode)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + policy + "/" + mode + " endpoint in " + endpoints));
        Path trustDir = Files.createTempDirectory(Files.createDirectories(pki), "client-trust");
        DefaultTrustListManager trust = new DefaultTrustListManager(trustDir.toFile());
        trust.addTrustedCertificate(server.certificate());
        OpcUaClientConfig config = OpcUaClientConfig.builder()
            .setApplicationName(LocalizedText.english("OPC Scraper simulator test client"))
            .setApplicationUri(CLIENT_APPLICATION_URI)
            .setEndpoint(endpoint)
            .setKeyPair(keyPair)
            .setCertificate(certificate)
            .setCertificateChain(new X509Certificate[] {certificate})
            .setCertificateValidator(new DefaultClientCertificateValidator(trust))
            .setIdentityProvider(identity)
            .setRequestTimeout(uint(20_000))
            .build();
        OpcUaClient client = OpcUaClient.create(config);
        Session session = new Session(client, trust);
        try {
            client.connect().get(20, SECONDS);
            return session;
        } catch (Exception e) {
            session.close();
            throw e;
        }
    }

    static Session connectAnonymous(PlantServer server, Path pki) throws Exception {
        return connect(server, pki, SecurityPolicy.None, MessageSecurityMode.None, new AnonymousProvider());
    }

    /** The OPC UA status code inside a failure, or -1. */
    static long statusOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UaException e) {
                return e.getStatusCode().getValue();
            }
        }
        return -1;
    }

    /** A client and its trust list, closed together. */
    record Session(OpcUaClient client, DefaultTrustListManager trust) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            try {
                client.disconnect().get(10, SECONDS);
            } finally {
                trust.close();
            }
        }
    }
}
