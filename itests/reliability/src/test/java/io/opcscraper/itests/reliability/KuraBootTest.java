package io.opcscraper.itests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.opcscraper.itests.support.ChildProcess;
import io.opcscraper.itests.support.Ports;

/**
 * Fault 7: the gateway rebooted as a Kura 5.5 gateway boots, while it collects. The launcher runs
 * in its Kura boot mode ({@code opcscraper.kura.boot=true}, the framework storage at a known
 * place); the first boot records the {@code .dp} in Kura's packages folder and creates the four
 * instances from the configuration file (which writes snapshots). Then: an orderly stop that
 * leaves samples in the spool ({@code opcscraper.stop.flush.s=0}), the framework storage wiped,
 * and a second boot that installs the {@code .dp} from the packages folder in the background
 * while the instances are re-created from the latest snapshot with new {@code service.pid}
 * values (the configuration file named at the second boot does not exist).
 *
 * <p>Checked: every {@code service.pid} changed (the boot's own lines and the configurations the
 * web console lists) while {@code kura.service.pid} stayed; the writer reopened its spool under
 * the same writer id and wrote what it held; the Connection kept its client certificate (the same
 * files, no new certificate generated); the writer's password, encrypted in the snapshot, still
 * decrypts; and after the final drain: samples read by both boots = samples acknowledged = the
 * writer's progress marker = rows, none duplicated, none dropped.
 *
 * <p>Variant: the database is stopped before the stop and started only after the second boot:
 * the samples spooled before the boot survive it and drain with those of the second boot.
 */
class KuraBootTest {

    private static final int TAGS = 500;
    private static final String[] INSTANCES = { "opcua-connection", "opcua-discovery", "opcua-poller",
            UaPipeline.WRITER };
    private static final Pattern CREATED = Pattern.compile("^Instance created: \\S+ '([^']+)' as (\\S+) in \\d+ ms$");
    private static final Pattern RECREATED = Pattern
            .compile("^Instance re-created from snapshot_\\d+\\.xml: '([^']+)' as (\\S+)$");
    private static final Pattern SPOOL_OPENED = Pattern
            .compile(".*spool .*: opened, \\d+ segment\\(s\\), \\d+ bytes, sequences (\\d+)\\.\\.(\\d+).*");

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aKuraBootWhileCollectingKeepsNamesSpoolAndCertificateAndLosesNothing() throws Exception {
        run("kuraboot", false);
    }

    @Test
    @Timeout(value = 360, unit = TimeUnit.SECONDS)
    void theSpoolOfABootWithTheDatabaseUnreachableSurvivesTheBootAndDrains() throws Exception {
        run("kurabootdown", true);
    }

