package io.opcscraper.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the exported target/kura55-local.jar as a child process with the built .dp and a config
 * of one Connection instance pointing at a closed port, waits for the launcher's log lines,
 * then stops the process.
 */
class LocalRuntimeTest {

    private static final Path MODULE = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath();

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void installsTheDeploymentPackageAndCreatesTheInstance(@TempDir Path tmp) throws Exception {
        Path jar = MODULE.resolve("target/kura55-local.jar");
        assertTrue(Files.isRegularFile(jar), "the export did not make " + jar);
        Path dp = builtDp();
        Path config = tmp.resolve("one-connection.json");
        Files.write(config, ("{\"instances\":[{\"factoryPid\":\"io.opcscraper.opcua.Connection\","
                + "\"name\":\"opcua-connection\",\"properties\":{\"endpoint.url\":\"opc.tcp://127.0.0.1:1/closed\"}}]}")
                        .getBytes(StandardCharsets.UTF_8));

        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Dopcscraper.dp=" + dp,
                "-Dopcscraper.config=" + config, "-jar", jar.toString())
                .directory(tmp.toFile()).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String ready = null;
            // Blocks on the child's output; the @Timeout bounds the wait.
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                System.out.println("[kura55-local] " + line);
                output.add(line);
                if (line.contains("Launcher ready") || line.contains("Launcher done WITH ERRORS")) {
                    ready = line;
                    break;
                }
            }
            if (ready == null) {
                fail("the runtime exited (" + process.waitFor() + ") before the launcher finished:\n"
                        + String.join("\n", output));
            }
            assertTrue(ready.contains("Launcher ready: deployment package installed, 1 instance(s) created"), ready);
            assertTrue(output.stream().anyMatch(l -> l.contains("Installed deployment package opc-scraper ")),
                    "no 'Installed deployment package' line");
            assertTrue(output.stream().anyMatch(
                    l -> l.contains("Instance created: io.opcscraper.opcua.Connection 'opcua-connection'")),
                    "no 'Instance created' line");
        } finally {
            process.destroy();
            boolean exited = process.waitFor(20, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            assertTrue(exited, "the runtime did not stop within 20 s of SIGTERM");
        }
        assertFalse(process.isAlive());
        // SIGTERM: the JVM runs bnd's shutdown hook (framework stop) and exits with 128 + 15.
        assertEquals(143, process.exitValue());
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
