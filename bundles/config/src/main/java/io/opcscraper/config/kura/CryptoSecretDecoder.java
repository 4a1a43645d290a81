package io.opcscraper.config.kura;

import org.eclipse.kura.KuraException;
import org.eclipse.kura.crypto.CryptoService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.config.SecretDecoder;

/**
 * Decrypts Password properties as Kura's own components do: Kura's ConfigurationService
 * encrypts them with the CryptoService before they reach ConfigurationAdmin, so a component
 * receives an encrypted string. A value that does not decrypt was set around Kura (a file, a
 * script): it is used as given, and that is logged (never the value).
 */
public final class CryptoSecretDecoder implements SecretDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(CryptoSecretDecoder.class);

    private final CryptoService crypto;
    private final String property;
    private final java.util.concurrent.atomic.AtomicBoolean warned = new java.util.concurrent.atomic.AtomicBoolean();

    public CryptoSecretDecoder(CryptoService crypto, String property) {
        this.crypto = crypto;
        this.property = property;
    }

    @Override
    public char[] decode(char[] stored) {
        try {
            return this.crypto.decryptAes(stored);
        } catch (KuraException | RuntimeException e) {
            if (this.warned.compareAndSet(false, true)) {
                LOG.warn("Property '{}' is not encrypted by Kura's CryptoService; using it as given", this.property);
            }
            return stored;
        }
    }
}
