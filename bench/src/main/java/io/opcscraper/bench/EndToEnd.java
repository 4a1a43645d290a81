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
                  double changesPerSecond, Flash.Figures flash, Footprint footprint) {
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
        DbOutage outage = options.outageSeconds() > 0 ? DbOutage.start(db.settings()) : null;
        try {
            return measure(spec, simulator, table, clientId, dir, selection, spool, outage);
        } finally {
            if (outage != null) {
                outage.close();
            }
        }
    }

    /**
     * The gateway's JVM options: the run's, the ballast's agent, the GC log in {@code dir}; with {@code --jfr}, debug
     * information beyond the safepoints of compiled code, without which JFR charges a sample to the nearest place that
     * has it (a loop's back edge, a call) and loops look hotter than they are.
     */
    private List<String> gatewayJvm(Path dir) throws IOException {
        List<String> jvm = new ArrayList<>(options.gatewayJvm());
        if (options.jfr()) {
            jvm.add("-XX:+UnlockDiagnosticVMOptions");
            jvm.add("-XX:+DebugNonSafepoints");
        }
        if (options.ballastMb() > 0) {
            jvm.add(Ballast.option(options.work(), options.ballastMb()));
        }
        jvm.add(GcLog.option(dir.resolve("gateway-gc.log")));
        return jvm;
    }

    private Result measure(RunSpec spec, SimulatorProcess simulator, BenchTable table, String clientId, Path dir,
                           GatewayConfig.Selection selection, Path spool, DbOutage outage)
            throws IOException, SQLException, InterruptedException {
        Path config = dir.resolve("gateway-config.json");
        Files.writeString(config, GatewayConfig.json(spec, simulator.endpointUrl(),
            outage == null ? db.settings() : outage.settings(), table.name(), clientId, spool.toString(), selection),
            StandardCharsets.UTF_8);

        IdlePeer peer = options.idlePeer() ? IdlePeer.measure(artifacts, gatewayJvm(dir.resolve("idle-peer")),
            db.settings().password(), dir.resolve("idle-peer"), options.histogram()) : null;
        List<String> jvm = gatewayJvm(dir);
        if (options.nmt()) {
            jvm.add(NativeMemory.OPTION);
        }
        Say.line("gateway: starting (" + String.join(" ", jvm) + "), " + spec.mode() + " every "
            + spec.intervalMs() + " ms, table " + table.name() + (outage == null ? "" : ", database through "
            + outage.settings().url()) + "; output in " + dir.resolve("gateway.out"));
        GatewayProcess gateway = GatewayProcess.start(artifacts, jvm, config,
            db.settings().password(), dir);
        Path gcLog = dir.resolve("gateway-gc.log");
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
            int pausesBefore = GcLog.parse(GcLog.lines(gcLog)).size();
            Say.line("window: " + spec.seconds() + " s from " + from);

            if (outage != null) {
                long cut = windowStart + (spec.seconds() - options.outageSeconds()) * 1_000_000_000L / 2;
                pause(gateway, cut, "window");
                outage.cut();
                Say.line("database outage: the writer's connection cut for " + options.outageSeconds() + " s");
                pause(gateway, cut + options.outageSeconds() * 1_000_000_000L, "outage");
                outage.restore();
                Say.line("database outage: over (" + outage.refused() + " connection attempts refused)");
            }
            pause(gateway, windowEnd, "window");

            CpuSnapshot b = CpuSnapshot.take(gateway.pid(), simulator.pid(), Database.sessionPids(c, sessions));
            Flash.Io io = Flash.Io.of(gateway.pid()).minus(ioBefore);
            Flash.Result forces = strace == null ? null : strace.stop();
            int threads = Flash.threads(gateway.pid());
            GcLog.Figures gc = GcLog.figures(GcLog.parse(GcLog.lines(gcLog)), pausesBefore);
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
            String histogram = ClassHistogram.take(gateway.pid());
            HeapInfo live = Flash.liveHeap(gateway.pid(), histogram);
            Files.writeString(dir.resolve("gateway-live-heap.txt"), live.raw(), StandardCharsets.UTF_8);
            if (options.histogram()) {
                ClassHistogram.save(histogram, dir, "gateway");
            }
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
            Footprint footprint = new Footprint(gc, Footprint.gcCpu(cpu.gatewayThreads()), Footprint.jitCpu(cpu.gatewayThreads()),
                outOfMemoryErrors(dir.resolve("gateway.out")), options.ballastMb(), options.outageSeconds(),
                peer == null ? Double.NaN : peer.cpuPercent(), peer == null ? Double.NaN : peer.jitPercent());
            return new Result(from, to, cpu, rss.peakMb(), highWater, heap, summary,
                status == null ? -1 : status.spool(), gateway.skippedPolls(), gateway.readyLine(), dbBefore, dbAfter, growth, changes,
                flash, footprint);
        } finally {
            if (!stopped) {
                gateway.close();
            }
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

    /** Lines of the gateway's output that name an OutOfMemoryError. */
    private static long outOfMemoryErrors(Path output) throws IOException {
        try (var lines = Files.lines(output, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains("OutOfMemoryError")).count();
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
