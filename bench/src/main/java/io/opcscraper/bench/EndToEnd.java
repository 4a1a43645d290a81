package io.opcscraper.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The end-to-end measurement of one run: starts the gateway against the running simulator and the
 * prepared table, waits for the first stored row, warms up, then measures a window of {@code seconds}:
 * the database clock at both ends (rows are counted by committed_at later), CPU of every process
 * involved, the gateway's resident memory (sampled every second from its start) and, at the end of the
 * window, its heap. Then SIGTERM and the gateway's summary.
 */
final class EndToEnd {

    /** What the gateway did; the table is analysed afterwards. */
    record Result(OffsetDateTime windowStart, OffsetDateTime windowEnd, CpuUsage cpu, double rssPeakMb,
                  double rssHighWaterMb, HeapInfo heap, GatewayProcess.Summary summary, long spoolAtEnd,
                  long skippedPolls, String readyLine, DbStats dbBefore, DbStats dbAfter, double backlogGrowth,
                  double changesPerSecond, Flash.Figures flash) {
        double windowSeconds() {
            return Duration.between(windowStart, windowEnd).toNanos() / 1e9;
        }
    }

    private static final Duration FIRST_ROW_TIMEOUT = Duration.ofMinutes(5);
    private static final int STOP_TIMEOUT_S = GatewayProcess.FLUSH_SECONDS + 60;

    private final BenchOptions options;
    private final Artifacts artifacts;
    private final Database db;

    EndToEnd(BenchOptions options, Artifacts artifacts, Database db) {
        this.options = options;
        this.artifacts = artifacts;
        this.db = db;
    }

    Result measure(RunSpec spec, SimulatorProcess simulator, BenchTable table, String clientId, Path dir)
            throws IOException, SQLException, InterruptedException {
        return measure(spec, simulator, table, clientId, dir, GatewayConfig.PLANT_SENSORS);
    }

    /** @param selection what the gateway's discovery collects */
    Result measure(RunSpec spec, SimulatorProcess simulator, BenchTable table, String clientId, Path dir,
                   GatewayConfig.Selection selection) throws IOException, SQLException, InterruptedException {
        Path spool = dir.resolve("spool");
        deleteTree(spool);
        Path config = dir.resolve("gateway-config.json");
        Files.writeString(config, GatewayConfig.json(spec, simulator.endpointUrl(), db.settings(), table.name(), clientId,
            spool.toString(), selection), StandardCharsets.UTF_8);

        IdlePeer peer = options.idlePeer() ? idlePeer(dir.resolve("idle-peer")) : null;
        Say.line("gateway: starting (" + String.join(" ", options.gatewayJvm()) + "), " + spec.mode() + " every "
            + spec.intervalMs() + " ms, table " + table.name() + "; output in " + dir.resolve("gateway.out"));
        List<String> jvm = new ArrayList<>(options.gatewayJvm());
        if (options.nmt()) {
            jvm.add(NativeMemory.OPTION);
        }
        GatewayProcess gateway = GatewayProcess.start(artifacts, jvm, config,
            db.settings().password(), dir);
        boolean stopped = false;
        try (RssMonitor rss = new RssMonitor(gateway.pid()); Connection c = db.connect("monitor")) {
            long started = System.nanoTime();
            awaitFirstRow(gateway, table, c);
            Say.line(String.format("gateway: first rows stored %.1f s after its start (%s)",
                (System.nanoTime() - started) / 1e9, gateway.readyLine()));
            if (!table.committedAtIntact()) {
                throw new IllegalStateException("the writer's provisioning changed column committed_at of " + table.name());
            }
            pause(gateway, System.nanoTime() + options.warmupSeconds() * 1_000_000_000L, "warm-up");

            String sessions = "opc-scraper " + GatewayConfig.WRITER;
            Set<Long> backends = Database.sessionPids(c, sessions);
            Flash.SyscallCount strace = options.syscalls() ? Flash.SyscallCount.attach(gateway.pid(), dir) : null;
            Flash.Io ioBefore = Flash.Io.of(gateway.pid());
            long windowStart = System.nanoTime();
            long windowEnd = windowStart + spec.seconds() * 1_000_000_000L;
            DbStats dbBefore = DbStats.take(c);
            SimulatorProcess.Stats plantBefore = simulator.stats();
            OffsetDateTime from = Database.clock(c);
            CpuSnapshot a = CpuSnapshot.take(gateway.pid(), simulator.pid(), backends);
            FlightRecording gatewayJfr = options.jfr() ? FlightRecording.start(gateway.pid(), dir.resolve("gateway.jfr")) : null;
            FlightRecording simulatorJfr = options.jfr()
                ? FlightRecording.start(simulator.pid(), dir.resolve("simulator.jfr")) : null;
            Say.line("window: " + spec.seconds() + " s from " + from);

            pause(gateway, windowEnd, "window");

            CpuSnapshot b = CpuSnapshot.take(gateway.pid(), simulator.pid(), Database.sessionPids(c, sessions));
            Flash.Io io = Flash.Io.of(gateway.pid()).minus(ioBefore);
            Flash.Result forces = strace == null ? null : strace.stop();
            int threads = Flash.threads(gateway.pid());
            OffsetDateTime to = Database.clock(c);
            DbStats dbAfter = DbStats.take(c);
            SimulatorProcess.Stats plantAfter = simulator.stats();
            double changes = (plantAfter.changes() - plantBefore.changes())
                / Math.max(1e-3, Duration.between(plantBefore.time(), plantAfter.time()).toNanos() / 1e9);
            GatewayProcess.Status status = gateway.status();
            double growth = gateway.backlogGrowth(windowStart, System.nanoTime());
            double highWater = rss.highWaterMb();
            HeapInfo heap = HeapInfo.of(gateway.pid());
            Files.writeString(dir.resolve("gateway-heap.txt"), heap.raw(), StandardCharsets.UTF_8);
            HeapInfo live = Flash.liveHeap(gateway.pid());
            Files.writeString(dir.resolve("gateway-live-heap.txt"), live.raw(), StandardCharsets.UTF_8);
            Flash.Figures flash = new Flash.Figures(io, forces, live, threads, peer == null ? null : peer.heap(),
                peer == null ? 0 : peer.threads());
            if (options.nmt()) {
                String nmt = NativeMemory.of(gateway.pid());
                Files.writeString(dir.resolve("gateway-native-memory.txt"), nmt, StandardCharsets.UTF_8);
                Say.line("gateway memory (NMT, at the end of the window; resident " + Math.round(rss.lastMb()) + " MB): "
                    + NativeMemory.describe(nmt));
            }
            CpuUsage cpu = CpuUsage.between(a, b);
            Say.line("window: ended; CPU " + cpu.describe());
            if (gatewayJfr != null) {
                report(gatewayJfr.stop(), "gateway", dir);
                report(simulatorJfr.stop(), "simulator", dir);
            }

            Say.line("gateway: SIGTERM (orderly stop: OPC UA side, then the writer flushes its spool)");
            GatewayProcess.Summary summary = gateway.stop(STOP_TIMEOUT_S);
            stopped = true;
            Say.line("gateway: " + (summary == null ? "no summary" : summary));
            return new Result(from, to, cpu, rss.peakMb(), highWater, heap, summary,
                status == null ? -1 : status.spool(), gateway.skippedPolls(), gateway.readyLine(), dbBefore, dbAfter, growth, changes,
                flash);
        } finally {
            if (!stopped) {
                gateway.close();
            }
        }
    }

