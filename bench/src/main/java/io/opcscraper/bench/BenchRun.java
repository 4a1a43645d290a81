package io.opcscraper.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;


/**
 * One run, in order: the simulator starts; the table is provisioned like the writer does; raw bound A
 * (binary COPY into that table, then TRUNCATE); committed_at is added; raw bound B (Milo reads from that
 * simulator); the end-to-end measurement (gateway); then the stop of the simulator and the analysis of the
 * table: rows, loss, duplicates, latency. The table is dropped at the end unless kept.
 */
final class BenchRun {

    private final BenchOptions options;
    private final Artifacts artifacts;
    private final Database db;
    private final String machine;
    private final String database;

    BenchRun(BenchOptions options, Artifacts artifacts, Database db, String machine, String database) {
        this.options = options;
        this.artifacts = artifacts;
        this.db = db;
        this.machine = machine;
        this.database = database;
    }

    RunResult run(RunSpec spec) throws Exception {
        Instant started = Instant.now();
        String runId = Long.toString(started.toEpochMilli(), 36);
        Path dir = options.work().resolve(runId);
        Files.createDirectories(dir);
        BenchTable table = new BenchTable(db, "bench_" + runId);
        String clientId = "bench-" + runId;
        String load = Machine.load();
        Say.line("run " + runId + ": " + spec + " (load average " + load + "); files in " + dir);

        try (SimulatorProcess simulator = SimulatorProcess.start(artifacts.simulatorJar(), options.simulatorJvm(),
                spec.tags(), spec.rateHz(), dir, Duration.ofMinutes(3))) {
            Say.line("simulator: " + simulator.endpointUrl() + " (" + simulator.variables() + " variables)");
            String edition = table.provision();
            Say.line("table " + table.name() + " provisioned for " + edition + " like the writer does");

            double copyBound = Double.NaN;
            double miloBound = Double.NaN;
            int miloChunk = 0;
            CpuUsage copyCpu = null;
            CpuUsage miloCpu = null;
            Duration bound = Duration.ofSeconds(options.boundSeconds());
            if (options.boundsEnabled()) {
                CopyBound.Result copy = CopyBound.measure(db, table, spec.tags(), spec.rateHz(), simulator.pid(),
                    bound);
                copyBound = copy.rowsPerSecond();
                Say.line(String.format("bound A, binary COPY: %.0f rows/s (%d rows in %.1f s, batches of %d, %d in flight); "
                        + "CPU: postgres %.0f%% (COPY sessions %.0f%%), driver %.0f%%, machine %.0f%%, other processes %.0f%%",
                    copyBound, copy.rows(), copy.seconds(), CopyBound.BATCH_SIZE, CopyBound.IN_FLIGHT, copy.cpu().postgres(),
                    copy.cpu().postgresBenchSessions(), copy.cpu().driver(), copy.cpu().machine(), copy.cpu().other()));
                copyCpu = copy.cpu();
                Say.line("bound A, database " + copy.io());
            }
            table.truncate();
            table.addCommittedAt();
            if (options.boundsEnabled()) {
                MiloReadBound.Result milo = MiloReadBound.measure(simulator.endpointUrl(), spec.tags(),
                    options.miloChunk(), simulator.pid(), bound);
                miloBound = milo.valuesPerSecond();
                miloChunk = milo.chunk();
                Say.line(String.format("bound B, Milo reads: %.0f values/s (%d values in %.1f s, Reads of %d nodes, "
                        + "server MaxNodesPerRead %d, %d in flight); CPU: simulator %.0f%%, driver (the client) %.0f%%, "
                        + "machine %.0f%%, other processes %.0f%%", miloBound, milo.values(), milo.seconds(),
                    milo.chunk(), milo.serverMaxNodesPerRead(), MiloReadBound.READS_IN_FLIGHT, milo.cpu().simulator(),
                    milo.cpu().driver(), milo.cpu().machine(), milo.cpu().other()));
                miloCpu = milo.cpu();
            }
            // What the simulator served and produced before the gateway (the Milo bound included).
            SimulatorProcess.Stats before = simulator.statsAfter(Instant.now(), Duration.ofSeconds(30));

            EndToEnd.Result e2e = new EndToEnd(options, artifacts, db).measure(spec, simulator, table, clientId, dir);
            SimulatorProcess.Stats after = simulator.stop();
            Say.line("simulator: stopped, produced " + simulator.produced() + " changes");
            if (e2e.summary() == null) {
                throw new IllegalStateException("the gateway printed no summary; see " + dir.resolve("gateway.out"));
            }

            Say.line("analysing table " + table.name());
            BenchTable.Window window = table.window(e2e.windowStart(), e2e.windowEnd());
            long rows = table.count();
            BenchTable.Repeats repeats = table.repeats();
            long nodes = table.distinctNodes();
            long notGood = table.notGood();
            long unstamped = table.withoutCommittedAt();
            boolean intact = table.committedAtIntact();
            if (unstamped > 0 || !intact) {
                Say.line("WARNING: committed_at " + (intact ? "missing in " + unstamped + " rows" : "was changed"));
            }
            try (java.sql.Connection c = db.connect("stats")) {
                Say.line("window, database " + DbStats.perRow(e2e.dbBefore(), e2e.dbAfter(), window.rows()) + "; "
                    + DbStats.sizes(c, table.name()));
            }
            Say.line(String.format("table: %d rows, %d distinct nodes, %d not Good, %d repeated (nodeid, timestamp) "
                + "rows in %d groups", rows, nodes, notGood, repeats.extraRows(), repeats.groups()));

            Say.line("flash: " + e2e.flash().describe(e2e.windowSeconds(), window.rows(), spec.tags()));
            String gatewayJvm = String.join(" ", options.gatewayJvm());
            return new RunResult(runId, spec, started, machine, gatewayJvm.isEmpty() ? "defaults" : gatewayJvm, database,
                copyBound, miloBound, miloChunk, e2e.windowSeconds(), window.rows(), window.p50Seconds(),
                window.p99Seconds(), window.maxSeconds(), e2e.summary().read(), e2e.summary().written(), rows,
                repeats.extraRows(), nodes, notGood, after.served() - before.served(), after.changes() - before.changes(),
                e2e.cpu(), copyCpu, miloCpu, e2e.rssPeakMb(), e2e.rssHighWaterMb(), e2e.heap(), e2e.spoolAtEnd(),
                e2e.summary().spooled(), e2e.backlogGrowth(), e2e.changesPerSecond(), e2e.skippedPolls(), intact && unstamped == 0, load,
                e2e.flash(), e2e.footprint());
        } finally {
            if (!options.keepTable()) {
                try {
                    table.drop(clientId);
                } catch (Exception e) {
                    Say.line("could not drop " + table.name() + ": " + e);
                }
            } else {
                Say.line("table " + table.name() + " kept (--keep-table)");
            }
            EndToEnd.deleteTree(dir.resolve("spool"));
        }
    }
}
