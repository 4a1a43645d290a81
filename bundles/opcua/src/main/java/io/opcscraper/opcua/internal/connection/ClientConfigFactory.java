package io.opcscraper.opcua.internal.connection;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.milo.opcua.sdk.client.api.config.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.api.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.X509IdentityProvider;
import org.eclipse.milo.opcua.stack.client.DiscoveryClient;
import org.eclipse.milo.opcua.stack.client.security.ClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;

import io.opcscraper.config.SecretDecoder;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * Turns the connection options into a Milo client configuration: asks the server for its
 * endpoints, picks one, and adds the identity, the application certificate and the timeouts.
 */
final class ClientConfigFactory {

    private final ConnectionOptions options;
    private final ClientPki pki;
    private final SecretDecoder passwordDecoder;
    private final SecretDecoder keystorePasswordDecoder;

    ClientConfigFactory(ConnectionOptions options, ClientPki pki, SecretDecoder passwordDecoder,
            SecretDecoder keystorePasswordDecoder) {
        this.options = options;
        this.pki = pki;
        this.passwordDecoder = passwordDecoder;
        this.keystorePasswordDecoder = keystorePasswordDecoder;
    }

    /**
     * Asks the server for its endpoints, at the configured URL or, where that endpoint accepts
     * no unsecured GetEndpoints (every endpoint secured), at {@code URL/discovery}, the
     * discovery endpoint servers offer for that case. Fails with a message an admin can act on.
     */
    EndpointDescription chooseEndpoint() throws ConnectException {
        List<EndpointDescription> offered;
        try {
            offered = getEndpoints(this.options.endpointUrl());
        } catch (ConnectException direct) {
            String url = this.options.endpointUrl();
            try {
                offered = getEndpoints(url + (url.endsWith("/") ? "" : "/") + "discovery");
            } catch (ConnectException fallback) {
                throw direct;
            }
        }
        List<EndpointDescription> endpoints = offered;
        EndpointDescription endpoint = EndpointSelector
                .select(endpoints, this.options.securityPolicy(), this.options.securityMode())
                .orElseThrow(() -> new ConnectException("the server offers no endpoint with security.policy "
                        + this.options.securityPolicy() + " and security.mode " + this.options.securityMode()
                        + "; it offers " + endpoints.stream().map(EndpointSelector::describe).distinct().toList()));
        if (this.options.useConfiguredAddress()) {
            endpoint = EndpointUtil.updateUrl(endpoint, EndpointUtil.getHost(this.options.endpointUrl()),
                    EndpointUtil.getPort(this.options.endpointUrl()));
        }
        return endpoint;
    }

    private List<EndpointDescription> getEndpoints(String url) throws ConnectException {
        return await(DiscoveryClient.getEndpoints(url, cfg -> cfg.setRequestTimeout(uint(this.options.requestTimeoutMs()))),
                "GetEndpoints");
    }

    OpcUaClientConfig build(EndpointDescription endpoint, ClientCertificateValidator validator)
            throws ConnectException {
        return OpcUaClientConfig.builder().setApplicationName(LocalizedText.english("OPC Scraper"))
                .setApplicationUri(this.pki.applicationUri()).setProductUri("urn:io.opcscraper:opc-scraper")
                .setEndpoint(endpoint).setKeyPair(this.pki.keyPair()).setCertificate(this.pki.certificate())
                .setCertificateValidator(validator).setIdentityProvider(identity())
                .setRequestTimeout(uint(this.options.requestTimeoutMs()))
                .setConnectTimeout(uint(this.options.requestTimeoutMs()))
                .setSessionTimeout(uint(this.options.sessionTimeoutMs()))
                .setKeepAliveInterval(uint(this.options.keepAliveIntervalMs()))
                .setKeepAliveTimeout(uint(this.options.requestTimeoutMs())).build();
    }

    private IdentityProvider identity() throws ConnectException {
        switch (this.options.identityType()) {
        case "username": {
            char[] password = this.options.password().reveal(this.passwordDecoder);
            try {
                return new UsernameProvider(this.options.username(), new String(password));
            } finally {
                Arrays.fill(password, '\0');
            }
        }
        case "certificate":
            return certificateIdentity();
        default:
            return new AnonymousProvider();
        }
    }

    private IdentityProvider certificateIdentity() throws ConnectException {
        char[] password = this.options.identityKeystorePassword().reveal(this.keystorePasswordDecoder);
        try (InputStream in = Files.newInputStream(Paths.get(this.options.identityKeystore()))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements();) {
                String alias = aliases.nextElement();
                Key key = store.getKey(alias, password);
                if (key instanceof PrivateKey && store.getCertificate(alias) instanceof X509Certificate) {
                    return new X509IdentityProvider((X509Certificate) store.getCertificate(alias), (PrivateKey) key);
                }
            }
            throw new ConnectException("identity.keystore " + this.options.identityKeystore()
                    + " holds no private key with a certificate");
        } catch (IOException | GeneralSecurityException e) {
            throw new ConnectException("cannot read identity.keystore " + this.options.identityKeystore() + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private <T> T await(CompletableFuture<T> future, String what) throws ConnectException {
        try {
            return future.get(this.options.requestTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException(what + " interrupted");
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ConnectException(what + " timed out after " + this.options.requestTimeoutMs() + " ms");
        } catch (ExecutionException e) {
            throw new ConnectException(what + " failed: " + ConnectException.reason(e.getCause()));
        }
    }
}
