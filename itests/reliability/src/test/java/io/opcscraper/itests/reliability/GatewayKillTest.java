package io.opcscraper.itests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.opcscraper.itests.support.ChildProcess;
import io.opcscraper.itests.support.Gateway;
import io.opcscraper.itests.support.Ports;

/**
 * Fault 3: the gateway JVM killed with SIGKILL at 5 random moments while it writes, restarted each
 * time on the same work directory (its spool). Zero acknowledged samples lost, zero duplicated:
 * after the final orderly stop, the highest sequence number the spool ever gave (read from the
 * spool files: every acknowledged sample has one, starting at 1) equals the writer's progress
 * marker and the rows of the table, and no (nodeid, timestamp) appears twice.
 *
 * <p>The moments: after a random number (seeded; {@code -Dkill.seed=N} repeats a run) of 2 to 7
 * status lines that show samples written since the (re)start.
 *
 * <p>With {@code spool.mode = on-backlog} (the suite's second run) a kill loses what was only in
 * memory, at most the memory window's worth: the promise is no duplicate, everything that reached
 * the spool's disk or the database stored once, and the sequences that never committed (a lower
 * bound of the loss: a lost sequence may be handed out again) within the window per kill.
 * {@code WriterSpoolModeTest} counts that loss exactly with a writer of its own.
 */
class GatewayKillTest {

    private static final int KILLS = 5;
    private static final int TAGS = 1000;
    private static final int RATE_HZ = 2;
    private static final Pattern SPOOL_OPENED = Pattern
            .compile(".*spool .*: opened, \\d+ segment\\(s\\), \\d+ bytes, sequences (\\d+)\\.\\.(\\d+).*");

    @Test
    @Timeout(value = 480, unit = TimeUnit.SECONDS)
    void sigkillWhileWritingLosesAndDuplicatesNothingAcknowledged() throws Exception {
        long seed = Long.getLong("kill.seed", System.currentTimeMillis());
        System.out.println("[test] kill seed " + seed + " (-Dkill.seed=" + seed + " repeats the moments)");
        Random random = new Random(seed);
        String table = UaPipeline.unique("kill");
        Path work = UaPipeline.work(table);
        String writerId = null;
        long started = System.nanoTime();
        try (ChildProcess sim = UaPipeline.simulator(work, Ports.free(), TAGS, RATE_HZ, 1)) {
            Path config = UaPipeline.config(work, UaPipeline.endpoint(sim), table, 1000 / RATE_HZ);
            List<Long> onDiskAfterKill = new ArrayList<>();
            for (int kill = 1; kill <= KILLS; kill++) {
                Gateway gateway = Gateway.start(UaPipeline.REPO, work, config, UaPipeline.env());
                try {
                    gateway.awaitReady(Duration.ofSeconds(90));
                    if (!onDiskAfterKill.isEmpty()) {
                        long before = onDiskAfterKill.get(onDiskAfterKill.size() - 1);
                        gateway.process().await(": opened, ", Duration.ofSeconds(30));
                        Matcher opened = gateway.process().last(SPOOL_OPENED).orElseThrow();
                        assertTrue(Long.parseLong(opened.group(2)) >= before, "the spool reopened with sequences up to "
                                + opened.group(2) + " after holding " + before + " when killed: " + opened.group());
                    }
                    int statusLines = 2 + random.nextInt(4);
                    UaPipeline.awaitWritingStatusLines(gateway, statusLines);
                    gateway.process().kill();
                    long onDisk = KillSpool.lastSequence(UaPipeline.spoolDir(work));
                    onDiskAfterKill.add(onDisk);
                    System.out.println("[test] kill " + kill + " (SIGKILL) after " + statusLines
                            + " status lines with writes; the spool has given sequences up to " + onDisk);
                } finally {
                    gateway.close();
                }
            }
            writerId = UaPipeline.writerId(work);

            // The last start: replay what the kills left, then an orderly stop that drains the spool.
            Gateway gateway = Gateway.start(UaPipeline.REPO, work, config, UaPipeline.env());
            try {
                gateway.awaitReady(Duration.ofSeconds(90));
                UaPipeline.awaitWritingStatusLines(gateway, 3);
                gateway.process().terminate();
                assertEquals(0, gateway.process().exitCode(Duration.ofSeconds(60)), gateway.process().output());
            } finally {
                gateway.close();
            }
            Matcher summary = gateway.summary()
                    .orElseThrow(() -> new AssertionError("no summary line:\n" + gateway.process().output()));
            assertEquals("0", summary.group(3), "the spool was drained at the orderly stop: " + summary.group());
            assertEquals("0", summary.group(4), "nothing dropped: " + summary.group());
            assertEquals("0", summary.group(5), "nothing quarantined: " + summary.group());
            assertFalse(Files.exists(UaPipeline.spoolDir(work).resolve("quarantine.jsonl")), "no quarantine file");

            long marker = UaPipeline.marker(writerId);
            long rows = UaPipeline.rows(table);
            long duplicates = UaPipeline.duplicates(table);
            if (UaPipeline.onBacklog()) {
                long windowWorth = 2L * RATE_HZ * TAGS; // spool.memory.window.ms 2 s at TAGS x RATE_HZ
                assertEquals(0, duplicates, "rows beyond one per (nodeid, timestamp)");
                assertTrue(rows > 0 && rows <= marker, rows + " rows, marker " + marker);
                assertTrue(marker - rows <= KILLS * windowWorth, (marker - rows) + " sequences never committed in "
                        + KILLS + " kills, more than " + KILLS + " windows (" + windowWorth + " samples each)");
                System.out.println("RESULT gateway kill (on-backlog): " + KILLS + " kills, marker " + marker + ", "
                        + rows + " rows, " + (marker - rows) + " sequences never committed (at most "
                        + KILLS * windowWorth + "), " + duplicates + " duplicated (seed " + seed + ")");
                return;
            }
            long acknowledged = KillSpool.lastSequence(UaPipeline.spoolDir(work));
            for (long onDisk : onDiskAfterKill) {
                assertTrue(onDisk <= acknowledged, "sequence numbers went back: " + onDiskAfterKill + " then "
                        + acknowledged);
            }
            assertTrue(acknowledged > 0, "nothing acknowledged");
            assertEquals(acknowledged, marker, "the writer's progress marker after the final drain");
            assertEquals(0, duplicates, "rows beyond one per (nodeid, timestamp)");
            assertEquals(acknowledged, rows, "rows in " + table);
            System.out.println("RESULT gateway kill: " + KILLS + " kills, " + acknowledged + " acknowledged, " + rows
                    + " rows, " + (acknowledged - rows) + " lost, " + duplicates + " duplicated (seed " + seed
                    + ", " + (System.nanoTime() - started) / 1_000_000_000 + " s)");
        } finally {
            if (writerId == null && Files.exists(UaPipeline.spoolDir(work).resolve("writer-id"))) {
                writerId = UaPipeline.writerId(work);
            }
            UaPipeline.drop(table, writerId);
        }
    }
}
