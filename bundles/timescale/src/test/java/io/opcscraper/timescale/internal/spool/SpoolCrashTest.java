package io.opcscraper.timescale.internal.spool;

import static io.opcscraper.timescale.internal.spool.SpoolSamples.assertContiguous;
import static io.opcscraper.timescale.internal.spool.SpoolSamples.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 mid-stream: a child JVM appends batches and reports each acknowledgement; it is killed
 * with SIGKILL; every acknowledged sample must then be in the spool, intact, with contiguous
 * sequences, and the next run must go on from there. Three rounds on the same spool, with segments
 * small enough that the kills also land around rolls.
 */
class SpoolCrashTest {

    private static final int ROUNDS = 3;
    private static final int BATCH = 1000;
    private static final int ACKS_BEFORE_KILL = 40;
    private static final long MAX_BYTES = 32L << 20;
    private static final String EOF = "\u0000EOF";

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedSampleSurvivesKill9() throws Exception {
        Path spoolDir = this.dir.resolve("spool");
        long previous = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            Path stderr = this.dir.resolve("child-" + round + ".err");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    SpoolCrashChild.class.getName(), spoolDir.toString(), Long.toString(MAX_BYTES),
                    Integer.toString(BATCH)).redirectError(stderr.toFile()).start();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread pump = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the child is gone
                } finally {
                    lines.add(EOF);
                }
            }, "spool-crash-child-stdout");
            pump.setDaemon(true);
            pump.start();

            long acked = 0;
            int acks = 0;
            try {
                String open = next(lines, child, stderr);
                assertEquals("OPEN " + previous, open, "the child reopens where the last round's check left it");
                while (acks < ACKS_BEFORE_KILL) {
                    String line = next(lines, child, stderr);
                    assertTrue(line.startsWith("ACK "), line);
                    long last = Long.parseLong(line.substring(4));
                    assertEquals(acked == 0 ? previous + BATCH : acked + BATCH, last);
                    acked = last;
                    acks++;
                }
            } finally {
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not die");
            }
            // Acknowledgements printed between our last read and the kill count too.
            for (String line = lines.poll(30, TimeUnit.SECONDS); line != null && !EOF.equals(line);
                    line = lines.poll(30, TimeUnit.SECONDS)) {
                if (line.startsWith("ACK ")) {
                    acked = Long.parseLong(line.substring(4));
                }
            }

            try (Spool spool = Spool.open(spoolDir, MAX_BYTES)) {
                System.out.printf("spool crash round %d: killed after ack %d; reopened with sequences %d..%d, "
                        + "%d bytes%n", round, acked, spool.firstSequence(), spool.lastSequence(), spool.sizeBytes());
                assertEquals(0, spool.corruptRecords(), "a kill leaves at most a torn tail");
                assertEquals(1, spool.firstSequence());
                assertTrue(spool.lastSequence() >= acked, spool.lastSequence() + " < acknowledged " + acked);
                assertContiguous(readAll(spool, 0, 5000), 1, spool.lastSequence());
                previous = spool.lastSequence();
            }
        }
    }

    private static String next(BlockingQueue<String> lines, Process child, Path stderr) throws Exception {
        String line = lines.poll(60, TimeUnit.SECONDS);
        if (line == null || EOF.equals(line)) {
            String err = Files.exists(stderr) ? Files.readString(stderr) : "";
            fail("the child " + (line == null ? "said nothing for 60 s" : "ended (" + child.waitFor() + ")")
                    + "; its stderr:\n" + err);
        }
        return line;
    }
}
