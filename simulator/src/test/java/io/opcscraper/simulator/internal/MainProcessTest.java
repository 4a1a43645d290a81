package io.opcscraper.simulator.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opcscraper.simulator.PlantServer;

/** The program as a child JVM: ready line, a Milo client, the stats file, SIGTERM, exit codes. */
class MainProcessTest {

    private static final Pattern READY = Pattern.compile(
        "simulator ready: (opc\\.tcp://127\\.0\\.0\\.1:(\\d+)/plant) tags=40 rate=10Hz variables=(\\d+)");
    private static final Pattern STOPPED = Pattern.compile("simulator stopped: produced=(\\d+) changes");

    @TempDir
    Path tmp;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void servesUntilSigtermThenReportsTheChangesAndExitsZero() throws Exception {
        Path stats = tmp.resolve("run/stats.txt");
        Child child = start("--port", "0", "--tags", "40", "--rate", "10", "--stats", stats.toString());
        String ready = await().atMost(Duration.ofSeconds(60)).until(child::firstLine, line -> line != null);
        Matcher m = READY.matcher(ready);
        assertTrue(m.matches(), ready);
        String url = m.group(1);
        // 40 tags + 32 Types + 7 Hostile
        assertEquals(79, Integer.parseInt(m.group(3)));

        OpcUaClient client = OpcUaClient.create(url,
            endpoints -> endpoints.stream().filter(e -> SecurityPolicy.None.getUri().equals(e.getSecurityPolicyUri()))
                .findFirst(),
            config -> config.build());
        try {
            client.connect().get(20, SECONDS);
            NodeId temperature = new ExpandedNodeId(org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned
                .ushort(0), PlantServer.NAMESPACE_URI, "Plant/Line01/Machine01/Sensor01/Temperature")
                .toNodeId(client.getNamespaceTable()).orElseThrow();
            DataValue value = client.readValue(0, TimestampsToReturn.Both, temperature).get(10, SECONDS);
            assertTrue(value.getStatusCode().isGood(), value.toString());
            assertTrue(value.getValue().getValue() instanceof Double, value.toString());
        } finally {
            client.disconnect().get(10, SECONDS);
        }

        // The stats file: rewritten every second; at 10 Hz about 36 changes per period; our read served one value.
        await().atMost(Duration.ofSeconds(20)).until(() -> stat(stats, "served") >= 1 && stat(stats, "changes") > 100);
        Properties running = properties(stats);
        assertEquals("running", running.getProperty("state"));
        assertEquals(url, running.getProperty("url"));
        assertEquals("79", running.getProperty("variables"));

        // SIGTERM; Process.destroy() would also close our end of the child's stdout at once.
        assertTrue(child.process.toHandle().destroy());
        assertTrue(child.process.waitFor(30, SECONDS), "stopped within 30 s");
        assertEquals(0, child.process.exitValue(), child.describe());
        await().atMost(Duration.ofSeconds(10)).alias(child.describe()).until(() -> child.lines.size() >= 2);
        Matcher stopped = STOPPED.matcher(child.lines.get(1));
        assertTrue(stopped.matches(), child.describe());
        long produced = Long.parseLong(stopped.group(1));
        Properties last = properties(stats);
        assertEquals("stopped", last.getProperty("state"));
        assertEquals(produced, Long.parseLong(last.getProperty("changes")));
        assertTrue(produced >= Long.parseLong(running.getProperty("changes")), child.describe());
        assertEquals("", Files.readString(child.stderr).strip(), "nothing logged at WARN");
    }

    @Test
    void badOptionExitsTwoWithTheOptionAndTheUsage() throws Exception {
        Child child = start("--rate", "fast");
        assertTrue(child.process.waitFor(30, SECONDS));
        assertEquals(2, child.process.exitValue());
        String stderr = Files.readString(child.stderr);
        assertTrue(stderr.startsWith("Invalid value for option '--rate': 'fast' is not a number of Hz"), stderr);
        assertTrue(stderr.contains("Usage: "), stderr);
    }

    @Test
    void busyPortExitsOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Child child = start("--port", Integer.toString(taken.getLocalPort()), "--tags", "4");
            assertTrue(child.process.waitFor(60, SECONDS));
            assertEquals(1, child.process.exitValue(), child.describe());
            String stderr = Files.readString(child.stderr);
            assertEquals("simulator: cannot start: port " + taken.getLocalPort() + " on 127.0.0.1 is in use or cannot be"
                + " bound (Address already in use)", stderr.strip());
            assertEquals(List.of(), child.lines);
        }
    }

    private Child start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            Main.class.getName()));
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile(tmp, "stderr", ".txt");
        Process process = new ProcessBuilder(command)
            .redirectError(stderr.toFile())
            .start();
        processes.add(process);
        Child child = new Child(process, stderr);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    child.lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "simulator-stdout");
        reader.setDaemon(true);
        reader.start();
        return child;
    }

    private static long stat(Path file, String key) throws IOException {
        if (!Files.exists(file)) {
            return -1;
        }
        String value = properties(file).getProperty(key);
        return value == null ? -1 : Long.parseLong(value);
    }

    private static Properties properties(Path file) throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            properties.load(in);
        }
        return properties;
    }

    private record Child(Process process, Path stderr, List<String> lines) {
        Child(Process process, Path stderr) {
            this(process, stderr, new CopyOnWriteArrayList<>());
        }

        String firstLine() {
            return lines.isEmpty() ? null : lines.get(0);
        }

        String describe() {
            try {
                return "stdout " + lines + ", stderr " + Files.readString(stderr);
            } catch (IOException e) {
                return "stdout " + lines;
            }
        }
    }
}
