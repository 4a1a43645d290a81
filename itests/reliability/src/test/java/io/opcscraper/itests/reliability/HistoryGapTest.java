package io.opcscraper.itests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.opcscraper.itests.support.ChildProcess;
import io.opcscraper.itests.support.DeploymentPackages;
import io.opcscraper.itests.support.Gateway;
import io.opcscraper.itests.support.Ports;
import io.opcscraper.itests.support.TcpProxy;

/**
 * Fault 9 of docs/reliability.md: no gap from the OPC UA side. The plant simulator program keeps 10 minutes of history of
 * its sensor variables (OPC UA Historical Access) and keeps running while the gateway loses it:
 * the TCP connection cut for 30 s (a proxy between them), the gateway SIGKILLed and started again
 * 20 s later, a {@code .dp} upgrade. Each time: every change of every variable that changes each
 * period (Temperature, Pressure, Count: 150 of the 200) from 3 s before the fault to 8 s after
 * live collection resumed is stored exactly once (what the server changed meanwhile came from its
 * history), no (nodeid, timestamp) twice in the whole table, live collection resumed within the
 * bound, and after the orderly stop rows = the writer's marker.
 */
class HistoryGapTest {

    private static final int TAGS = 200;
    private static final int EVERY_PERIOD_NODES = TAGS / 4 * 3;
    private static final int RATE_HZ = 2;
    private static final long PERIOD_MS = 1000 / RATE_HZ;
    private static final int HISTORY_S = 600;
    private static final Pattern FILLED = Pattern.compile(
            ".*history: filled ([\\d,]+) s on ([\\d,]+) nodes, ([\\d,]+) values in ([\\d.]+) s.*");

    @Test
    @Timeout(value = 360, unit = TimeUnit.SECONDS)
    void aConnectionCutFor30sIsFilledFromTheServersHistory() throws Exception {
        String table = UaPipeline.unique("gapcut");
        Path work = UaPipeline.work(table);
        String writerId = null;
        try (ChildProcess sim = UaPipeline.simulator(work, Ports.free(), TAGS, RATE_HZ, 1, HISTORY_S);
                TcpProxy proxy = TcpProxy.start("127.0.0.1", port(UaPipeline.endpoint(sim)))) {
            String endpoint = "opc.tcp://127.0.0.1:" + proxy.port() + "/plant";
            Path config = UaPipeline.config(work, endpoint, table, (int) PERIOD_MS, true);
            try (Gateway gateway = Gateway.start(UaPipeline.REPO, work, config, UaPipeline.env())) {
                gateway.awaitReady(Duration.ofSeconds(90));
                awaitCollecting(gateway, table, Duration.ofSeconds(10));
                writerId = UaPipeline.writerId(work);

                Instant cut = Instant.now();
                proxy.cutOff();
                hold(gateway, Duration.ofSeconds(30));
                proxy.restore();
                Instant restored = Instant.now();
                afterTheFault("connection cut 30 s", gateway, table, writerId, cut, restored, Duration.ofSeconds(45), 0);
            }
        } finally {
            UaPipeline.drop(table, writerId);
        }
    }

