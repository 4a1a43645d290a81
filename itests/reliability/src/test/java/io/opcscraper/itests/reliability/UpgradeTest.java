package io.opcscraper.itests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.opcscraper.itests.support.ChildProcess;
import io.opcscraper.itests.support.DeploymentPackages;
import io.opcscraper.itests.support.Gateway;
import io.opcscraper.itests.support.Ports;

/**
 * Fault 4: a higher version of the .dp installed into the running gateway while it collects (the
 * launcher's {@code opcscraper.dp.watch} directory: DeploymentAdmin, as Kura's Packages, Install
 * does). Zero lost (after the orderly stop: the spool's last sequence == the writer's marker ==
 * rows, none duplicated), the configuration kept (every component logs the same
 * {@code Configured: ...} values after the upgrade as before it; the same writer id, so the same
 * spool), and the largest gap between consecutive source timestamps of one variable around the
 * upgrade at most 10 s.
 */
class UpgradeTest {

    private static final int TAGS = 500;
    private static final long MAX_GAP_MS = 10_000;
    private static final Pattern CONFIGURED = Pattern.compile(".* - (Configured: \\w+Options\\[.*\\])$");

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void upgradeWhileCollectingLosesNothingKeepsTheConfigurationAndPausesBriefly() throws Exception {
        String table = UaPipeline.unique("upgrade");
        Path work = UaPipeline.work(table);
        Path watch = work.resolve("dp-watch");
        String writerId = null;
        try (ChildProcess sim = UaPipeline.simulator(work, Ports.free(), TAGS, 1, 1)) {
            Path config = UaPipeline.config(work, UaPipeline.endpoint(sim), table, 1000);
            Path current = UaPipeline.REPO.dp();
            String nextVersion = DeploymentPackages.next(DeploymentPackages.version(current));
            Path next = DeploymentPackages.bumped(current, work.resolve("opc-scraper_next.dp.part"));
            try (Gateway gateway = Gateway.start(UaPipeline.REPO, work, config, UaPipeline.env(),
                    "-Dopcscraper.dp.watch=" + watch)) {
                ChildProcess out = gateway.process();
                gateway.awaitReady(Duration.ofSeconds(90));
                out.await("Watching " + watch, Duration.ofSeconds(10));
                Awaitility.await("collecting before the upgrade").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200)).failFast(() -> !out.isAlive())
                        .until(() -> UaPipeline.lastCatalog(out) >= 1 && UaPipeline.rows(table) > 0
                                && configured(out.lines()).size() == 4);
                // A few seconds of rows before the upgrade, so that the gap is measured across it.
                Instant firstRows = Instant.now();
                Awaitility.await("rows 5 s after collection started").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> UaPipeline.rowsAfter(table, firstRows.plusSeconds(5)) > 0);
                writerId = UaPipeline.writerId(work);
                Set<String> configuredBefore = configured(out.lines());

                int outFrom = out.lines().size();
                Instant upgrade = Instant.now();
                Files.move(next, watch.resolve("opc-scraper_next.dp"), StandardCopyOption.ATOMIC_MOVE);
                String installed = "Installed deployment package opc-scraper " + nextVersion;
                out.await(installed, Duration.ofSeconds(60));
                Instant installedAt = Instant.now();
                System.out.println("[test] upgrade to " + nextVersion + " installed "
                        + Duration.between(upgrade, installedAt).toMillis() + " ms after the file appeared");
                Awaitility.await("rows 10 s after the install").atMost(Duration.ofSeconds(45))
                        .pollInterval(Duration.ofMillis(250)).failFast(() -> !out.isAlive())
                        .until(() -> UaPipeline.rowsAfter(table, installedAt.plusSeconds(10)) > 0);
                Set<String> configuredAfter = configured(out.linesFrom(outFrom));
                assertEquals(configuredBefore, configuredAfter, "the components' configuration after the upgrade");
                assertEquals(writerId, UaPipeline.writerId(work), "the writer id (its spool) after the upgrade");
                assertTrue(Files.exists(watch.resolve("opc-scraper_next.dp.installed")), "the file marked installed");

                long gapMs = UaPipeline.largestGapMillis(table, upgrade.minusSeconds(5), installedAt.plusSeconds(10));
                assertTrue(gapMs <= MAX_GAP_MS, "largest gap between source timestamps of one variable around the "
                        + "upgrade: " + gapMs + " ms");

                out.terminate();
                assertEquals(0, out.exitCode(Duration.ofSeconds(60)), out.output());
                Matcher summary = gateway.summary().orElseThrow(() -> new AssertionError(out.output()));
                assertEquals("0", summary.group(3), "the spool drained: " + summary.group());
                assertEquals("0", summary.group(4), "nothing dropped: " + summary.group());

                assertFalse(Files.exists(UaPipeline.spoolDir(work).resolve("quarantine.jsonl")), "no quarantine file");
                long acknowledged = KillSpool.lastSequence(UaPipeline.spoolDir(work));
                long marker = UaPipeline.marker(writerId);
                long rows = UaPipeline.rows(table);
                long duplicates = UaPipeline.duplicates(table);
                assertEquals(acknowledged, marker, "the writer's marker == the spool's last sequence");
                assertEquals(0, duplicates, "rows beyond one per (nodeid, timestamp)");
                assertEquals(acknowledged, rows, "rows in " + table);
                System.out.println("RESULT dp upgrade: gap " + String.format("%.1f", gapMs / 1000.0) + " s, "
                        + (acknowledged - rows) + " lost, configuration kept (" + acknowledged + " acknowledged, "
                        + rows + " rows, upgrade to " + nextVersion + ")");
            }
        } finally {
            UaPipeline.drop(table, writerId);
        }
    }

    /** The distinct {@code Configured: XOptions[...]} messages among {@code lines}. */
    private static Set<String> configured(List<String> lines) {
        return lines.stream().map(CONFIGURED::matcher).filter(Matcher::matches).map(m -> m.group(1))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
