package io.opcscraper.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.opcscraper.itests.support.ChildProcess;
import io.opcscraper.itests.support.Ports;

/**
 * Starts the exported target/kura55-local.jar as a child process with the built .dp and a
 * configuration of one Connection instance pointing at a closed port (OSGi Configurator JSON),
 * and checks what a user of the local run sees: the launcher's start lines, a status line every
 * second naming the connection problem, and the orderly stop on SIGTERM or at the end of the
 * duration: a summary line and exit code 0.
 */
class LocalRuntimeTest {

    private static final Path MODULE = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath();

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void installsCreatesReportsStatusAndStopsInOrderOnSigterm(@TempDir Path tmp) throws Exception {
        ChildProcess gateway = Gateway.start(tmp, "-Dopcscraper.status.interval.s=1");
        try {
            gateway.await("Launcher ready", Duration.ofSeconds(60));
            assertTrue(gateway.has("Launcher ready: deployment package installed, 1 instance(s) created"),
                    gateway.output());
            assertTrue(gateway.has("Installed deployment package opc-scraper "), gateway.output());
            assertTrue(gateway.has("Instance created: io.opcscraper.opcua.Connection 'opcua-connection'"),
                    gateway.output());
            // The status line names the instance and the reason, the endpoint from the placeholder's value.
            gateway.await("status: nodes=0 read=0/s written=0/s spool=0 dropped=0 last_error=opcua-connection: ", Duration.ofSeconds(60));
            assertTrue(gateway.has("Connection refused: /127.0.0.1:1"), gateway.output());
            gateway.terminate();
            assertEquals(0, gateway.exitCode(Duration.ofSeconds(30)), gateway.output());
            assertTrue(gateway.has("stopping (SIGTERM)"), gateway.output());
            assertTrue(gateway.has("summary: read=0 written=0 spooled=0 dropped=0"), gateway.output());
        } finally {
            gateway.close();
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void stopsByItselfAtTheEndOfTheDuration(@TempDir Path tmp) throws Exception {
        ChildProcess gateway = Gateway.start(tmp, "-Dopcscraper.duration.s=2");
        try {
            assertEquals(0, gateway.exitCode(Duration.ofSeconds(60)), gateway.output());
            assertTrue(gateway.has("stopping (opcscraper.duration.s=2 s elapsed)"), gateway.output());
            assertTrue(gateway.has("summary: read=0"), gateway.output());
        } finally {
            gateway.close();
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void anInvalidConfigurationFileIsNamedAndTheRuntimeKeepsRunning(@TempDir Path tmp) throws Exception {
        Path config = tmp.resolve("bad.json");
        Files.writeString(config, "{\"io.opcscraper.opcua.Connection~c\": {\"request.timeout.ms:Integer\": \"soon\"}}");
        ChildProcess gateway = Gateway.start(tmp, config);
        try {
            gateway.await("Launcher done WITH ERRORS", Duration.ofSeconds(60));
            assertTrue(gateway.has("\"io.opcscraper.opcua.Connection~c\".request.timeout.ms:Integer: \"soon\" is not a Integer"),
                    gateway.output());
            assertTrue(gateway.isAlive(), "the framework keeps running");
            gateway.terminate();
            assertEquals(0, gateway.exitCode(Duration.ofSeconds(30)), gateway.output());
        } finally {
            gateway.close();
        }
    }

    /** The runtime as a child process, with one Connection instance whose URL comes from a placeholder. */
    private static final class Gateway {
        static ChildProcess start(Path tmp, String... options) throws IOException {
            Path config = tmp.resolve("one-connection.json");
            Files.writeString(config, "{\":configurator:resource-version\": 1,"
                    + "\"io.opcscraper.opcua.Connection~opcua-connection\": {\"endpoint.url\": \"$[env:TEST_URL]\"}}");
            return start(tmp, config, options);
        }

        static ChildProcess start(Path tmp, Path config, String... options) throws IOException {
            Path jar = MODULE.resolve("target/kura55-local.jar");
            assertTrue(Files.isRegularFile(jar), "the export did not make " + jar);
            List<String> command = new ArrayList<>(List.of(
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dopcscraper.dp=" + builtDp(), "-Dopcscraper.config=" + config,
                    "-Dkura.home=" + tmp.resolve("kura"), "-Dkura55.log.dir=" + tmp,
                    "-Dorg.osgi.service.http.port=" + Ports.free()));
            command.addAll(List.of(options));
            command.addAll(List.of("-jar", jar.toString()));
            return ChildProcess.start("kura55-local", tmp, Map.of("TEST_URL", "opc.tcp://127.0.0.1:1/closed"), command,
                    null);
        }
    }

    private static Path builtDp() throws IOException {
        Path dir = MODULE.resolve("../../dp/target").normalize();
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "opc-scraper_*.dp")) {
            files.forEach(found::add);
        }
        assertEquals(1, found.size(), "expected one opc-scraper_*.dp in " + dir + ": " + found);
        return found.get(0);
    }
}
