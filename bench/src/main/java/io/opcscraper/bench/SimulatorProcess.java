package io.opcscraper.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.opcscraper.itests.support.ChildProcess;

/**
 * The plant simulator program ({@code simulator-VERSION-app.jar}) as a child process on a free port,
 * with its stats file: {@code changes} (value changes the plant produced since start, summed over its
 * variables) and {@code served} (Value attributes it answered: one per node of a Read, one per
 * sample a subscription took).
 */
final class SimulatorProcess implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("simulator ready: (opc\\.tcp://\\S+) .*variables=(\\d+)");
    private static final Pattern STOPPED = Pattern.compile("simulator stopped: produced=(\\d+) changes");

    /** One reading of the stats file. */
    record Stats(String state, long changes, long served, Instant time) {
    }

    private final ChildProcess process;
    private final Path statsFile;
    private final String endpointUrl;
    private final int variables;
    private final CompletableFuture<Long> produced;

    private SimulatorProcess(ChildProcess process, Path statsFile, String endpointUrl, int variables,
                             CompletableFuture<Long> produced) {
        this.process = process;
        this.statsFile = statsFile;
        this.endpointUrl = endpointUrl;
        this.variables = variables;
        this.produced = produced;
    }

    static SimulatorProcess start(Path jar, List<String> jvmOptions, int tags, double rateHz, Path dir,
                                  Duration timeout) throws IOException, InterruptedException {
        return start(jar, jvmOptions, tags, 0, rateHz, dir, timeout);
    }

    /** @param blocks Block variables (structures of five Doubles) besides the {@code tags} sensor variables */
    static SimulatorProcess start(Path jar, List<String> jvmOptions, int tags, int blocks, double rateHz, Path dir,
                                  Duration timeout) throws IOException, InterruptedException {
        return start(jar, jvmOptions, tags, blocks, rateHz, 0, dir, timeout);
    }

    /**
     * @param historySeconds 0: no history; else the sensor variables are historizing ({@code --history}) and the
     *        history covers these seconds before the start too ({@code --history-backdated})
     */
    static SimulatorProcess start(Path jar, List<String> jvmOptions, int tags, int blocks, double rateHz,
                                  int historySeconds, Path dir, Duration timeout) throws IOException, InterruptedException {
        Path stats = dir.resolve("simulator.stats");
        Files.deleteIfExists(stats);
        List<String> command = new ArrayList<>();
        command.add(Jvm.javaCommand());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "--port", "0", "--tags", Integer.toString(tags), "--rate",
            Double.toString(rateHz), "--stats", stats.toString(), "--structure-blocks", Integer.toString(blocks)));
        if (historySeconds > 0) {
            command.addAll(List.of("--history", Integer.toString(historySeconds), "--history-backdated"));
        }
        CompletableFuture<Matcher> ready = new CompletableFuture<>();
        CompletableFuture<Long> produced = new CompletableFuture<>();
        ChildProcess child = Children.start("simulator", command, Map.of(), dir.resolve("simulator.out"), line -> {
            Matcher m = READY.matcher(line);
            if (m.find()) {
                ready.complete(m);
            }
            Matcher s = STOPPED.matcher(line);
            if (s.find()) {
                produced.complete(Long.parseLong(s.group(1)));
            }
        });
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Matcher m = ready.get(200, TimeUnit.MILLISECONDS);
                return new SimulatorProcess(child, stats, m.group(1), Integer.parseInt(m.group(2)), produced);
            } catch (TimeoutException e) {
                if (!child.isAlive() || System.nanoTime() > deadline) {
                    Children.close(child, "the simulator");
                    throw new IOException("the simulator " + (child.isAlive() ? "did not print its ready line within "
                        + timeout.toSeconds() + " s" : "exited before it was ready") + "; see " + dir.resolve("simulator.out"));
                }
            } catch (ExecutionException e) {
                Children.close(child, "the simulator");
                throw new IOException("the simulator did not start", e);
            }
        }
    }

    String endpointUrl() {
        return endpointUrl;
    }

    int variables() {
        return variables;
    }

    long pid() {
        return process.pid();
    }

    /** The stats file as it is now (rewritten every second by the simulator). */
    Stats stats() throws IOException {
        Map<String, String> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(statsFile, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (NoSuchFileException e) {
            throw new IOException("the simulator has not written " + statsFile + " yet", e);
        }
        return new Stats(values.getOrDefault("state", "?"), Long.parseLong(values.getOrDefault("changes", "-1")),
            Long.parseLong(values.getOrDefault("served", "-1")), Instant.parse(values.getOrDefault("time",
                Instant.EPOCH.toString())));
    }

    /** The stats as written after {@code after}: waits for the next rewrite of the file (every second). */
    Stats statsAfter(Instant after, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Stats stats = stats();
                if (stats.time().isAfter(after)) {
                    return stats;
                }
            } catch (IOException | RuntimeException e) {
                // mid-rewrite or not there yet: try again
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the simulator's stats file was not rewritten after " + after);
            }
            Thread.sleep(100);
        }
    }

    /**
     * SIGTERM; the simulator writes its stats a last time (state=stopped) and prints how many changes it
     * produced.
     *
     * @return the final stats (served, changes at the stop)
     */
    Stats stop() throws IOException, InterruptedException {
        Children.stop(process, "the simulator", 30);
        Stats last = stats();
        if (!"stopped".equals(last.state())) {
            Say.line("the simulator's last stats are from " + last.time() + " (state " + last.state() + ")");
        }
        return last;
    }

    /** The changes the simulator printed when it stopped, or -1. */
    long produced() {
        return produced.getNow(-1L);
    }

    @Override
    public void close() {
        Children.close(process, "the simulator");
    }
}
