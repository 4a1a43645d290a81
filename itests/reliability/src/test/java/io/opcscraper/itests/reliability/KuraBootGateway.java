package io.opcscraper.itests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;

import io.opcscraper.itests.support.ChildProcess;
import io.opcscraper.itests.support.ConsoleConfigurations;
import io.opcscraper.itests.support.Gateway;
import io.opcscraper.itests.support.Ports;

/**
 * The local gateway booting as Kura does ({@code opcscraper.kura.boot=true}) with its framework
 * storage at a known place, an orderly stop that drains the spool or leaves it as it is
 * ({@code opcscraper.stop.flush.s=0}: what a reboot leaves), and its web console on a free port
 * with a password of its own, to read which configurations ConfigurationAdmin holds.
 */
final class KuraBootGateway implements AutoCloseable {

    private final Gateway gateway;
    private final int consolePort;
    private final String consolePassword;
    private final Instant started = Instant.now();
    private volatile long readyMillis = -1;

    private KuraBootGateway(Gateway gateway, int consolePort, String consolePassword) {
        this.gateway = gateway;
        this.consolePort = consolePort;
        this.consolePassword = consolePassword;
    }

    /** @param drainAtStop whether the orderly stop waits for the writer to empty its spool (else it leaves it) */
    static KuraBootGateway start(Path work, Path config, Path storage, boolean drainAtStop) throws IOException {
        int port = Ports.free();
        String password = "c" + DbFixture.randomHex(10);
        Gateway gateway = Gateway.start(UaPipeline.REPO, work, config, UaPipeline.env(), "-Dopcscraper.kura.boot=true",
                "-Dorg.osgi.framework.storage=" + storage, "-Dopcscraper.stop.flush.s=" + (drainAtStop ? 30 : 0),
                "-Dorg.osgi.service.http.port=" + port, "-Dfelix.webconsole.password=" + password);
        return new KuraBootGateway(gateway, port, password);
    }

    ChildProcess process() {
        return this.gateway.process();
    }

    String output() {
        return this.gateway.process().output();
    }

    /** Waits for {@code Launcher ready (Kura boot): <what>}. */
    void awaitReady(String what) {
        this.gateway.process().await("Launcher ready (Kura boot): " + what, Duration.ofSeconds(120));
        this.readyMillis = Duration.between(this.started, Instant.now()).toMillis();
    }

    long readyMillis() {
        return this.readyMillis;
    }

    /** The {@code service.pid} of each instance by name, from the boot's lines matching {@code line} (groups: name, pid). */
    Map<String, String> pids(Pattern line) {
        Map<String, String> pids = new TreeMap<>();
        for (String text : this.gateway.process().lines()) {
            Matcher m = line.matcher(text);
            if (m.matches()) {
                pids.put(m.group(1), m.group(2));
            }
        }
        return pids;
    }

    void awaitWritingStatusLines(int n) {
        UaPipeline.awaitWritingStatusLines(this.gateway, n);
    }

    /** Waits until the last {@code n} status lines satisfy {@code condition}. */
    void awaitStatus(String what, int n, Predicate<PipelineFixture.Status> condition) {
        ChildProcess process = this.gateway.process();
        Awaitility.await(what).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .failFast("the gateway exited", () -> !process.isAlive())
                .until(() -> {
                    List<PipelineFixture.Status> all = process.lines().stream().map(Gateway.STATUS::matcher)
                            .filter(Matcher::matches).map(PipelineFixture.Status::of).toList();
                    return all.size() >= n && all.subList(all.size() - n, all.size()).stream().allMatch(condition);
                });
    }

    /** Waits for a status line with samples read; returns the milliseconds since the start. */
    long awaitCollecting() {
        awaitStatus("collecting (a status line with samples read)", 1, s -> s.nodes() > 0 && s.read() > 0);
        return Duration.between(this.started, Instant.now()).toMillis();
    }

    /** SIGTERM, exit code 0, the summary line. */
    PipelineFixture.Summary stop() throws InterruptedException {
        this.gateway.process().terminate();
        assertEquals(0, this.gateway.process().exitCode(Duration.ofSeconds(90)), "exit code of the orderly stop");
        return PipelineFixture.Summary.of(this.gateway.summary()
                .orElseThrow(() -> new AssertionError("no summary line:\n" + output())));
    }

    /** The {@code service.pid} of each configuration with a {@code kura.service.pid}, by that name, as the web console lists them. */
    Map<String, String> servicePidsInConfigurationAdmin() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.consolePort
                + "/system/console/status-Configurations.txt")).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("admin:" + this.consolePassword).getBytes(StandardCharsets.UTF_8)))
                .GET().build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "the console's Configurations printer");
        Map<String, String> pids = new TreeMap<>();
        ConsoleConfigurations.parse(response.body()).forEach((pid, properties) -> {
            String name = properties.get("kura.service.pid");
            if (name != null) {
                pids.put(name, pid);
            }
        });
        return pids;
    }

    @Override
    public void close() throws InterruptedException {
        this.gateway.close();
    }
}
