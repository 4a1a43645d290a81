package io.opcscraper.kura.emulator.internal;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.nio.file.attribute.PosixFilePermission;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.eclipse.kura.KuraErrorCode;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.crypto.CryptoService;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * A CryptoService like Kura's: AES (here AES-256-GCM, a random IV per value, Base64 of IV and
 * cipher text). The key is generated once and kept in the bundle's data area, so values stay
 * decryptable across restarts of the runtime. A value that was not encrypted by this service
 * fails to decrypt with a KuraException, as on Kura.
 */
@Component(service = CryptoService.class)
public final class AesCryptoService implements CryptoService {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();
    private final SecretKey key;

    @Activate
    public AesCryptoService(BundleContext context) throws IOException, GeneralSecurityException {
        this.key = loadOrCreateKey(context.getDataFile("aes.key"));
    }

    private SecretKey loadOrCreateKey(File file) throws IOException, GeneralSecurityException {
        if (file != null && file.isFile()) {
            return new SecretKeySpec(Files.readAllBytes(file.toPath()), "AES");
        }
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256, this.random);
        SecretKey created = generator.generateKey();
        if (file != null) {
            Files.write(file.toPath(), created.getEncoded(), StandardOpenOption.CREATE_NEW);
            Files.setPosixFilePermissions(file.toPath(),
                    EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        }
        return created;
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
