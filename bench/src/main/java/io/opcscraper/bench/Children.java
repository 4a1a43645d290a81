package io.opcscraper.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;

import io.opcscraper.itests.support.ChildProcess;

/**
 * The bench's child JVMs (the simulator, the gateway) as itests-support's {@link ChildProcess}: started
 * in this JVM's working directory, their stdout and stderr (merged) line by line to a file and to a
 * listener; stopped with SIGTERM through the process handle, SIGKILL only when that times out (said
 * on the bench's output).
 */
final class Children {

    /** How long {@link #close} waits after SIGTERM. */
    private static final int CLOSE_SECONDS = 30;

    private Children() {
    }

    /** Starts {@code command}; {@code listener} gets each line on the thread that reads them. */
    static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path output,
                              Consumer<String> listener) throws IOException {
        Files.createDirectories(output.toAbsolutePath().getParent());
        return ChildProcess.start(name, Path.of("").toAbsolutePath(), environment, command, output, listener);
    }

    /**
     * SIGTERM, then waits up to {@code seconds} for the exit and for the output to be read to its end.
     *
     * @return the exit code, or -1 if it had to be killed
     */
    static int stop(ChildProcess child, String name, int seconds) throws InterruptedException {
        OptionalInt code = child.stop(Duration.ofSeconds(seconds));
        if (code.isEmpty()) {
            Say.line(name + " did not stop within " + seconds + " s after SIGTERM: killed it");
        }
        return code.orElse(-1);
    }

    /** {@link #stop} for a close: interrupted, it kills the child and keeps the interrupt. */
    static void close(ChildProcess child, String name) {
        try {
            stop(child, name, CLOSE_SECONDS);
        } catch (InterruptedException e) {
            try {
                child.kill();
            } catch (InterruptedException again) {
                // interrupted once more: the interrupt is kept below all the same
            }
            Thread.currentThread().interrupt();
        }
    }
}