    @Test
    @Timeout(value = 360, unit = TimeUnit.SECONDS)
    void aGatewayKilledAndStartedAgain20sLaterFillsTheTimeItWasDown() throws Exception {
        String table = UaPipeline.unique("gapkill");
        Path work = UaPipeline.work(table);
        String writerId = null;
        try (ChildProcess sim = UaPipeline.simulator(work, Ports.free(), TAGS, RATE_HZ, 1, HISTORY_S)) {
            Path config = UaPipeline.config(work, UaPipeline.endpoint(sim), table, (int) PERIOD_MS);
            Instant killed;
            try (Gateway first = Gateway.start(UaPipeline.REPO, work, config, UaPipeline.env())) {
                first.awaitReady(Duration.ofSeconds(90));
                awaitCollecting(first, table, Duration.ofSeconds(10));
                writerId = UaPipeline.writerId(work);
                first.process().kill();
                killed = Instant.now();
            }
            Awaitility.await("20 s with the gateway down").atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> Duration.between(killed, Instant.now()).toMillis() >= 20_000);
            Instant restarted = Instant.now();
            try (Gateway second = Gateway.start(UaPipeline.REPO, work, config, UaPipeline.env())) {
                second.awaitReady(Duration.ofSeconds(90));
                afterTheFault("gateway SIGKILLed and started 20 s later", second, table, writerId, killed, restarted,
                        Duration.ofSeconds(60), killLoss());
            }
        } finally {
            UaPipeline.drop(table, writerId);
        }
    }

    @Test
    @Timeout(value = 360, unit = TimeUnit.SECONDS)
    void aDpUpgradeFillsThePauseOfCollection() throws Exception {
        String table = UaPipeline.unique("gapdp");
        Path work = UaPipeline.work(table);
        Path watch = work.resolve("dp-watch");
        String writerId = null;
        try (ChildProcess sim = UaPipeline.simulator(work, Ports.free(), TAGS, RATE_HZ, 1, HISTORY_S)) {
            Path config = UaPipeline.config(work, UaPipeline.endpoint(sim), table, (int) PERIOD_MS);
            Path current = UaPipeline.REPO.dp();
            String nextVersion = DeploymentPackages.next(DeploymentPackages.version(current));
            Path next = DeploymentPackages.bumped(current, work.resolve("opc-scraper_next.dp.part"));
            try (Gateway gateway = Gateway.start(UaPipeline.REPO, work, config, UaPipeline.env(),
                    "-Dopcscraper.dp.watch=" + watch)) {
                gateway.awaitReady(Duration.ofSeconds(90));
                gateway.process().await("Watching " + watch, Duration.ofSeconds(10));
                awaitCollecting(gateway, table, Duration.ofSeconds(10));
                writerId = UaPipeline.writerId(work);

                int outFrom = gateway.process().lines().size();
                Instant upgrade = Instant.now();
                Files.move(next, watch.resolve("opc-scraper_next.dp"), StandardCopyOption.ATOMIC_MOVE);
                gateway.process().await("Installed deployment package opc-scraper " + nextVersion,
                        Duration.ofSeconds(60));
                Instant installed = Instant.now();
                System.out.println("[test] the upgrade was installed " + Duration.between(upgrade, installed).toMillis()
                        + " ms after the file appeared");
                gateway.process().await("history: filled", Duration.ofSeconds(90));
                assertTrue(gateway.process().linesFrom(outFrom).stream().anyMatch(l -> FILLED.matcher(l).matches()),
                        "the gap of the upgrade was filled after it");
                afterTheFault(".dp upgrade", gateway, table, writerId, upgrade, installed, Duration.ofSeconds(45), 0);
            }
        } finally {
            UaPipeline.drop(table, writerId);
        }
    }

    // --- the scenario's steps ------------------------------------------------------------------

    /**
     * After a fault that began at {@code fault} and ended at {@code over}: live rows within
     * {@code bound}, the backfill's line, every period of [fault - 3 s, live again + 8 s] once, the
     * orderly stop's counts, and the RESULT line.
     */
    private static void afterTheFault(String what, Gateway gateway, String table, String writerId, Instant fault,
            Instant over, Duration bound, long lossBound) throws Exception {
        long resumedMs = awaitLiveAfter(gateway, table, over, bound);
        Instant until = over.plusMillis(resumedMs).plusSeconds(8);
        Matcher filled = awaitFilledAndEveryPeriodOnce(gateway, table, fault.minusSeconds(3), until);
        Counts counts = stop(gateway, table, writerId, lossBound);
        System.out.println("RESULT history gap, " + what + ": live again " + resumedMs / 1000.0 + " s after it ended; "
                + filled.group(0).replaceFirst(".*history: ", "") + "; every period of " + EVERY_PERIOD_NODES
                + " variables once from 3 s before it to 8 s after live again; " + counts);
    }

    private static int port(String endpoint) {
        Matcher m = Pattern.compile("opc\\.tcp://[^:/]+:(\\d+)/.*").matcher(endpoint);
        assertTrue(m.matches(), endpoint);
        return Integer.parseInt(m.group(1));
    }

    /** Every variable collected for {@code steady} of rows. */
    private static void awaitCollecting(Gateway gateway, String table, Duration steady) {
        Instant start = Instant.now();
        Awaitility.await("collecting every variable").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .failFast("the gateway exited", () -> !gateway.process().isAlive())
                .until(() -> UaPipeline.everyPeriodNodes(table, start, Instant.now()) == EVERY_PERIOD_NODES);
        Instant collecting = Instant.now();
        Awaitility.await("collecting for " + steady.toSeconds() + " s").atMost(steady.plusSeconds(30))
                .pollInterval(Duration.ofMillis(500)).failFast("the gateway exited", () -> !gateway.process().isAlive())
                .until(() -> UaPipeline.rowsAfter(table, collecting.plus(steady)) > 0);
    }

    /** Holds for {@code duration} by the clock, the gateway staying up. */
    private static void hold(Gateway gateway, Duration duration) {
        Instant start = Instant.now();
        Awaitility.await("a hold of " + duration.toSeconds() + " s").atMost(duration.plusSeconds(20))
                .pollInterval(Duration.ofMillis(200)).failFast("the gateway exited", () -> !gateway.process().isAlive())
                .until(() -> Duration.between(start, Instant.now()).compareTo(duration) >= 0);
    }

    /** Milliseconds from {@code since} until rows with source timestamps after it are in the table. */
    private static long awaitLiveAfter(Gateway gateway, String table, Instant since, Duration bound) {
        Awaitility.await("live collection within " + bound.toSeconds() + " s").atMost(bound)
                .pollInterval(Duration.ofMillis(250)).failFast("the gateway exited", () -> !gateway.process().isAlive())
                .until(() -> UaPipeline.rowsAfter(table, since) > 0);
        return Duration.between(since, Instant.now()).toMillis();
    }

    /**
     * Waits for the backfill's INFO line and until every period of [from, until] is in the table
     * exactly once for every variable that changes each period (the backfill and the writer run on
     * their own; a period stored twice never goes away).
     */
    private static Matcher awaitFilledAndEveryPeriodOnce(Gateway gateway, String table, Instant from, Instant until) {
        Matcher filled = Awaitility.await("the history backfill's line").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250)).failFast("the gateway exited", () -> !gateway.process().isAlive())
                .until(() -> gateway.process().last(FILLED).orElse(null), m -> m != null);
        Awaitility.await("rows after " + until).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> UaPipeline.rowsAfter(table, until.plusSeconds(2)) > 0);
        Awaitility.await("every period of [" + from + ", " + until + "] once").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertEquals(List.of(), UaPipeline.notEveryPeriodOnce(table, from, until, PERIOD_MS)
                        .stream().limit(5).toList()));
        try {
            assertEquals(EVERY_PERIOD_NODES, UaPipeline.everyPeriodNodes(table, from, until));
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        return filled;
    }

    /** What the database holds after the orderly stop. */
    private record Counts(long backfilled, long rows, long marker, long duplicates) {
        @Override
        public String toString() {
            return "backfilled=" + this.backfilled + ", rows=" + this.rows + ", marker " + this.marker
                    + (this.rows == this.marker ? "" : " (" + (this.marker - this.rows)
                            + " sequences in memory when the gateway was killed)") + ", "
                    + this.duplicates + " duplicated";
        }
    }

    /**
     * What a SIGKILL may leave uncommitted: nothing with {@code spool.mode = always} (every sample on
     * disk before it is acknowledged); with {@code on-backlog} at most the memory window
     * ({@code spool.memory.window.ms}, 2 s) of samples, whose values the backfill then reads again
     * from the server's history (the writer's last stored time is the database's).
     */
    private static long killLoss() {
        return UaPipeline.onBacklog() ? 2L * TAGS * RATE_HZ : 0;
    }

    /**
     * The orderly stop: spool drained, nothing dropped, rows = the writer's marker less at most
     * {@code lossBound} sequences a kill lost from memory ({@link #killLoss()}), no duplicate.
     */
    private static Counts stop(Gateway gateway, String table, String writerId, long lossBound) throws Exception {
        gateway.process().terminate();
        assertEquals(0, gateway.process().exitCode(Duration.ofSeconds(90)), "exit code of the orderly stop");
        Matcher summary = gateway.summary().orElseThrow(() -> new AssertionError(gateway.process().output()));
        assertEquals("0", summary.group(3), "the spool drained: " + summary.group());
        assertEquals("0", summary.group(4), "nothing dropped: " + summary.group());
        assertTrue(Long.parseLong(summary.group(6)) > 0, "values backfilled: " + summary.group());
        Counts counts = new Counts(Long.parseLong(summary.group(6)), UaPipeline.rows(table),
                UaPipeline.marker(writerId), UaPipeline.duplicates(table));
        assertEquals(0, counts.duplicates(), "rows beyond one per (nodeid, timestamp)");
        assertTrue(counts.rows() <= counts.marker() && counts.marker() - counts.rows() <= lossBound,
                "rows = the writer's marker less at most " + lossBound + " sequences a kill lost: " + counts);
        return counts;
    }
}