    private static void run(String prefix, boolean databaseDown) throws Exception {
        DbFixture db = databaseDown ? DbFixture.local() : null;
        String table = UaPipeline.unique(prefix);
        Path work = UaPipeline.work(table);
        Path storage = work.resolve("framework");
        Path packages = work.resolve("kura/data/packages");
        Path pki = work.resolve("kura/user/opc-scraper/pki/own");
        String writerId = null;
        boolean databaseStopped = false;
        try (ChildProcess sim = UaPipeline.simulator(work, Ports.free(), TAGS, 1, 1)) {
            Path config = UaPipeline.config(work, UaPipeline.endpoint(sim), table, 1000);
            KuraBootGateway first = KuraBootGateway.start(work, config, storage, false);
            PipelineFixture.Summary firstStop;
            Map<String, String> firstPids;
            try {
                first.awaitReady("1 of 1 deployment package(s) installed from " + packages + ", 4 of 4 instance(s) "
                        + "created from " + config + " (no snapshot yet)");
                firstPids = first.pids(CREATED);
                assertEquals(INSTANCES.length, firstPids.size(), first.output());
                first.awaitWritingStatusLines(3);
                writerId = UaPipeline.writerId(work);
                if (databaseDown) {
                    db.stop();
                    databaseStopped = true;
                    first.awaitStatus("samples spooled while the database is down", 1,
                            s -> s.spool() >= 2_000 && !s.ok());
                }
                firstStop = first.stop();
            } finally {
                first.close();
            }
            long onDisk = KillSpool.lastSequence(UaPipeline.spoolDir(work));
            long committed = databaseDown ? -1 : UaPipeline.marker(writerId);
            long spooledAtBoot = databaseDown ? firstStop.spooled() : onDisk - committed;
            assertEquals(0, firstStop.dropped(), firstStop.line());
            if (databaseDown) {
                assertTrue(firstStop.spooled() > 0, "samples left in the spool at the stop: " + firstStop.line());
            }
            byte[] keyStore = Files.readAllBytes(pki.resolve("client.p12"));
            byte[] certificate = Files.readAllBytes(pki.resolve("client.der"));

            assertTrue(Files.isDirectory(storage.resolve("org.eclipse.osgi")), "no framework state in " + storage);
            wipe(storage);

            String result;
            Instant secondStart = Instant.now();
            KuraBootGateway second = KuraBootGateway.start(work, work.resolve("not-read-at-a-kura-boot.json"), storage,
                    true);
            PipelineFixture.Summary secondStop;
            try {
                second.awaitReady("1 of 1 deployment package(s) installed from " + packages + ", 4 instance(s) "
                        + "re-created from snapshot_");
                Map<String, String> secondPids = second.pids(RECREATED);
                assertEquals(firstPids.keySet(), secondPids.keySet(), "the same kura.service.pid values");
                for (String name : INSTANCES) {
                    assertNotEquals(firstPids.get(name), secondPids.get(name), name + ": a new service.pid");
                }
                assertEquals(secondPids, second.servicePidsInConfigurationAdmin(), "what ConfigurationAdmin holds");
                second.process().await(": opened, ", Duration.ofSeconds(60));
                Matcher opened = second.process().last(SPOOL_OPENED).orElseThrow();
                assertTrue(Long.parseLong(opened.group(2)) >= onDisk, "the writer reopened its spool with sequences "
                        + "up to " + onDisk + ": " + opened.group());
                assertEquals(writerId, UaPipeline.writerId(work), "the writer id");
                assertFalse(second.process().has("Generated the client application certificate"), second.output());
                long collectingMs = second.awaitCollecting();
                if (databaseDown) {
                    second.awaitStatus("more samples spooled after the boot, the database still down", 1,
                            s -> s.spool() > firstStop.spooled() + TAGS && !s.ok());
                    DbFixture.assertStillDown();
                    db.start();
                    databaseStopped = false;
                }
                String id = writerId;
                Awaitility.await("the samples spooled before the boot (up to sequence " + onDisk + ") committed")
                        .atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                        .failFast("the gateway exited", () -> !second.process().isAlive())
                        .until(() -> UaPipeline.marker(id) >= onDisk);
                Awaitility.await("rows of what the second boot read").atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500))
                        .failFast("the gateway exited", () -> !second.process().isAlive())
                        .until(() -> UaPipeline.rowsAfter(table, secondStart) >= TAGS);
                second.awaitStatus("no error", 1, PipelineFixture.Status::ok);
                secondStop = second.stop();
                result = "ready " + second.readyMillis() + " ms and collecting " + collectingMs + " ms after the start";
            } finally {
                second.close();
            }
            assertTrue(secondStop.read() > 0, "the second boot collected: " + secondStop.line());
            assertTrue(java.util.Arrays.equals(keyStore, Files.readAllBytes(pki.resolve("client.p12")))
                    && java.util.Arrays.equals(certificate, Files.readAllBytes(pki.resolve("client.der"))),
                    "the Connection's client key store or certificate changed");
            assertFalse(Files.readString(work.resolve("kura55.log")).contains("does not decrypt"),
                    "a snapshot password did not decrypt after the boot");

            assertEquals(0, secondStop.spooled(), "the spool drained at the final stop: " + secondStop.line());
            assertEquals(0, secondStop.dropped(), secondStop.line());
            assertEquals(0, firstStop.quarantined() + secondStop.quarantined(), "nothing quarantined");
            long acknowledged = KillSpool.lastSequence(UaPipeline.spoolDir(work));
            long marker = UaPipeline.marker(writerId);
            long rows = UaPipeline.rows(table);
            long duplicates = UaPipeline.duplicates(table);
            String counts = firstStop.line() + " | " + secondStop.line() + " | acknowledged=" + acknowledged
                    + " marker=" + marker + " rows=" + rows + " duplicates=" + duplicates;
            assertEquals(firstStop.read() + secondStop.read(), acknowledged, "samples read by both boots: " + counts);
            assertEquals(acknowledged, marker, "the writer's marker: " + counts);
            assertEquals(acknowledged, rows, "rows in " + table + ": " + counts);
            assertEquals(0, duplicates, counts);
            System.out.println("RESULT kura boot" + (databaseDown ? " (database down across the boot)" : "") + ": "
                    + INSTANCES.length + " instances re-created with new service.pid values, kura.service.pid kept; "
                    + "writer id kept; " + spooledAtBoot + " samples in the spool at the boot, written after it; "
                    + "client certificate kept; " + result + "; "
                    + acknowledged + " acknowledged = marker = rows, 0 lost, " + duplicates + " duplicated");
        } finally {
            if (databaseStopped) {
                db.start();
            }
            UaPipeline.drop(table, writerId);
        }
    }

    /** Deletes the framework storage, as a Kura boot's {@code osgi.clean=true} does. */
    private static void wipe(Path storage) throws java.io.IOException {
        try (var files = Files.walk(storage)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        assertFalse(Files.exists(storage));
    }
}
