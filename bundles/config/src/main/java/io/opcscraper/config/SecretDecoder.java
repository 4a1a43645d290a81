package io.opcscraper.config;

/**
 * Turns a stored secret into clear text (on Kura: CryptoService.decryptAes, falling back to the
 * value as given when it is not encrypted, as Kura's own components do).
 */
@FunctionalInterface
public interface SecretDecoder {

    char[] decode(char[] stored);
}
