package io.opcscraper.kura.emulator.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.EnumSet;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The CryptoService's AES-256 key in a file readable by its owner only, created once. Kura keeps
 * its keys under {@code ${kura.home}/user/security}, outside the framework storage that each boot
 * wipes, so values encrypted before a boot (the Password properties of a snapshot) still decrypt
 * after it. Two runtimes sharing a Kura home agree on one key: the file is created under a
 * temporary name and moved into place only if no key is there yet.
 */
final class AesKeyFile {

    static final String NAME = "opc-scraper-emulator-aes.key";

    private AesKeyFile() {
    }

    static SecretKey loadOrCreate(Path file, SecureRandom random) throws IOException, GeneralSecurityException {
        if (Files.isRegularFile(file)) {
            return read(file);
        }
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE)));
        }
        SecretKey created = generate(random);
        Path partial = Files.createTempFile(dir, NAME, ".partial",
                PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE)));
        try {
            Files.write(partial, created.getEncoded());
            Files.move(partial, file);
            return created;
        } catch (FileAlreadyExistsException e) {
            // Another runtime on this Kura home created it first: use that one.
            return read(file);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    static SecretKey generate(SecureRandom random) throws GeneralSecurityException {
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256, random);
        return generator.generateKey();
    }

    private static SecretKey read(Path file) throws IOException, GeneralSecurityException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length != 32) {
            throw new GeneralSecurityException(file + " does not hold an AES-256 key (" + bytes.length + " bytes)");
        }
        return new SecretKeySpec(bytes, "AES");
    }
}
