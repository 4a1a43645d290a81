package io.opcscraper.kura.emulator.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Set;

import javax.crypto.SecretKey;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AesKeyFileTest {

    @TempDir
    Path home;

    @Test
    void theKeyIsCreatedOnceOwnerOnlyAndReadBackUnchanged() throws Exception {
        Path file = this.home.resolve("user/security").resolve(AesKeyFile.NAME);
        SecretKey first = AesKeyFile.loadOrCreate(file, new SecureRandom());
        SecretKey again = AesKeyFile.loadOrCreate(file, new SecureRandom());

        assertArrayEquals(first.getEncoded(), again.getEncoded());
        assertEquals(32, Files.readAllBytes(file).length);
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(file));
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE), Files.getPosixFilePermissions(file.getParent()));
        try (var left = Files.list(file.getParent())) {
            assertEquals(1, left.count(), "no partial file left");
        }
    }

    @Test
    void aFileThatIsNotAnAesKeyIsRefusedNamingIt() throws Exception {
        Path file = this.home.resolve(AesKeyFile.NAME);
        Files.writeString(file, "short");
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class,
                () -> AesKeyFile.loadOrCreate(file, new SecureRandom()));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