    /** The idle peer's live heap and threads. */
    record IdlePeer(HeapInfo heap, int threads) {
    }

    /**
     * The same runtime (launcher, Kura profile, our .dp installed and started) without instances: started, given
     * 10 s after its ready line to settle, then a full GC, its heap and threads, and an orderly stop.
     */
    private IdlePeer idlePeer(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path config = dir.resolve("gateway-config.json");
        Files.writeString(config, Flash.NO_INSTANCES, StandardCharsets.UTF_8);
        GatewayProcess peer = GatewayProcess.start(artifacts, options.gatewayJvm(), config, db.settings().password(), dir);
        try {
            long deadline = System.nanoTime() + FIRST_ROW_TIMEOUT.toNanos();
            while (peer.readyLine() == null) {
                if (!peer.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the idle peer did not get ready; see " + dir.resolve("gateway.out"));
                }
                Thread.sleep(200);
            }
            Thread.sleep(10_000);
            int threads = Flash.threads(peer.pid());
            HeapInfo heap = Flash.liveHeap(peer.pid());
            Files.writeString(dir.resolve("gateway-live-heap.txt"), heap.raw(), StandardCharsets.UTF_8);
            Say.line(String.format(java.util.Locale.ROOT, "idle peer (%s): live heap %.1f MB after a full GC, "
                + "metaspace %.1f MB, %d threads", peer.readyLine(), heap.usedMb(), heap.metaspaceUsedMb(), threads));
            return new IdlePeer(heap, threads);
        } finally {
            peer.close();
        }
    }

    private void awaitFirstRow(GatewayProcess gateway, BenchTable table, Connection c)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + FIRST_ROW_TIMEOUT.toNanos();
        long nextReport = System.nanoTime() + 10_000_000_000L;
        while (!table.hasRows(c)) {
            if (!gateway.isAlive()) {
                throw new IllegalStateException("the gateway exited before storing a row; see its output");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no row in " + table.name() + " within " + FIRST_ROW_TIMEOUT.toSeconds()
                    + " s of the gateway's start; last status: " + gateway.status());
            }
            if (System.nanoTime() > nextReport) {
                Say.line("gateway: waiting for the first row; " + describe(gateway.status()));
                nextReport += 10_000_000_000L;
            }
            Thread.sleep(200);
        }
    }

    /** Waits until {@code end} (System.nanoTime), printing the gateway's status every 10 s; fails if the gateway dies. */
    private static void pause(GatewayProcess gateway, long end, String what) throws InterruptedException {
        long nextReport = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            if (!gateway.isAlive()) {
                throw new IllegalStateException("the gateway exited during the " + what + "; see its output");
            }
            if (System.nanoTime() >= nextReport) {
                Say.line(what + ": " + describe(gateway.status()));
                nextReport += 10_000_000_000L;
            }
            Thread.sleep(Math.max(1, Math.min(500, (end - System.nanoTime()) / 1_000_000)));
        }
    }

    private static String describe(GatewayProcess.Status s) {
        return s == null ? "no status line yet" : String.format("nodes=%d read=%d/s written=%d/s spool=%d dropped=%d "
            + "backfilled=%d last_error=%s", s.nodes(), s.readPerSecond(), s.writtenPerSecond(), s.spool(), s.dropped(),
            s.backfilled(), s.lastError());
    }

    private static void report(Path recording, String who, Path dir) {
        if (recording == null) {
            Say.line("JFR: no recording of the " + who);
            return;
        }
        try {
            String summary = FlightRecording.summarize(recording, who);
            Files.writeString(dir.resolve(who + "-jfr.txt"), summary, StandardCharsets.UTF_8);
            Say.plain(summary);
        } catch (IOException e) {
            Say.line("JFR: cannot read " + recording + ": " + e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
