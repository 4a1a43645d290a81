package io.opcscraper.itests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.eclipsesource.json.WriterConfig;

import io.opcscraper.itests.support.ChildProcess;
import io.opcscraper.itests.support.Gateway;
import io.opcscraper.itests.support.Ports;
import io.opcscraper.itests.support.Repository;
import io.opcscraper.itests.support.ConsoleConfigurations;

/**
 * The whole pipeline of a database fault scenario: the plant simulator program, the local gateway
 * (Connection, Discovery of {@code Plant/Line*}{@code /**}, Poller in subscribe mode at the
 * simulator's rate, Writer into a table of the test's own role and schema), its status lines,
 * its orderly stop, its web console, its memory and its log.
 */
final class PipelineFixture implements AutoCloseable {

    static final String WRITER = "timescale-writer";

    /** One status line. */
    record Status(long nodes, long read, long written, long spool, long dropped, String lastError) {
        static Status of(Matcher m) {
            return new Status(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                    Long.parseLong(m.group(4)), Long.parseLong(m.group(5)), m.group(Gateway.STATUS_LAST_ERROR));
        }

        boolean ok() {
            return "none".equals(this.lastError);
        }
    }

    /** The summary line of the orderly stop. */
    record Summary(long read, long written, long spooled, long dropped, long quarantined, long backfilled, long stopMs,
            String line) {
        static Summary of(Matcher m) {
            return new Summary(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                    Long.parseLong(m.group(4)), Long.parseLong(m.group(5)), Long.parseLong(m.group(6)),
                    Long.parseLong(m.group(7)), m.group());
        }
    }

    /** After the orderly stop: the gateway's summary and what the database holds of its writer. */
    record Counts(Summary summary, String writerId, long marker, long rows, long duplicates) {

        /** For assertion messages: the summary line and the database's counts. */
        String line() {
            return this.summary.line() + "; marker=" + this.marker + " rows=" + this.rows + " duplicates="
                    + this.duplicates;
        }

        /**
         * Nothing lost, nothing twice: the spool is empty, nothing was dropped or quarantined, and
         * read = written = rows = the progress marker (the samples acknowledged), no (nodeid,
         * timestamp) twice.
         */
        void assertNothingLost() {
            String counts = line();
            assertEquals(0, this.summary.spooled(), counts);
            assertEquals(0, this.summary.dropped(), counts);
            assertEquals(0, this.summary.quarantined(), counts);
            assertEquals(this.summary.read(), this.summary.written(), "read - written after the orderly stop: " + counts);
            assertEquals(this.marker, this.rows, "rows = samples acknowledged (the progress marker): " + counts);
            assertEquals(this.summary.written(), this.rows, "rows = written: " + counts);
            assertEquals(0, this.duplicates, "no (nodeid, timestamp) twice: " + counts);
        }
    }

    private final Repository repo = Repository.fromModule();
    private final Path work;
    private final int tags;
    private final double rate;
    private final String consolePassword = "c" + DbFixture.randomHex(10);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ChildProcess simulator;
    private String endpoint;
    private Gateway gateway;
    private int consolePort;

    PipelineFixture(String name, int tags, double rate) throws IOException {
        this.work = Paths.get("target", "reliability", name + "-" + System.currentTimeMillis()).toAbsolutePath();
        Files.createDirectories(this.work);
        this.tags = tags;
        this.rate = rate;
    }

    Path repoRoot() {
        return this.repo.root();
    }

    Path work() {
        return this.work;
    }

