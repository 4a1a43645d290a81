package io.opcscraper.opcua.internal.connection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.milo.opcua.stack.client.security.ClientCertificateValidator;
import org.eclipse.milo.opcua.stack.client.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.DefaultTrustListManager;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's certificates, kept in one directory so the gateway keeps the same identity
 * across restarts and upgrades:
 * <pre>
 * PKI/own/client.p12     the application certificate and key, generated once (mode 600)
 * PKI/own/client.der     a copy of the certificate alone, for a server administrator to trust
 * PKI/trusted/certs/     server certificates an admin trusts
 * PKI/rejected/          where an unknown server certificate lands; move it to trusted/certs to trust it
 * PKI/issuers/           CA certificates and CRLs
 * </pre>
 * The directory layout and the validation are Milo's ({@link DefaultTrustListManager},
 * {@link DefaultClientCertificateValidator}).
 */
final class ClientPki implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClientPki.class);

    /**
     * The PKCS#12 file is protected by file permissions, not by this password: a password kept
     * beside the file (or in the code) would add nothing. PKCS#12 needs one all the same.
     */
    private static final char[] STORE_PASSWORD = "opc-scraper".toCharArray();
    private static final String ALIAS = "client";

    private final Path dir;
    private final KeyPair keyPair;
    private final X509Certificate certificate;
    private final String applicationUri;
    private final DefaultTrustListManager trustList;

    private ClientPki(Path dir, KeyPair keyPair, X509Certificate certificate, String applicationUri,
            DefaultTrustListManager trustList) {
        this.dir = dir;
        this.keyPair = keyPair;
        this.certificate = certificate;
        this.applicationUri = applicationUri;
        this.trustList = trustList;
    }

    /** The configured directory, or the default: Kura's user directory, else the user's home. */
    static Path directory(String configured) {
        if (!configured.isEmpty()) {
            return Paths.get(configured);
        }
        String kuraHome = System.getProperty("kura.home");
        return kuraHome != null ? Paths.get(kuraHome, "user", "opc-scraper", "pki")
                : Paths.get(System.getProperty("user.home"), ".opc-scraper", "pki");
    }

    /** Synchronized: two instances sharing one directory must not both generate a certificate. */
    static synchronized ClientPki open(Path dir) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir.resolve("own"));
        Path store = dir.resolve("own").resolve("client.p12");
        KeyPair keyPair;
        X509Certificate certificate;
        if (Files.isRegularFile(store)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keyStore.load(in, STORE_PASSWORD);
            }
            Key key = keyStore.getKey(ALIAS, STORE_PASSWORD);
            certificate = (X509Certificate) keyStore.getCertificate(ALIAS);
            if (!(key instanceof PrivateKey) || certificate == null) {
                throw new GeneralSecurityException("no client key and certificate in " + store);
            }
            keyPair = new KeyPair(certificate.getPublicKey(), (PrivateKey) key);
        } else {
            keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
            certificate = generate(keyPair);
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, STORE_PASSWORD);
            keyStore.setKeyEntry(ALIAS, keyPair.getPrivate(), STORE_PASSWORD, new Certificate[] { certificate });
            Path partial = store.resolveSibling("client.p12.partial");
            try (OutputStream out = Files.newOutputStream(partial)) {
                keyStore.store(out, STORE_PASSWORD);
            }
            setOwnerOnly(partial);
            Files.move(partial, store, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("Generated the client application certificate {} in {}",
                    certificate.getSubjectX500Principal().getName(), store);
        }
        exportCertificate(dir, certificate);
        String applicationUri = applicationUri(certificate);
        return new ClientPki(dir, keyPair, certificate, applicationUri, new DefaultTrustListManager(dir.toFile()));
    }

    /**
     * Writes {@code own/client.der}, the certificate without its key, when it is missing or holds
     * another certificate: what a server administrator trusts when the server refuses this client.
     * A failure is only logged: the client works without the copy.
     */
    private static void exportCertificate(Path dir, X509Certificate certificate) {
        Path der = certificateFile(dir);
        try {
            byte[] encoded = certificate.getEncoded();
            if (Files.isRegularFile(der) && java.util.Arrays.equals(Files.readAllBytes(der), encoded)) {
                return;
            }
            Path partial = der.resolveSibling("client.der.partial");
            Files.write(partial, encoded);
            Files.move(partial, der, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | GeneralSecurityException e) {
            LOG.warn("Cannot write a copy of the client certificate to {}: {}", der, e.getMessage());
        }
    }

    /** {@code own/client.der}: this client's certificate (DER), without its key. */
    static Path certificateFile(Path dir) {
        return dir.resolve("own").resolve("client.der");
    }

    private static X509Certificate generate(KeyPair keyPair) throws GeneralSecurityException {
        String host = hostname();
        try {
            return new SelfSignedCertificateBuilder(keyPair).setCommonName("OPC Scraper@" + host)
                    .setOrganization("OPC Scraper").setApplicationUri("urn:" + host + ":io.opcscraper:client")
                    .addDnsName(host).setValidityPeriod(Period.ofYears(10)).build();
        } catch (Exception e) {
            throw new GeneralSecurityException("cannot generate the client certificate", e);
        }
    }

    private static String applicationUri(X509Certificate certificate) throws GeneralSecurityException {
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> name : certificate.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(6).equals(name.get(0))) {
                        return String.valueOf(name.get(1));
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            throw new GeneralSecurityException("unreadable client certificate", e);
        }
        throw new GeneralSecurityException("the client certificate has no application URI");
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static void setOwnerOnly(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            LOG.warn("Cannot restrict the permissions of {}: {}", file, e.getMessage());
        }
    }

    /**
     * Milo's validator against the trusted directory (an unknown certificate lands in rejected/),
     * or, if the admin chose it, one that accepts any certificate and says so once per
     * certificate.
     */
    ServerCertificateCheck validator(boolean trustAll, String clientId) {
        return new ServerCertificateCheck(trustAll ? new TrustAnyServer(clientId)
                : new DefaultClientCertificateValidator(this.trustList));
    }

    /**
     * A validator that remembers whether it refused the server's certificate. A connection that
     * fails for a security reason can then say which side refused: a status code cannot tell,
     * since Milo's validator reports an untrusted server certificate as Bad_SecurityChecksFailed,
     * the code servers send when they do not trust the client's certificate.
     */
    static final class ServerCertificateCheck implements ClientCertificateValidator {

        private final ClientCertificateValidator delegate;
        private volatile UaException refusal;

        ServerCertificateCheck(ClientCertificateValidator delegate) {
            this.delegate = delegate;
        }

        @Override
        public void validateCertificateChain(List<X509Certificate> chain) throws UaException {
            try {
                this.delegate.validateCertificateChain(chain);
            } catch (UaException e) {
                this.refusal = e;
                throw e;
            }
        }

        @Override
        public void validateCertificateChain(List<X509Certificate> chain, String applicationUri,
                String... validHostNames) throws UaException {
            try {
                this.delegate.validateCertificateChain(chain, applicationUri, validHostNames);
            } catch (UaException e) {
                this.refusal = e;
                throw e;
            }
        }

        /** Why this validator refused the server's certificate, or {@code null} if it did not. */
        UaException refusal() {
            return this.refusal;
        }
    }

    Path dir() {
        return this.dir;
    }

    KeyPair keyPair() {
        return this.keyPair;
    }

    X509Certificate certificate() {
        return this.certificate;
    }

    String applicationUri() {
        return this.applicationUri;
    }

    @Override
    public void close() throws IOException {
        this.trustList.close();
    }

    /** trust.all.servers: accept every server certificate, loudly. */
    private static final class TrustAnyServer implements ClientCertificateValidator {

        private final String clientId;
        private final Set<String> announced = ConcurrentHashMap.newKeySet();

        TrustAnyServer(String clientId) {
            this.clientId = clientId;
        }

        @Override
        public void validateCertificateChain(List<X509Certificate> chain) {
            announce(chain);
        }

        @Override
        public void validateCertificateChain(List<X509Certificate> chain, String applicationUri,
                String... validHostNames) {
            announce(chain);
        }

        private void announce(List<X509Certificate> chain) {
            if (!chain.isEmpty() && this.announced.add(chain.get(0).getSubjectX500Principal().getName())) {
                LOG.warn("{}: trust.all.servers is on: accepting the server certificate {} WITHOUT checking it",
                        this.clientId, chain.get(0).getSubjectX500Principal().getName());
            }
        }
    }
}
