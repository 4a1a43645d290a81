package io.opcscraper.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The JDK this bench runs on: its {@code java} and {@code jcmd} commands, and running {@code jcmd}. */
final class Jvm {

    private Jvm() {
    }

    static String javaCommand() {
        return tool("java");
    }

    /** The JDK tool next to the running java (java.home/bin), else from the PATH. */
    static String tool(String name) {
        Path candidate = Path.of(System.getProperty("java.home"), "bin", name);
        return Files.isExecutable(candidate) ? candidate.toString() : name;
    }

    /** {@code java.vm.name java.runtime.version}, e.g. "OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1". */
    static String description() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    }

    /** Runs {@code jcmd PID ARGS...} and returns its output (empty when it fails). */
    static String jcmd(long pid, String... args) {
        List<String> command = new ArrayList<>();
        command.add(tool("jcmd"));
        command.add(Long.toString(pid));
        command.addAll(List.of(args));
        return run(command, 60);
    }

    /** Runs a command, merged output, at most {@code seconds}; the output, or "" when it fails. */
    static String run(List<String> command, int seconds) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output;
            try (InputStream in = process.getInputStream()) {
                output = in.readAllBytes();
            }
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "";
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
