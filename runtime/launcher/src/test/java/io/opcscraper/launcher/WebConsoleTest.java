package io.opcscraper.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.eclipsesource.json.WriterConfig;

import io.opcscraper.itests.support.ConsoleConfigurations;
import io.opcscraper.simulator.PlantServer;

/**
 * The Apache Felix web console of the local runtime, driven like a person would: the plant simulator
 * (200 tags) runs in this JVM, {@code target/kura55-local.jar} runs as a child process with the built
 * .dp and a configuration (Connection, Discovery, Writer into the local TimescaleDB, Poller every
 * 1000 ms), and headless Chromium logs in to {@code /system/console/configMgr}, opens the Poller
 * instance {@code opcua-poller}, changes {@code interval.ms} to 250 and saves. The read rate of the
 * launcher's status line and the rows per second in the table must then rise about fourfold, without
 * a restart. Also checks: the console listens on 127.0.0.1 only and wants credentials, Password
 * fields are password inputs that do not show the stored value, and the SLF4J 2 API that Jetty
 * needs is used by Jetty alone (the profile keeps SLF4J 1.7.36).
 */
class WebConsoleTest {

    private static final Path MODULE = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath();
    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");

    private static final Pattern STATUS = Pattern.compile(
            "status: nodes=(\\d+) read=(\\d+)/s written=(\\d+)/s spool=(\\d+) dropped=(\\d+) backfilled=(\\d+) last_error=(.*)");
    private static final int TAGS = 200;
    /** Seconds between two status lines (the launcher's opcscraper.status.interval.s). */
    private static final int STATUS_INTERVAL_S = 3;

    private final String runId = Long.toString(System.currentTimeMillis(), 36) + HexFormat.of().formatHex(random(2));
    private final Path work = MODULE.resolve("target/webconsole-it/" + this.runId);
    private final String user = "tester";
    private final String password = "pw-" + HexFormat.of().formatHex(random(6));
    /** A Password property the console must never show: the Connection's (unused) user password. */
    private final String identitySecret = "secret-" + HexFormat.of().formatHex(random(6));
    private final String table = "webconsole_" + this.runId;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int port;
    private Thread outputReader;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void theConfigurationPageChangesThePollIntervalOfTheRunningPoller() throws Exception {
        Path jar = MODULE.resolve("target/kura55-local.jar");
        assertTrue(Files.isRegularFile(jar), "the export did not make " + jar);
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER + "); scripts/test installs them");
        Files.createDirectories(this.work);
        Database db = Database.fromEnvironment();
        db.check();

