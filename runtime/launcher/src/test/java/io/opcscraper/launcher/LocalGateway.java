package io.opcscraper.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.opcscraper.itests.support.ChildProcess;
import io.opcscraper.itests.support.Ports;

/**
 * The exported target/kura55-local.jar as a child process, with the built .dp, its Kura home and
 * log file under the test's directory, and one Connection instance whose URL comes from a
 * placeholder ({@code TEST_URL} = a closed port) unless the test gives its own configuration file.
 */
final class LocalGateway {

    static final Path MODULE = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath();

    private LocalGateway() {
    }

    /** The configuration file of one Connection instance named {@code opcua-connection}. */
    static Path oneConnection(Path tmp) throws IOException {
        Path config = tmp.resolve("one-connection.json");
        Files.writeString(config, "{\":configurator:resource-version\": 1,"
                + "\"io.opcscraper.opcua.Connection~opcua-connection\": {\"endpoint.url\": \"$[env:TEST_URL]\"}}");
        return config;
    }

    static ChildProcess start(Path tmp, String... options) throws IOException {
        return start(tmp, oneConnection(tmp), options);
    }

    static ChildProcess start(Path tmp, Path config, String... options) throws IOException {
        Path jar = MODULE.resolve("target/kura55-local.jar");
        assertTrue(Files.isRegularFile(jar), "the export did not make " + jar);
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dopcscraper.dp=" + builtDp(), "-Dopcscraper.config=" + config,
                "-Dkura.home=" + tmp.resolve("kura"), "-Dkura55.log.dir=" + tmp,
                "-Dorg.osgi.service.http.port=" + Ports.free()));
        command.addAll(ownFrameworkFiles(tmp));
        command.addAll(List.of(options));
        command.addAll(List.of("-jar", jar.toString()));
        return ChildProcess.start("kura55-local", tmp, Map.of("TEST_URL", "opc.tcp://127.0.0.1:1/closed"), command,
                null);
    }

    /**
     * The options that keep the framework storage and bnd launcher's unpacked jars in {@code dir}: by
     * default they go to java.io.tmpdir and stay there when the process halts or is killed.
     */
    static List<String> ownFrameworkFiles(Path dir) throws IOException {
        return List.of("-Dorg.osgi.framework.storage=" + dir.resolve("framework"),
                "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")));
    }

    static Path builtDp() throws IOException {
        Path dir = MODULE.resolve("../../dp/target").normalize();
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "opc-scraper_*.dp")) {
            files.forEach(found::add);
        }
        assertEquals(1, found.size(), "expected one opc-scraper_*.dp in " + dir + ": " + found);
        return found.get(0);
    }
}