    /** Starts the simulator program on a free port and waits for its ready line. */
    void startSimulator() throws IOException {
        List<String> command = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                this.repo.simulatorJar().toString(), "--port", "0", "--tags", Integer.toString(this.tags), "--rate",
                rateText(), "--stats", this.work.resolve("sim-stats.txt").toString());
        this.simulator = ChildProcess.start("simulator", this.work, Map.of(), command, this.work.resolve("simulator.out"));
        this.simulator.await("simulator ready: ", Duration.ofSeconds(60));
        String line = this.simulator.lines().stream().filter(l -> l.startsWith("simulator ready: ")).findFirst()
                .orElseThrow();
        this.endpoint = line.substring("simulator ready: ".length()).split(" ")[0];
    }

    private String rateText() {
        return this.rate == Math.rint(this.rate) ? Long.toString((long) this.rate) : Double.toString(this.rate);
    }

    /**
     * Writes the config file (the database password through an environment placeholder, so it is
     * in no file) and starts the gateway with a web console on a free port.
     */
    void startGateway(DbFixture.Role role, String table, Map<String, Object> writerExtras, String... jvmOptions)
            throws IOException {
        JsonObject root = Json.object().add(":configurator:resource-version", 1);
        root.add("io.opcscraper.opcua.Connection~opcua-connection", Json.object()
                .add("endpoint.url", this.endpoint)
                .add("trust.all.servers", true));
        root.add("io.opcscraper.opcua.Discovery~opcua-discovery", Json.object()
                .add("connection.target", "(kura.service.pid=opcua-connection)")
                .add("include.patterns", "Plant/Line*/**"));
        JsonObject writer = Json.object()
                .add("jdbc.url", DbFixture.URL)
                .add("db.user", role.name())
                .add("db.password", "$[env:RELIABILITY_DB_PASSWORD]")
                .add("table.name", table)
                .add("max.rows:Long", 0)
                .add("aggregates.enabled", false)
                .add("spool.mode", UaPipeline.spoolMode());
        writerExtras.forEach((k, v) -> writer.add(k, v instanceof Number n ? Json.value(n.longValue()) : Json.value(v.toString())));
        root.add("io.opcscraper.timescale.Writer~" + WRITER, writer);
        root.add("io.opcscraper.opcua.Poller~opcua-poller", Json.object()
                .add("discovery.target", "(kura.service.pid=opcua-discovery)")
                .add("writer.target", "(kura.service.pid=" + WRITER + ")")
                .add("mode", "subscribe")
                .add("interval.ms:Integer", (int) Math.round(1000 / this.rate)));
        Path config = this.work.resolve("config.json");
        Files.writeString(config, root.toString(WriterConfig.PRETTY_PRINT));
        this.consolePort = Ports.free();
        List<String> options = new ArrayList<>(List.of("-Dorg.osgi.service.http.port=" + this.consolePort,
                "-Dfelix.webconsole.password=" + this.consolePassword));
        options.addAll(List.of(jvmOptions));
        this.gateway = Gateway.start(this.repo, this.work, config, Map.of("RELIABILITY_DB_PASSWORD", role.password()),
                options.toArray(String[]::new));
        this.gateway.awaitReady(Duration.ofSeconds(90));
    }

    Gateway gateway() {
        return this.gateway;
    }

    long gatewayPid() {
        return this.gateway.process().pid();
    }

    List<Status> statuses() {
        return this.gateway.process().lines().stream().map(Gateway.STATUS::matcher).filter(Matcher::matches)
                .map(Status::of).collect(Collectors.toList());
    }

    Status status() {
        return this.gateway.status().map(Status::of).orElse(new Status(0, 0, 0, 0, 0, "(no status line yet)"));
    }

    /** Waits until {@code n} consecutive status lines satisfy {@code condition}. */
    void awaitStatuses(String what, int n, Predicate<Status> condition, Duration timeout) {
        Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(500))
                .failFast("the gateway exited", () -> !this.gateway.process().isAlive())
                .until(() -> {
                    List<Status> all = statuses();
                    return all.size() >= n && all.subList(all.size() - n, all.size()).stream().allMatch(condition);
                });
    }

    /**
     * Waits until collection is steady: the last 5 status lines, after the first that reads, read
     * and wrote at least {@code minRate} samples/s with no error. Returns the mean read rate of those.
     */
    long awaitSteady(long minRate, Duration timeout) {
        // Per line the rates jitter (publishing and status each every second, batches every
        // second): the mean of the last 5 lines, and no error in them. The first line that reads
        // is not among them: it counts the start-up (seen: 11,189/s at a steady 5,025/s), so a
        // window holding it overstates the rate the callers measure against.
        Awaitility.await("steady collection of at least " + minRate + " samples/s, no error").atMost(timeout)
                .pollInterval(Duration.ofMillis(500))
                .failFast("the gateway exited", () -> !this.gateway.process().isAlive())
                .until(() -> {
                    List<Status> all = statuses();
                    int firstReading = 0;
                    while (firstReading < all.size() && all.get(firstReading).read() == 0) {
                        firstReading++;
                    }
                    if (all.size() - firstReading < 6) {
                        return false;
                    }
                    List<Status> last = all.subList(all.size() - 5, all.size());
                    return last.stream().allMatch(Status::ok)
                            && last.stream().mapToLong(Status::read).average().orElse(0) >= minRate
                            && last.stream().mapToLong(Status::written).average().orElse(0) >= minRate * 9 / 10;
                });
        List<Status> all = statuses();
        return Math.round(all.subList(all.size() - 5, all.size()).stream().mapToLong(Status::read).average().orElse(0));
    }

    /**
     * Holds for {@code duration}, measured on the clock by Awaitility (no sleep), calling
     * {@code everyPoll} about once a second.
     */
    void hold(Duration duration, Runnable everyPoll) {
        long end = System.nanoTime() + duration.toNanos();
        Awaitility.await("a hold of " + duration.toSeconds() + " s").atMost(duration.plusSeconds(20))
                .pollDelay(Duration.ofMillis(500)).pollInterval(Duration.ofSeconds(1))
                .failFast("the gateway exited", () -> !this.gateway.process().isAlive())
                .until(() -> {
                    everyPoll.run();
                    return System.nanoTime() - end >= 0;
                });
    }

    /** The gateway's resident set size from /proc, in kB. */
    long rssKb() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(gatewayPid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // exited: the caller's checks on the process say so
        }
        return -1;
    }

    /** The writer id the spool directory keeps (the key of its progress marker). */
    String writerId() throws IOException {
        return Files.readString(this.work.resolve("kura/user/opc-scraper/spool/" + WRITER + "/writer-id")).trim();
    }

    /** SIGTERM, exit code 0, the summary line. */
    Summary stopGateway() throws InterruptedException {
        this.gateway.process().terminate();
        assertEquals(0, this.gateway.process().exitCode(Duration.ofSeconds(90)), "exit code of the orderly stop");
        return Summary.of(this.gateway.summary()
                .orElseThrow(() -> new AssertionError("no summary line:\n" + this.gateway.process().output())));
    }

    /** Stops the gateway in order and counts what its writer left in the database. */
    Counts stopAndCount(DbFixture.Role role, String table) throws Exception {
        Summary summary = stopGateway();
        String writerId = writerId();
        return new Counts(summary, writerId, role.marker(writerId), role.rows(table), role.duplicates(table));
    }

    /** Lines of the gateway's log file and of its output. */
    List<String> logAndOutput() throws IOException {
        List<String> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(this.work)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("kura55")).sorted().toList()) {
                all.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
            }
        }
        all.addAll(this.gateway.process().lines());
        return all;
    }

    List<String> logLines() throws IOException {
        List<String> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(this.work)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("kura55")).sorted().toList()) {
                all.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
            }
        }
        return all;
    }

    // --- the web console: changing the Writer's configuration at run time ----------------------------

    /**
     * Sets properties of the Writer instance through the Felix web console's configuration
     * manager, as its form's Save does: a POST to {@code /system/console/configMgr/<pid>} with
     * {@code apply=update} (only the listed properties change; the others, {@code kura.service.pid}
     * included, stay) and the configuration's bundle location kept.
     */
    void setWriterProperties(Map<String, String> properties) throws IOException, InterruptedException {
        System.out.println("[test] " + java.time.LocalTime.now() + " setting " + properties.keySet() + " of " + WRITER
                + " through the web console");
        String pid = pidOf(WRITER);
        JsonObject current = configJson(pid);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("apply", "update");
        form.put("action", "ajaxConfigManager");
        String location = Optional.ofNullable(current.get("bundle_location")).filter(JsonValue::isString)
                .map(JsonValue::asString).orElse("");
        if (!location.isEmpty()) {
            form.put("$location", location);
        }
        form.put("propertylist", String.join(",", properties.keySet()));
        form.putAll(properties);
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> r = this.http.send(request("/system/console/configMgr/" + encodePath(pid))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        System.out.println("[test] " + java.time.LocalTime.now() + " POST configMgr/" + pid + ": HTTP " + r.statusCode()
                + " (location '" + location + "')");
        // The console answers a successful apply with a redirect to the configuration's page.
        assertTrue(r.statusCode() == 302 || r.statusCode() == 303 || r.statusCode() == 200,
                "POST configMgr/" + pid + ": HTTP " + r.statusCode());
    }

    private static String encodePath(String pid) {
        return URLEncoder.encode(pid, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The configuration whose kura.service.pid is {@code name}, from the console's Configurations printer. */
    String pidOf(String name) throws IOException, InterruptedException {
        HttpResponse<String> r = this.http.send(request("/system/console/status-Configurations.txt").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), "Configurations printer");
        Map<String, Map<String, String>> all = ConsoleConfigurations.parse(r.body());
        return all.entrySet().stream().filter(e -> name.equals(e.getValue().get("kura.service.pid")))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("no configuration with kura.service.pid=" + name + ": " + all.keySet()));
    }

    private JsonObject configJson(String pid) throws IOException, InterruptedException {
        HttpResponse<String> r = this.http.send(request("/system/console/configMgr/" + encodePath(pid) + ".json").GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), "configMgr/" + pid + ".json");
        JsonArray array = Json.parse(r.body()).asArray();
        return array.isEmpty() ? Json.object() : array.get(0).asObject();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.consolePort + path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("admin:" + this.consolePassword).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() throws InterruptedException {
        if (this.gateway != null) {
            this.gateway.close();
        }
        if (this.simulator != null) {
            this.simulator.close();
        }
    }
}
