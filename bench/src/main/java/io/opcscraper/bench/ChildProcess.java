package io.opcscraper.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A child JVM whose stdout and stderr (merged) go line by line to a file and to a listener, on a
 * daemon thread. {@link #stop} sends SIGTERM through the process handle and waits; SIGKILL only when that
 * times out. ({@link Process#destroy()} would also send SIGTERM, but it closes the output pipe at once, so the
 * lines a process prints while it stops, its summary among them, would be lost.)
 */
final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Thread pump;

    private ChildProcess(String name, Process process, Thread pump) {
        this.name = name;
        this.process = process;
        this.pump = pump;
    }

    static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path output,
                              Consumer<String> listener) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Files.createDirectories(output.getParent());
        Process process = builder.start();
        Thread pump = new Thread(() -> pump(process, output, listener), name + "-output");
        pump.setDaemon(true);
        pump.start();
        return new ChildProcess(name, process, pump);
    }

    private static void pump(Process process, Path output, Consumer<String> listener) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             BufferedWriter file = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                file.write(line);
                file.newLine();
                file.flush();
                listener.accept(line);
            }
        } catch (IOException e) {
            // the process went away; what it wrote is in the file
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGTERM, then waits up to {@code seconds} for the exit and for the output to be read to its end.
     *
     * @return the exit code, or -1 if it had to be killed
     */
    int stop(int seconds) throws InterruptedException {
        if (process.isAlive()) {
            process.toHandle().destroy();
        }
        int code;
        if (process.waitFor(seconds, TimeUnit.SECONDS)) {
            code = process.exitValue();
        } else {
            Say.line(name + " did not stop within " + seconds + " s after SIGTERM: killing it");
            process.toHandle().destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            code = -1;
        }
        pump.join(5_000);
        return code;
    }

    @Override
    public void close() {
        try {
            stop(30);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
