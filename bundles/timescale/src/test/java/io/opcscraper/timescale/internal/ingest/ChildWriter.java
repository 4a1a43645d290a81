package io.opcscraper.timescale.internal.ingest;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.opcscraper.timescale.TestDatabase;

/**
 * A writer in a child JVM ({@link WriterChild}) that the test can SIGKILL, its output read by a
 * daemon thread: the last index it tried to hand to {@code accept()} and the last it acknowledged.
 */
final class ChildWriter implements AutoCloseable {

    static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    private final int number;
    private final long first;
    private final Process process;
    private final Path stderr;
    private final Thread pump;
    private long lastAck;
    private long lastTry;
    private String failure;
    private boolean ended;
    private volatile boolean killOnTry;
    private volatile boolean killOnAck;

    private ChildWriter(int number, long first, Process process, Path stderr) {
        this.number = number;
        this.first = first;
        this.process = process;
        this.stderr = stderr;
        this.lastAck = first - 1;
        this.lastTry = first - 1;
        this.pump = new Thread(this::readOutput, "writer-child-" + number);
        this.pump.setDaemon(true);
        this.pump.start();
    }

    /**
     * Starts child number {@code number} writing samples from {@code firstIndex} at {@code rate} per
     * second into {@code table} through {@code jdbcUrl}, spooling in {@code spool}; its stderr goes
     * to {@code logs}. The credentials travel in the environment, not on a command line others can
     * read.
     */
    static ChildWriter start(int number, String table, Path spool, String jdbcUrl, long firstIndex, long rate,
            Path logs, TestDatabase db) throws IOException {
        return start(number, table, spool, jdbcUrl, firstIndex, rate, "always", logs, db);
    }

    /** As above, the writer's spool in {@code spoolMode}. */
    static ChildWriter start(int number, String table, Path spool, String jdbcUrl, long firstIndex, long rate,
            String spoolMode, Path logs, TestDatabase db) throws IOException {
        Files.createDirectories(logs);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stderr = logs.resolve(table + "-child-" + number + ".err");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                WriterChild.class.getName(), table, spool.toString(), jdbcUrl, Long.toString(firstIndex),
                Long.toString(rate), spoolMode)
                .redirectError(stderr.toFile());
        builder.environment().put(TestDatabase.ENV_USER, db.user());
        builder.environment().put(TestDatabase.ENV_PASSWORD, db.password());
        return new ChildWriter(number, firstIndex, builder.start(), stderr);
    }

    long first() {
        return this.first;
    }

    /** Kills it if it still runs (clean-up). */
    @Override
    public void close() throws InterruptedException {
        this.process.destroyForcibly();
        this.process.waitFor(30, TimeUnit.SECONDS);
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (this) {
                    if (line.startsWith("ACK ")) {
                        this.lastAck = Long.parseLong(line.substring(4));
                        if (this.killOnAck) {
                            // accept() has just returned that batch: kill it before it can go further.
                            this.process.destroyForcibly();
                        }
                    } else if (line.startsWith("TRY ")) {
                        this.lastTry = Long.parseLong(line.substring(4));
                        if (this.killOnTry) {
                            // The child is now handing that batch to accept(): kill it there.
                            this.process.destroyForcibly();
                        }
                    } else if (line.startsWith("FAIL ")) {
                        this.failure = line;
                    }
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the child is gone
        } finally {
            synchronized (this) {
                this.ended = true;
                notifyAll();
            }
        }
    }

    synchronized long lastAck() {
        return this.lastAck;
    }

    synchronized long lastTry() {
        return this.lastTry;
    }

    /** Waits until index is acknowledged; fails if the child ends or says nothing new for too long. */
    synchronized void awaitAck(long index) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + CHILD_TIMEOUT.toNanos();
        while (this.lastAck < index) {
            if (this.failure != null || this.ended) {
                fail("child " + this.number + " ended before acknowledging " + index + " (last "
                        + this.lastAck + "): " + (this.failure != null ? this.failure : "exit") + "; stderr:\n"
                        + stderrTail());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("child " + this.number + " did not acknowledge " + index + " within " + CHILD_TIMEOUT
                        + " (last " + this.lastAck + "); stderr:\n" + stderrTail());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /**
     * SIGKILL as soon as the child announces its next batch (so, most likely, while accept()
     * writes it to the spool), then reads what it printed before it died.
     */
    void kill() throws InterruptedException {
        this.killOnTry = true;
        awaitDeath();
    }

    /** SIGKILL as soon as the child says accept() returned its next batch, then reads what it printed. */
    void killAfterAck() throws InterruptedException {
        this.killOnAck = true;
        awaitDeath();
    }

    private void awaitDeath() throws InterruptedException {
        if (!this.process.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            this.process.destroyForcibly();
        }
        assertTrue(this.process.waitFor(30, TimeUnit.SECONDS), "child " + this.number + " did not die");
        this.pump.join(30_000);
        synchronized (this) {
            assertTrue(this.ended, "child " + this.number + "'s output did not end");
        }
    }

    private String stderrTail() throws IOException {
        String text = Files.exists(this.stderr) ? Files.readString(this.stderr) : "";
        return text.length() > 4000 ? "..." + text.substring(text.length() - 4000) : text;
    }
}
