package io.opcscraper.simulator.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.Set;

import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;

import io.opcscraper.simulator.PlantServer;

/**
 * The server's key pair and self-signed application certificate, kept in {@code plant-server.p12}
 * (PKCS#12) in the PKI directory: generated on the first start, loaded unchanged on every later one.
 * The certificate is also written as {@code plant-server.der} for clients that want to trust it.
 */
final class Pki {

    static final String KEY_STORE = "plant-server.p12";
    static final String CERTIFICATE = "plant-server.der";
    private static final String ALIAS = "plant-server";
    /** Not a secret: the simulator is a test server and its key store lives next to the tests. */
    private static final char[] PASSWORD = "opcscraper-simulator".toCharArray();

    final KeyPair keyPair;
    final X509Certificate certificate;

    private Pki(KeyPair keyPair, X509Certificate certificate) {
        this.keyPair = keyPair;
        this.certificate = certificate;
    }

    /** Loads the key store in {@code dir}, or creates it (and {@code dir}) if missing. */
    static synchronized Pki loadOrCreate(Path dir, String bindAddress) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        Path keyStoreFile = dir.resolve(KEY_STORE);
        if (Files.exists(keyStoreFile)) {
            return load(keyStoreFile);
        }
        Pki pki = create(bindAddress);
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry(ALIAS, pki.keyPair.getPrivate(), PASSWORD, new Certificate[] {pki.certificate});
        Path tmp = Files.createTempFile(dir, KEY_STORE, ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            keyStore.store(out, PASSWORD);
        }
        move(tmp, keyStoreFile);
        Path der = Files.createTempFile(dir, CERTIFICATE, ".tmp");
        Files.write(der, pki.certificate.getEncoded());
        move(der, dir.resolve(CERTIFICATE));
        return pki;
    }

    private static Pki load(Path keyStoreFile) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            keyStore.load(in, PASSWORD);
        }
        Key key = keyStore.getKey(ALIAS, PASSWORD);
        Certificate certificate = keyStore.getCertificate(ALIAS);
        if (!(key instanceof PrivateKey) || !(certificate instanceof X509Certificate)) {
            throw new GeneralSecurityException(keyStoreFile + " has no key entry '" + ALIAS + "'");
        }
        return new Pki(new KeyPair(certificate.getPublicKey(), (PrivateKey) key), (X509Certificate) certificate);
    }

    private static Pki create(String bindAddress) throws GeneralSecurityException {
        KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        SelfSignedCertificateBuilder builder = new SelfSignedCertificateBuilder(keyPair)
            .setCommonName("OPC Scraper plant simulator")
            .setOrganization("OPC Scraper")
            .setApplicationUri(PlantServer.APPLICATION_URI);
        Set<String> dnsNames = new LinkedHashSet<>();
        Set<String> ipAddresses = new LinkedHashSet<>();
        dnsNames.add("localhost");
        ipAddresses.add("127.0.0.1");
        if (isIpLiteral(bindAddress)) {
            if (!Simulator.isWildcard(bindAddress)) {
                ipAddresses.add(bindAddress);
            }
        } else {
            dnsNames.add(bindAddress);
        }
        dnsNames.forEach(builder::addDnsName);
        ipAddresses.forEach(builder::addIpAddress);
        try {
            return new Pki(keyPair, builder.build());
        } catch (GeneralSecurityException e) {
            throw e;
        } catch (Exception e) {
            throw new GeneralSecurityException("cannot create the server certificate", e);
        }
    }

    static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
