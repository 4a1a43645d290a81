package io.opcscraper.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
        Gateway gateway = Gateway.start(tmp, "-Dopcscraper.status.interval.s=1");
        try {
            gateway.await("Launcher ready");
            assertTrue(gateway.has("Launcher ready: deployment package installed, 1 instance(s) created"),
                    gateway.output());
            assertTrue(gateway.has("Installed deployment package opc-scraper "), gateway.output());
            assertTrue(gateway.has("Instance created: io.opcscraper.opcua.Connection 'opcua-connection'"),
                    gateway.output());
            // The status line names the instance and the reason, the endpoint from the placeholder's value.
            gateway.await("status: nodes=0 read=0/s written=0/s spool=0 dropped=0 last_error=opcua-connection: ");
            assertTrue(gateway.has("Connection refused: /127.0.0.1:1"), gateway.output());
            gateway.terminate();
            assertEquals(0, gateway.exitCode(30), gateway.output());
            assertTrue(gateway.has("stopping (SIGTERM)"), gateway.output());
            assertTrue(gateway.has("summary: read=0 written=0 spooled=0 dropped=0"), gateway.output());
        } finally {
            gateway.kill();
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void stopsByItselfAtTheEndOfTheDuration(@TempDir Path tmp) throws Exception {
        Gateway gateway = Gateway.start(tmp, "-Dopcscraper.duration.s=2");
        try {
            assertEquals(0, gateway.exitCode(60), gateway.output());
            assertTrue(gateway.has("stopping (opcscraper.duration.s=2 s elapsed)"), gateway.output());
            assertTrue(gateway.has("summary: read=0"), gateway.output());
        } finally {
            gateway.kill();
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void anInvalidConfigurationFileIsNamedAndTheRuntimeKeepsRunning(@TempDir Path tmp) throws Exception {
        Path config = tmp.resolve("bad.json");
        Files.writeString(config, "{\"io.opcscraper.opcua.Connection~c\": {\"request.timeout.ms:Integer\": \"soon\"}}");
        Gateway gateway = Gateway.start(tmp, config);
        try {
            gateway.await("Launcher done WITH ERRORS");
            assertTrue(gateway.has("\"io.opcscraper.opcua.Connection~c\".request.timeout.ms:Integer: \"soon\" is not a Integer"),
                    gateway.output());
            assertTrue(gateway.process.isAlive(), "the framework keeps running");
            gateway.terminate();
            assertEquals(0, gateway.exitCode(30), gateway.output());
        } finally {
            gateway.kill();
        }
    }

    /** The runtime as a child process and the lines it printed so far. */
    private static final class Gateway {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();

        private Gateway(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        System.out.println("[kura55-local] " + line);
                        this.lines.add(line);
                    }
                } catch (IOException e) {
                    this.lines.add("(reading the output failed: " + e + ")");
                }
            }, "gateway-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Gateway start(Path tmp, String... options) throws IOException {
            Path config = tmp.resolve("one-connection.json");
            Files.writeString(config, "{\":configurator:resource-version\": 1,"
                    + "\"io.opcscraper.opcua.Connection~opcua-connection\": {\"endpoint.url\": \"$[env:TEST_URL]\"}}");
            return start(tmp, config, options);
        }

        static Gateway start(Path tmp, Path config, String... options) throws IOException {
            Path jar = MODULE.resolve("target/kura55-local.jar");
            assertTrue(Files.isRegularFile(jar), "the export did not make " + jar);
            List<String> command = new ArrayList<>(List.of(
                    Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dopcscraper.dp=" + builtDp(), "-Dopcscraper.config=" + config));
            command.add("-Dorg.osgi.service.http.port=" + freePort());
            command.addAll(List.of(options));
            command.addAll(List.of("-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true);
            builder.environment().put("TEST_URL", "opc.tcp://127.0.0.1:1/closed");
            return new Gateway(builder.start());
        }

        void await(String text) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .failFast("the runtime exited:\n" + output(), () -> !this.process.isAlive() && !has(text))
                    .until(() -> has(text));
        }

        /** SIGTERM; through the process handle, since Process.destroy() also closes our end of its output. */
        void terminate() {
            this.process.toHandle().destroy();
        }

        boolean has(String text) {
            return this.lines.stream().anyMatch(l -> l.contains(text));
        }

        int exitCode(int seconds) throws InterruptedException {
            assertTrue(this.process.waitFor(seconds, TimeUnit.SECONDS),
                    "the runtime did not stop within " + seconds + " s:\n" + output());
            return this.process.exitValue();
        }

        String output() {
            return String.join("\n", this.lines);
        }

        void kill() throws InterruptedException {
            if (this.process.isAlive()) {
                this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** A port free now, for the web console (no fixed ports). */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
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
