package org.eclipse.kura.crypto;

import org.eclipse.kura.KuraException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Stand-in for the two methods of Kura's CryptoService that OPC Scraper calls. Kura encrypts
 * every Password-typed configuration property with {@link #encryptAes(char[])} before it reaches
 * ConfigurationAdmin; components decrypt it with {@link #decryptAes(char[])}.
 */
@ProviderType
public interface CryptoService {

    char[] encryptAes(char[] value) throws KuraException;

    char[] decryptAes(char[] encryptedValue) throws KuraException;
}
