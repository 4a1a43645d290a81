package io.opcscraper.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.opcscraper.itests.support.ChildProcess;

/**
 * The gateway: {@code kura55-local.jar} (Kura 5.5 profile) installing our .dp and creating the instances
 * of a configuration file, as a child process with the JVM options given. Follows its stdout: the
 * status line it prints every second, the poller's "skipped N polls" warnings, and the summary it
 * prints after an orderly stop (SIGTERM: OPC UA side first, then the writer flushes its spool).
 */
final class GatewayProcess implements AutoCloseable {

    private static final Pattern STATUS = Pattern.compile(
        "status: nodes=(\\d+) read=(\\d+)/s written=(\\d+)/s spool=(\\d+) dropped=(\\d+) backfilled=(\\d+)"
            + " last_error=(.*)");
    private static final Pattern SUMMARY = Pattern.compile("summary: read=(\\d+) written=(\\d+) spooled=(\\d+)"
        + " dropped=(\\d+) quarantined=(\\d+) backfilled=(\\d+) stop_ms=(\\d+)");
    private static final Pattern FILLED = Pattern.compile(
        "history: filled ([\\d,]+) s on ([\\d,]+) nodes, ([\\d,]+) values in ([\\d.]+) s");
    private static final Pattern SKIPPED = Pattern.compile("skipped \\d+ polls \\((\\d+) in all\\)");

    /** One status line: totals over the instances, rates over the last second. */
    record Status(long nodes, long readPerSecond, long writtenPerSecond, long spool, long dropped, long backfilled,
                  String lastError) {
    }

    /** A status line and when it arrived (System.nanoTime). */
    record Timed(long nanos, Status status) {
    }

    /** The summary line of the orderly stop. */
    record Summary(long read, long written, long spooled, long dropped, long quarantined, long backfilled,
                   long stopMs) {
    }

    /** One line of the history backfill: a round that stored values (gap seconds, nodes, values, its seconds). */
    record Filled(long nanos, long gapSeconds, long nodes, long values, double seconds) {
    }

    /** How long the orderly stop may flush the spool. */
    static final int FLUSH_SECONDS = 180;

    private final ChildProcess process;
    private final AtomicReference<Status> status;
    private final List<Timed> history;
    private final CompletableFuture<Summary> summary;
    private final CompletableFuture<String> ready;
    private final AtomicLong skippedPolls;
    private final List<Filled> filled;

    private GatewayProcess(ChildProcess process, AtomicReference<Status> status, List<Timed> history,
                           CompletableFuture<Summary> summary, CompletableFuture<String> ready, AtomicLong skippedPolls,
                           List<Filled> filled) {
        this.filled = filled;
        this.process = process;
        this.status = status;
        this.history = history;
        this.summary = summary;
        this.ready = ready;
        this.skippedPolls = skippedPolls;
    }