        try (PlantServer plant = PlantServer.builder().port(0).tags(TAGS).changeRateHz(20).securityPolicies("None")
                .pkiDir(this.work.resolve("plant-pki")).start()) {
            this.port = freePort();
            Path config = writeConfig(plant.endpointUrl(), db);
            Process gateway = start(jar, config);
            try {
                run(db);
            } finally {
                stop(gateway);
            }
        } finally {
            db.dropTable(this.table);
        }
    }

    private void run(Database db) throws Exception {
        awaitOutput("the launcher to finish", Duration.ofSeconds(90),
                () -> this.output.stream().anyMatch(l -> l.contains("Launcher ready") || l.contains("Launcher done")));
        check(this.output.stream().anyMatch(l -> l.contains("Launcher ready: deployment package installed, 4 instance(s) created")),
                "the launcher did not create the 4 instances");
        check(this.output.stream().noneMatch(l -> l.contains("No SLF4J providers were found")
                || l.contains("could not find a logging implementation")),
                "logging fell back to a no-operation or simple logger (start order of the logging bundles)");

        checkConsoleIsLocalAndProtected();
        checkSlf4j2IsJettysAlone();

        // Before: 200 nodes every 1000 ms.
        awaitOutput("3 status lines reading " + TAGS + " nodes", Duration.ofSeconds(90), () -> {
            List<Status> lines = statusLines(0);
            return lines.size() >= 3 && lines.subList(lines.size() - 3, lines.size()).stream()
                    .allMatch(s -> s.nodes == TAGS && s.read > 0);
        });
        List<Status> before = statusLines(0);
        double readBefore = average(before.subList(before.size() - 3, before.size()));
        awaitOutput("rows in table " + this.table, Duration.ofSeconds(30), () -> db.rowsPerSecond(this.table) >= readBefore / 2);
        double rowsBefore = db.rowsPerSecond(this.table);
        System.out.printf("[webconsole-it] before: read %.0f/s (status), %.0f rows/s (table %s)%n", readBefore, rowsBefore,
                this.table);

        String pollerPid = pidOf("opcua-poller");
        int statusLinesAtSave;
        WebDriver browser = browser();
        try {
            browser.get(consoleUrl(true, "/system/console/configMgr"));
            checkPasswordFields(browser);
            changeInterval(browser, "opcua-poller", "250");
            statusLinesAtSave = statusLines(0).size();
        } catch (Throwable e) {
            throw failure("the console could not change the interval", e, browser);
        } finally {
            browser.quit();
        }

        Map<String, String> saved = configuration(pollerPid);
        check("250".equals(saved.get("interval.ms")), "interval.ms after Save: " + saved);
        check("opcua-poller".equals(saved.get("kura.service.pid")), "Save lost kura.service.pid: " + saved);

        // After: every 250 ms, so about 4x; the first line after Save straddles the change.
        awaitOutput("the status read rate to reach 3x " + readBefore, Duration.ofSeconds(60), () -> {
            List<Status> after = statusLines(statusLinesAtSave + 1);
            return after.size() >= 2 && average(after.subList(after.size() - 2, after.size())) >= 3 * readBefore;
        });
        awaitOutput("the rows per second in " + this.table + " to reach 3x " + rowsBefore
                + " (the Writer's form was saved unchanged: its stored password must have been kept)", Duration.ofSeconds(60),
                () -> db.rowsPerSecond(this.table) >= 3 * rowsBefore);
        List<Status> after = statusLines(statusLinesAtSave + 1);
        System.out.printf("[webconsole-it] after: read %.0f/s (status), %.0f rows/s (table)%n",
                average(after.subList(after.size() - 2, after.size())), db.rowsPerSecond(this.table));
    }

    // --- console checks over HTTP ------------------------------------------------------------------------

    private void checkConsoleIsLocalAndProtected() throws Exception {
        HttpResponse<String> anonymous = get("/system/console/configMgr", null);
        check(anonymous.statusCode() == 401, "without credentials: HTTP " + anonymous.statusCode());
        check(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"),
                "no basic-auth challenge: " + anonymous.headers().map());
        HttpResponse<String> wrong = get("/system/console/configMgr", this.user + ":wrong");
        check(wrong.statusCode() == 401, "with a wrong password: HTTP " + wrong.statusCode());
        HttpResponse<String> ok = get("/system/console/configMgr", this.user + ":" + this.password);
        check(ok.statusCode() == 200, "with the credentials of -Dfelix.webconsole.username/password: HTTP " + ok.statusCode());

        // 127.0.0.1 only: a wildcard bind (0.0.0.0 or ::) would also accept on 127.0.0.2 and ::1.
        check(connects("127.0.0.1"), "nothing listens on 127.0.0.1:" + this.port);
        check(!connects("127.0.0.2"), "the console also listens on 127.0.0.2: not bound to 127.0.0.1 only");
        check(!connects("::1"), "the console also listens on [::1]: not bound to 127.0.0.1 only");
        check(this.output.stream().anyMatch(l -> l.contains("{127.0.0.1:" + this.port + "}")),
                "no Jetty connector line for 127.0.0.1:" + this.port);
    }

    private boolean connects(String host) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, this.port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Jetty 12 needs SLF4J 2; every other bundle (the Kura 5.5 profile, our .dp) must keep SLF4J 1.7.36. */
    private void checkSlf4j2IsJettysAlone() throws Exception {
        JsonObject list = Json.parse(get("/system/console/bundles.json", this.user + ":" + this.password).body()).asObject();
        Set<String> importers = new TreeSet<>();
        boolean found = false;
        for (JsonValue bundle : list.get("data").asArray()) {
            JsonObject b = bundle.asObject();
            if ("slf4j.api".equals(b.getString("symbolicName", "")) && b.getString("version", "").startsWith("2.")) {
                found = true;
                JsonObject detail = Json.parse(get("/system/console/bundles/" + b.get("id").asInt() + ".json",
                        this.user + ":" + this.password).body()).asObject().get("data").asArray().get(0).asObject();
                for (JsonValue prop : detail.get("props").asArray()) {
                    if ("Importing Bundles".equals(prop.asObject().getString("key", ""))) {
                        JsonValue value = prop.asObject().get("value");
                        List<JsonValue> values = value.isArray() ? value.asArray().values() : List.of(value);
                        for (JsonValue v : values) {
                            Matcher m = Pattern.compile(">([^<(]+) \\(\\d+\\)<").matcher(v.asString());
                            if (m.find()) {
                                importers.add(m.group(1).trim());
                            }
                        }
                    }
                }
            }
        }
        check(found, "no SLF4J 2 API bundle in the runtime");
        check(Set.of("org.apache.felix.http.jetty12", "org.apache.logging.log4j.slf4j2-impl").containsAll(importers),
                "bundles other than Jetty use the SLF4J 2 API: " + importers);
    }

    /** The configuration whose kura.service.pid is {@code name}, from the console's Configurations printer. */
    private String pidOf(String name) throws Exception {
        for (Map.Entry<String, Map<String, String>> e : configurations().entrySet()) {
            if (name.equals(e.getValue().get("kura.service.pid"))) {
                return e.getKey();
            }
        }
        throw failure("no configuration with kura.service.pid=" + name + ": " + configurations().keySet(), null, null);
    }

    private Map<String, String> configuration(String pid) throws Exception {
        return configurations().getOrDefault(pid, Map.of());
    }

    /** PID to properties, parsed from /system/console/status-Configurations.txt. */
    private Map<String, Map<String, String>> configurations() throws Exception {
        HttpResponse<String> r = get("/system/console/status-Configurations.txt", this.user + ":" + this.password);
        check(r.statusCode() == 200, "Configurations printer: HTTP " + r.statusCode());
        return ConsoleConfigurations.parse(r.body());
    }

    private HttpResponse<String> get(String path, String credentials) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(consoleUrl(false, path)))
                .timeout(Duration.ofSeconds(15));
        if (credentials != null) {
            request.header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String consoleUrl(boolean withCredentials, String path) {
        return "http://" + (withCredentials ? this.user + ":" + this.password + "@" : "") + "127.0.0.1:" + this.port + path;
    }

    // --- the browser ----------------------------------------------------------------------------------

    private WebDriver browser() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Without the background-networking flags Chromium misbehaves on a machine without Internet.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--log-level=2",
                "--user-data-dir=" + Files.createDirectories(this.work.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withLogFile(this.work.resolve("chromedriver.log").toFile())
                // At INFO chromedriver logs every navigation, credentials in the URL included
                // (found by itests/log-scan): warnings and errors only.
                .withLogLevel(org.openqa.selenium.chromium.ChromiumDriverLogLevel.WARNING).build();
        return new ChromeDriver(service, options);
    }

    /**
     * Password properties: password inputs whose value is not the stored one. The Writer's form is
     * then saved unchanged: its password must survive (the rows-per-second check later needs it).
     */
    private void checkPasswordFields(WebDriver browser) throws Exception {
        for (String[] field : new String[][] {{"opcua-connection", "identity.password"},
                {"timescale-writer", "db.password"}}) {
            openInstance(browser, field[0]);
            WebElement input = new WebDriverWait(browser, Duration.ofSeconds(30)).until(
                    ExpectedConditions.presenceOfElementLocated(By.cssSelector("#editorForm input[name='" + field[1] + "']")));
            String type = input.getAttribute("type");
            String shown = input.getDomProperty("value");
            System.out.printf("[webconsole-it] %s %s: <input type=%s> showing \"%s\"%n", field[0], field[1], type, shown);
            check("password".equals(type), field[1] + " is an <input type=" + type + ">, not a password input");
            String page = browser.getPageSource();
            check(!page.contains(this.identitySecret), "the page shows the Connection's identity.password in clear text");
            check(!this.identitySecret.equals(shown), "the " + field[1] + " input holds the clear-text password");
            if (field[0].equals("timescale-writer")) {
                save(browser, input);
            } else {
                browser.get(consoleUrl(true, "/system/console/configMgr"));
            }
        }
    }

    /** Opens an instance as a user does: by the name shown (the launcher sets the console's name hint to kura.service.pid). */
    private void openInstance(WebDriver browser, String name) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        // Factory instances are the rows with an fpid attribute; the second cell names the instance.
        WebElement cell = wait.until(ExpectedConditions.elementToBeClickable(By.xpath(
                "//table[@id='configTable']//tr[@fpid]/td[2][span[normalize-space(.)='" + name + "']]")));
        cell.click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("editorForm")));
    }

    private void changeInterval(WebDriver browser, String name, String value) {
        openInstance(browser, name);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        WebElement interval = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#editorForm textarea[name='interval.ms']")));
        check("1000".equals(interval.getDomProperty("value").trim()), "interval.ms shown: " + interval.getDomProperty("value"));
        interval.clear();
        interval.sendKeys(value);
        save(browser, interval);
    }

    /** Clicks the editor's Save: it posts the form and reloads the page, so {@code field} goes stale. */
    private static void save(WebDriver browser, WebElement field) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        WebElement save = wait.until(ExpectedConditions.elementToBeClickable(By.xpath(
                "//div[contains(@class,'ui-dialog-buttonpane')]//button[normalize-space(.)='Save']")));
        save.click();
        wait.until(ExpectedConditions.stalenessOf(field));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath("//table[@id='configTable']//tr[@fpid]")));
    }

    // --- the gateway process --------------------------------------------------------------------------

    private Path writeConfig(String endpointUrl, Database db) throws IOException {
        JsonObject root = Json.object().add(":configurator:resource-version", 1);
        root.add("io.opcscraper.opcua.Connection~opcua-connection", Json.object()
                .add("endpoint.url", endpointUrl)
                .add("trust.all.servers", true)
                .add("pki.dir", this.work.resolve("client-pki").toString())
                .add("identity.password", this.identitySecret));
        root.add("io.opcscraper.opcua.Discovery~opcua-discovery", Json.object()
                .add("connection.target", "(kura.service.pid=opcua-connection)")
                .add("include.patterns", "Plant/Line*/**"));
        root.add("io.opcscraper.timescale.Writer~timescale-writer", Json.object()
                .add("jdbc.url", db.url)
                .add("db.user", db.user)
                .add("db.password", db.password)
                .add("table.name", this.table)
                .add("max.rows", 0)
                .add("aggregates.enabled", false)
                .add("spool.dir", this.work.resolve("spool").toString()));
        root.add("io.opcscraper.opcua.Poller~opcua-poller", Json.object()
                .add("discovery.target", "(kura.service.pid=opcua-discovery)")
                .add("writer.target", "(kura.service.pid=timescale-writer)")
                .add("mode", "poll")
                .add("interval.ms", 1000));
        Path config = this.work.resolve("config.json");
        Files.writeString(config, root.toString(WriterConfig.PRETTY_PRINT));
        return config;
    }

    private Process start(Path jar, Path config) throws IOException {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(),
                "-Dopcscraper.dp=" + builtDp(),
                "-Dopcscraper.config=" + config,
                "-Dopcscraper.status.interval.s=" + STATUS_INTERVAL_S,
                "-Dorg.osgi.service.http.port=" + this.port,
                "-Dfelix.webconsole.username=" + this.user,
                "-Dfelix.webconsole.password=" + this.password));
        command.addAll(LocalGateway.ownFrameworkFiles(this.work));
        command.addAll(List.of("-jar", jar.toString()));
        Process process = new ProcessBuilder(command)
                .directory(this.work.toFile()).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    System.out.println("[kura55-local] " + line);
                    this.output.add(line);
                }
            } catch (IOException e) {
                this.output.add("(reading the output failed: " + e + ")");
            }
        }, "kura55-local-output");
        reader.setDaemon(true);
        reader.start();
        this.outputReader = reader;
        return process;
    }

    /**
     * SIGTERM (the launcher's orderly stop), then the rest of the output. Through the ProcessHandle:
     * Process.destroy() also closes the output pipe at once, which loses the lines of the stop.
     */
    private void stop(Process process) throws Exception {
        process.toHandle().destroy();
        boolean exited = process.waitFor(30, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        this.outputReader.join(TimeUnit.SECONDS.toMillis(10));
        List<String> lines = new ArrayList<>(this.output);
        lines.add("(exit code " + (process.isAlive() ? "none: still running" : process.exitValue()) + ")");
        Files.write(this.work.resolve("gateway-output.txt"), lines, StandardCharsets.UTF_8);
        assertTrue(exited, "the runtime did not stop within 30 s of SIGTERM");
    }

    private static Path builtDp() throws IOException {
        Path dir = MODULE.resolve("../../dp/target").normalize();
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "opc-scraper_*.dp")) {
            files.forEach(found::add);
        }
        assertEquals(1, found.size(), "expected one opc-scraper_*.dp in " + dir + " (scripts/build makes it): " + found);
        return found.get(0);
    }

    private List<Status> statusLines(int fromLine) {
        List<Status> lines = new ArrayList<>();
        List<String> all = this.output;
        int statusIndex = 0;
        for (String line : all) {
            Matcher m = STATUS.matcher(line);
            if (m.find()) {
                if (statusIndex++ >= fromLine) {
                    lines.add(new Status(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))));
                }
            }
        }
        return lines;
    }

    private static double average(List<Status> lines) {
        return lines.stream().mapToLong(s -> s.read).average().orElse(0);
    }

    private record Status(int nodes, long read) {
    }

    // --- waiting and failing --------------------------------------------------------------------------

    private void awaitOutput(String what, Duration timeout, Callable<Boolean> condition) {
        try {
            await(what).atMost(timeout).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(condition);
        } catch (ConditionTimeoutException e) {
            throw failure("timed out after " + timeout.toSeconds() + " s waiting for " + what, e, null);
        }
    }

    private void check(boolean condition, String message) {
        if (!condition) {
            throw failure(message, null, null);
        }
    }

    /** An AssertionError with the gateway's output; with a browser, a screenshot and the page source in work/. */
    private AssertionError failure(String message, Throwable cause, WebDriver browser) {
        StringBuilder text = new StringBuilder(message);
        if (browser != null) {
            try {
                Path png = this.work.resolve("failure.png");
                Files.write(png, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
                Path html = this.work.resolve("failure.html");
                Files.writeString(html, browser.getPageSource());
                text.append("\nscreenshot ").append(png).append(", page source ").append(html);
            } catch (Exception e) {
                text.append("\n(no screenshot: ").append(e).append(')');
            }
        }
        text.append("\n--- gateway output (").append(this.output.size()).append(" lines) ---\n");
        this.output.forEach(l -> text.append(l).append('\n'));
        return new AssertionError(text.toString(), cause);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /**
     * The database of the writer: {@code TIMESCALE_URL}, {@code TIMESCALE_USER}, {@code TIMESCALE_PASSWORD}
     * when set, else the local TimescaleDB of {@code scripts/timescaledb}.
     */
    private record Database(String url, String user, String password) {

        static Database fromEnvironment() {
            return new Database(env("TIMESCALE_URL", "jdbc:postgresql://127.0.0.1:" + env("TIMESCALE_PORT", "5433") + "/opcscraper"),
                    env("TIMESCALE_USER", "opcscraper"), env("TIMESCALE_PASSWORD", "opcscraper"));
        }

        private static String env(String name, String fallback) {
            String value = System.getenv(name);
            return value == null || value.isBlank() ? fallback : value.trim();
        }

        Connection connect() throws SQLException {
            Properties props = new Properties();
            props.setProperty("user", this.user);
            props.setProperty("password", this.password);
            props.setProperty("connectTimeout", "10");
            return DriverManager.getConnection(this.url, props);
        }

        void check() {
            try (Connection c = connect()) {
                c.isValid(5);
            } catch (SQLException e) {
                throw new AssertionError("Test database not reachable at " + this.url + " as " + this.user
                        + " (set TIMESCALE_URL/TIMESCALE_USER/TIMESCALE_PASSWORD, or start the local one with "
                        + "scripts/timescaledb start): " + e.getMessage(), e);
            }
        }

        /**
         * Rows whose source timestamp lies in the 8 seconds that ended 2 seconds ago, per second: the
         * sample rate then, independent of when the writer's batches arrived (it flushes every second).
         */
        double rowsPerSecond(String table) throws SQLException {
            try (Connection c = connect(); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT count(*) FROM \"" + table + "\" WHERE \"timestamp\" >= now() - "
                            + "interval '10 seconds' AND \"timestamp\" < now() - interval '2 seconds'")) {
                r.next();
                return r.getLong(1) / 8.0;
            }
        }

        void dropTable(String table) {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                for (String view : List.of("rolling_avg_" + table + "1m", "rolling_avg_" + table + "_5s",
                        "rolling_count_" + table + "_5s")) {
                    s.execute("DROP VIEW IF EXISTS \"" + view + "\" CASCADE");
                }
                s.execute("DROP TABLE IF EXISTS \"" + table + "\" CASCADE");
                s.execute("DROP PROCEDURE IF EXISTS \"limit_" + table + "_rows\"(bigint)");
                s.execute("DROP PROCEDURE IF EXISTS \"limit_" + table + "_rows_job\"(integer, jsonb)");
            } catch (SQLException | RuntimeException | LinkageError e) {
                // Never hides the test's own failure.
                System.out.println("[webconsole-it] could not drop table " + table + ": " + e);
            }
        }
    }
}
