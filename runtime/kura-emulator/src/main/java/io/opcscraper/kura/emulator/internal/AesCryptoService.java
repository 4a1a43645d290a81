package io.opcscraper.kura.emulator.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import org.eclipse.kura.KuraErrorCode;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.crypto.CryptoService;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CryptoService like Kura's: AES (here AES-256-GCM, a random IV per value, Base64 of IV and
 * cipher text). The key is generated once and kept where Kura keeps its keys,
 * {@code ${kura.home}/user/security} ({@link AesKeyFile}), outside the framework storage that
 * every Kura boot wipes: values encrypted before a boot (snapshot passwords) decrypt after it. A
 * value that was not encrypted by this service fails to decrypt with a KuraException, as on Kura.
 */
@Component(service = CryptoService.class)
public final class AesCryptoService implements CryptoService {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Logger LOG = LoggerFactory.getLogger(AesCryptoService.class);

    private final SecureRandom random = new SecureRandom();
    private final SecretKey key;

    @Activate
    public AesCryptoService(BundleContext context) throws IOException, GeneralSecurityException {
        KuraPaths paths = new KuraPaths(context);
        Optional<Path> file = paths.security().map(dir -> dir.resolve(AesKeyFile.NAME));
        if (file.isEmpty()) {
            file = paths.dataFile(AesKeyFile.NAME);
            LOG.warn("kura.home is not set: the CryptoService key is kept in the framework storage ({}), which a "
                    + "clean boot wipes; values encrypted before it will not decrypt after it", file.orElse(null));
        }
        this.key = file.isPresent() ? AesKeyFile.loadOrCreate(file.get(), this.random)
                : AesKeyFile.generate(this.random);
    }

    @Override
    public char[] encryptAes(char[] value) throws KuraException {
        byte[] clear = toBytes(value);
        try {
            byte[] iv = new byte[IV_BYTES];
            this.random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(clear);
            ByteBuffer out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed);
            return Base64.getEncoder().encodeToString(out.array()).toCharArray();
        } catch (GeneralSecurityException e) {
            throw new KuraException(KuraErrorCode.ENCODE_ERROR, e, "encryption failed");
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    @Override
    public char[] decryptAes(char[] encryptedValue) throws KuraException {
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(new String(encryptedValue));
        } catch (IllegalArgumentException e) {
            throw new KuraException(KuraErrorCode.DECODER_ERROR, "value is not encrypted");
        }
        if (sealed.length <= IV_BYTES) {
            throw new KuraException(KuraErrorCode.DECODER_ERROR, "value is not encrypted");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, this.key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            byte[] clear = cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
            CharBuffer decoded = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(clear));
            Arrays.fill(clear, (byte) 0);
            char[] chars = new char[decoded.remaining()];
            decoded.get(chars);
            return chars;
        } catch (GeneralSecurityException e) {
            throw new KuraException(KuraErrorCode.DECODER_ERROR, "value is not encrypted with this key");
        }
    }

    private static byte[] toBytes(char[] value) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(value));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return bytes;
    }
}
