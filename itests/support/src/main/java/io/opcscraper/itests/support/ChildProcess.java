package io.opcscraper.itests.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;

/**
 * A program a test runs as a user would, as a child process: every line it prints is kept (and
 * copied to a file and to the test's output with a prefix, or to a listener), tests wait on lines
 * with a timeout, and stop it with SIGTERM (through the process handle: {@code Process.destroy()}
 * also closes our end of its output, which loses the lines it prints while stopping) or SIGKILL.
 */
public final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private ChildProcess(String name, Process process, Path log, Consumer<String> listener) throws IOException {
        this.name = name;
        this.process = process;
        PrintWriter file = log == null ? null
                : new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
        this.reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    listener.accept(line);
                    this.lines.add(line);
                    if (file != null) {
                        file.println(line);
                    }
                }
            } catch (IOException e) {
                this.lines.add("(reading the output failed: " + e + ")");
            } finally {
                if (file != null) {
                    file.close();
                }
            }
        }, name + "-output");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Starts {@code command} in {@code dir} with {@code env} added to this JVM's environment;
     * stdout and stderr together, copied to {@code log} when not {@code null}.
     */
    public static ChildProcess start(String name, Path dir, Map<String, String> env, List<String> command, Path log)
            throws IOException {
        return start(name, dir, env, command, log, line -> System.out.println("[" + name + "] " + line));
    }

    /**
     * As {@link #start(String, Path, Map, List, Path)}, but each line goes to {@code listener} (on the
     * thread that reads the output, in order, before it is kept) instead of to this JVM's stdout.
     */
    public static ChildProcess start(String name, Path dir, Map<String, String> env, List<String> command, Path log,
            Consumer<String> listener) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        return new ChildProcess(name, builder.start(), log, listener);
    }

    public long pid() {
        return this.process.pid();
    }

    public boolean isAlive() {
        return this.process.isAlive();
    }

    public List<String> lines() {
        return List.copyOf(this.lines);
    }

    public boolean has(String text) {
        return this.lines.stream().anyMatch(l -> l.contains(text));
    }

    /** The last line matching {@code pattern} entirely. */
    public Optional<Matcher> last(Pattern pattern) {
        List<String> copy = lines();
        for (int i = copy.size() - 1; i >= 0; i--) {
            Matcher m = pattern.matcher(copy.get(i));
            if (m.matches()) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** Lines printed from index {@code from} on. */
    public List<String> linesFrom(int from) {
        List<String> copy = lines();
        return copy.subList(Math.min(from, copy.size()), copy.size());
    }

    /** Waits for a line containing {@code text}; fails at once if the process exits first. */
    public void await(String text, Duration timeout) {
        Awaitility.await(this.name + " to print \"" + text + "\"").atMost(timeout).pollInterval(Duration.ofMillis(100))
                .failFast(() -> !this.process.isAlive() && !has(text))
                .until(() -> has(text));
    }

    /** SIGTERM. */
    public void terminate() {
        this.process.toHandle().destroy();
    }

    /** SIGKILL, to this process only (its children, if any, stay). */
    public void kill() throws InterruptedException {
        this.process.destroyForcibly();
        this.process.waitFor(30, TimeUnit.SECONDS);
        this.reader.join(5_000);
    }

    /** Waits for the exit and the rest of the output; fails if it does not exit in time. */
    public int exitCode(Duration timeout) throws InterruptedException {
        assertTrue(this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS),
                this.name + " did not exit within " + timeout.toSeconds() + " s:\n" + output());
        this.reader.join(10_000);
        return this.process.exitValue();
    }

    public String output() {
        return String.join("\n", this.lines);
    }

    /**
     * SIGTERM, then waits up to {@code timeout} for the exit and the rest of the output; SIGKILL of
     * the process and what it started when it does not exit in time.
     *
     * @return the exit code, or empty if it had to be killed
     */
    public OptionalInt stop(Duration timeout) throws InterruptedException {
        if (this.process.isAlive()) {
            terminate();
        }
        boolean exited = this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            this.process.descendants().forEach(ProcessHandle::destroyForcibly);
            this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        this.reader.join(5_000);
        return exited ? OptionalInt.of(this.process.exitValue()) : OptionalInt.empty();
    }

    /** SIGTERM, 60 s, then SIGKILL of the process and what it started ({@link #stop}). */
    @Override
    public void close() throws InterruptedException {
        if (this.process.isAlive()) {
            stop(Duration.ofSeconds(60));
        }
    }
}