    static GatewayProcess start(Artifacts artifacts, List<String> jvmOptions, Path config, String dbPassword,
                                Path dir) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Jvm.javaCommand());
        command.addAll(jvmOptions);
        command.add("-Dopcscraper.dp=" + artifacts.dp());
        command.add("-Dopcscraper.config=" + config);
        command.add("-Dopcscraper.status.interval.s=1");
        // The orderly stop lets the writer drain its spool for up to this long (the launcher's default is 20 s): a
        // backlog left in the spool is not lost (written at the next start), but the bench counts rows at the end.
        command.add("-Dopcscraper.stop.flush.s=" + FLUSH_SECONDS);
        // The web console of the local runtime: a free port, a random password (never used here).
        command.add("-Dorg.osgi.service.http.port=" + freePort());
        command.add("-Dfelix.webconsole.password=" + HexFormat.of().formatHex(SecureRandom.getSeed(8)));
        // bnd's launcher keeps the framework and its own jars in java.io.tmpdir by default and leaves them there when
        // the process halts (about 50 MB a start): here they stay in the run's folder.
        command.add("-Dorg.osgi.framework.storage=" + dir.resolve("framework"));
        command.add("-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp")));
        command.add("-jar");
        command.add(artifacts.gatewayJar().toString());

        AtomicReference<Status> status = new AtomicReference<>();
        List<Timed> history = new CopyOnWriteArrayList<>();
        CompletableFuture<Summary> summary = new CompletableFuture<>();
        CompletableFuture<String> ready = new CompletableFuture<>();
        AtomicLong skipped = new AtomicLong();
        List<Filled> filled = new CopyOnWriteArrayList<>();
        ChildProcess child = Children.start("gateway", command, Map.of(GatewayConfig.PASSWORD_ENV, dbPassword),
            dir.resolve("gateway.out"), line -> {
                Matcher s = STATUS.matcher(line);
                if (s.find()) {
                    Status now = new Status(Long.parseLong(s.group(1)), Long.parseLong(s.group(2)),
                        Long.parseLong(s.group(3)), Long.parseLong(s.group(4)), Long.parseLong(s.group(5)),
                        Long.parseLong(s.group(6)), s.group(7));
                    status.set(now);
                    history.add(new Timed(System.nanoTime(), now));
                    return;
                }
                Matcher m = SUMMARY.matcher(line);
                if (m.find()) {
                    summary.complete(new Summary(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                        Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), Long.parseLong(m.group(5)),
                        Long.parseLong(m.group(6)), Long.parseLong(m.group(7))));
                    return;
                }
                Matcher f = FILLED.matcher(line);
                if (f.find()) {
                    filled.add(new Filled(System.nanoTime(), number(f.group(1)), number(f.group(2)), number(f.group(3)),
                        Double.parseDouble(f.group(4))));
                    return;
                }
                Matcher k = SKIPPED.matcher(line);
                if (k.find()) {
                    skipped.accumulateAndGet(Long.parseLong(k.group(1)), Math::max);
                }
                if (line.contains("Launcher ready") || line.contains("Launcher done WITH ERRORS")) {
                    ready.complete(line.substring(line.indexOf("Launcher")));
                }
            });
        return new GatewayProcess(child, status, history, summary, ready, skipped, filled);
    }

    private static long number(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }

    /** The backfill's "history: filled" lines so far. */
    List<Filled> filled() {
        return List.copyOf(filled);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The latest status line, or null before the first. */
    Status status() {
        return status.get();
    }

    /**
     * How fast the spool backlog grew between two moments (System.nanoTime), in samples a second: the mean spool
     * depth of the status lines in the last quarter of the interval minus that of the first quarter, over the time
     * between them. Near 0 when the writer keeps up (the depth saw-tooths with every poll but does not climb).
     */
    double backlogGrowth(long from, long to) {
        long quarter = (to - from) / 4;
        double first = meanSpool(from, from + quarter);
        double last = meanSpool(to - quarter, to);
        return Double.isNaN(first) || Double.isNaN(last) ? Double.NaN : (last - first) / ((to - from - quarter) / 1e9);
    }

    private double meanSpool(long from, long to) {
        return history.stream().filter(t -> t.nanos() >= from && t.nanos() <= to)
            .mapToLong(t -> t.status().spool()).average().orElse(Double.NaN);
    }

    /** The launcher's ready line (or its "done WITH ERRORS" line), null until then. */
    String readyLine() {
        return ready.getNow(null);
    }

    /** The poller's skipped polls as its last "skipped N polls (M in all)" warning said (logged once a minute). */
    long skippedPolls() {
        return skippedPolls.get();
    }

    /**
     * SIGTERM, then waits for the orderly stop (the writer flushes up to 20 s) and its summary line.
     *
     * @return the summary, or null if the gateway printed none
     */
    Summary stop(int seconds) throws InterruptedException {
        int code = Children.stop(process, "the gateway", seconds);
        try {
            return summary.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            Say.line("the gateway printed no summary line (exit code " + code + ")");
            return null;
        }
    }

    @Override
    public void close() {
        Children.close(process, "the gateway");
    }
}
