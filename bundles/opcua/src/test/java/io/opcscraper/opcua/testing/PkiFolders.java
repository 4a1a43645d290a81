package io.opcscraper.opcua.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What the certificate tests look for in a PKI folder ({@code rejected/}, {@code trusted/certs/}). */
public final class PkiFolders {

    private PkiFolders() {
    }

    /** The regular files directly in dir; none if it does not exist (yet). */
    public static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isRegularFile).toList();
        }
    }
}
