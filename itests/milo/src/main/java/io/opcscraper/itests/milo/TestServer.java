package io.opcscraper.itests.milo;

import static java.util.concurrent.TimeUnit.SECONDS;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.api.config.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.eclipse.milo.opcua.stack.server.EndpointConfiguration;
import org.eclipse.milo.opcua.stack.server.security.DefaultServerCertificateValidator;

/**
 * A Milo 0.6.16 server in this JVM, bound to 127.0.0.1 on a free port chosen at start, with two
 * endpoints: None/None and Basic256Sha256/SignAndEncrypt. Its self-signed certificate is
 * generated into a temporary directory; it trusts exactly the client certificate it is given.
 */
final class TestServer implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    static final String PATH = "/opcscraper-itest";
    static final String APPLICATION_URI = "urn:opcscraper:itests:milo:server";

    private static final int BIND_ATTEMPTS = 5;

    final X509Certificate certificate;
    final OpcUaServer server;
    final TestNamespace namespace;
    final int port;

    private final DefaultTrustListManager trustList;

    private TestServer(X509Certificate certificate, OpcUaServer server, TestNamespace namespace, int port,
                       DefaultTrustListManager trustList) {
        this.certificate = certificate;
        this.server = server;
        this.namespace = namespace;
        this.port = port;
        this.trustList = trustList;
    }

    String endpointUrl() {
        return "opc.tcp://" + HOST + ":" + port + PATH;
    }

    /**
     * Starts a server whose PKI lives under {@code pkiDir} and which trusts {@code trustedClient}.
     * The port is taken from the OS (bind to port 0, release, reuse); if another process grabs it
     * in between, the start fails with a BindException and is retried on a new port.
     */
    static TestServer start(Path pkiDir, X509Certificate trustedClient) throws Exception {
        KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        X509Certificate certificate = new SelfSignedCertificateBuilder(keyPair)
            .setCommonName("OPC Scraper itest server")
            .setOrganization("OPC Scraper")
            .setApplicationUri(APPLICATION_URI)
            .addDnsName("localhost")
            .addIpAddress(HOST)
            .build();
        writePem(pkiDir.resolve("server-certificate.pem"), certificate);

        DefaultTrustListManager trustList = new DefaultTrustListManager(pkiDir.resolve("server-pki").toFile());
        trustList.addTrustedCertificate(trustedClient);

        Exception last = null;
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            int port = freePort();
            OpcUaServer server = new OpcUaServer(config(keyPair, certificate, trustList, port));
            TestNamespace namespace = new TestNamespace(server);
            namespace.startup();
            try {
                server.startup().get(10, SECONDS);
                return new TestServer(certificate, server, namespace, port, trustList);
            } catch (ExecutionException e) {
                last = e;
                namespace.shutdown();
                server.shutdown().get(10, SECONDS);
                if (!(rootCause(e) instanceof BindException)) {
                    break;
                }
            }
        }
        trustList.close();
        throw new IllegalStateException("test server did not start", last);
    }

    private static OpcUaServerConfig config(KeyPair keyPair, X509Certificate certificate,
                                            DefaultTrustListManager trustList, int port) {
        EndpointConfiguration.Builder base = EndpointConfiguration.newBuilder()
            .setBindAddress(HOST)
            .setHostname(HOST)
            .setBindPort(port)
            .setPath(PATH)
            .setCertificate(certificate)
            .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS);

        Set<EndpointConfiguration> endpoints = new LinkedHashSet<>();
        endpoints.add(base.copy()
            .setSecurityPolicy(SecurityPolicy.None)
            .setSecurityMode(MessageSecurityMode.None)
            .build());
        endpoints.add(base.copy()
            .setSecurityPolicy(SecurityPolicy.Basic256Sha256)
            .setSecurityMode(MessageSecurityMode.SignAndEncrypt)
            .build());

        return OpcUaServerConfig.builder()
            .setApplicationUri(APPLICATION_URI)
            .setApplicationName(LocalizedText.english("OPC Scraper itest server"))
            .setProductUri("urn:opcscraper:itests")
            .setBuildInfo(new BuildInfo("urn:opcscraper:itests", "OPC Scraper", "itest server",
                OpcUaServer.SDK_VERSION, "", DateTime.now()))
            .setEndpoints(endpoints)
            .setCertificateManager(new DefaultCertificateManager(keyPair, certificate))
            .setTrustListManager(trustList)
            .setCertificateValidator(new DefaultServerCertificateValidator(trustList))
            .setIdentityValidator(AnonymousIdentityValidator.INSTANCE)
            .build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    static void writePem(Path file, X509Certificate certificate) throws Exception {
        String pem = "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
            + "\n-----END CERTIFICATE-----\n";
        Files.writeString(file, pem);
    }

    @Override
    public void close() throws Exception {
        try {
            namespace.shutdown();
            server.shutdown().get(10, SECONDS);
        } finally {
            trustList.close();
        }
    }
}
