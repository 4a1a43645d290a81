package io.opcscraper.timescale.testing;

import org.eclipse.kura.KuraErrorCode;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.crypto.CryptoService;

/**
 * A CryptoService for tests outside the framework: nothing is encrypted, so decryption fails as
 * Kura's does for a plain value, and the writer uses the password as given.
 */
public final class PlainCrypto implements CryptoService {

    @Override
    public char[] encryptAes(char[] value) {
        return value.clone();
    }

    @Override
    public char[] decryptAes(char[] encryptedValue) throws KuraException {
        throw new KuraException(KuraErrorCode.DECODER_ERROR, "not encrypted");
    }
}
