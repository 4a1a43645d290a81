package io.opcscraper.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import io.opcscraper.timescale.tooling.WriterTable;

/**
 * The history backfill benchmark (issue 11, {@code bench/run --backfill}): a simulator whose TAGS sensor variables
 * are historizing (history from before its start, {@code --history-backdated}); a gateway collects until every
 * variable has a row and the warm-up, and stops; its rows are moved back by the gap (whole seconds: the period
 * ticks stay ticks), so each variable's newest row is the gap old and the server's history holds what follows;
 * the gateway starts again with the same configuration and spool and fills the gap. Measured: the backfill's
 * values/s (rows of the gap over the time the database committed them; goal 50,000), the live latency p99 of
 * the rows committed meanwhile against the live p99 of a window of the same length after it (goal under 2 s),
 * the gap values expected against stored, and duplicates.
 */
final class BackfillRun {

    static final double GOAL_VALUES_PER_SECOND = 50_000;
    static final double GOAL_P99_SECONDS = 2;
    private static final Duration FIRST_ROWS_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration BACKFILL_TIMEOUT = Duration.ofMinutes(15);
    /**
     * The backfill is over when the gateway's backfilled count has not moved for this long and its "filled" lines (one at
     * the end of each round) account for that count, or for 12 times as long without such lines.
     */
    private static final long STABLE_NANOS = 5_000_000_000L;
    private static final int STOP_TIMEOUT_S = GatewayProcess.FLUSH_SECONDS + 60;

    /** Live rows (source timestamp at or after their variable's first live value) committed in a window. */
    record Live(long rows, double p50Seconds, double p99Seconds) {
    }

    record Result(String runId, RunSpec spec, int gapSeconds, String load, double meanGapSeconds, long backfilled,
                  long gapRows, double fillSeconds, double lineValuesPerSecond, double startToDoneSeconds,
                  long expected, long stored, long runningRows, long duplicates, long liveRepeats, Live during,
                  Live after, long read, long written, CpuUsage cpu, String poller) {

        double valuesPerSecond() {
            return gapRows / Math.max(1e-3, fillSeconds);
        }

        String line() {
            return String.format("bench backfill %s: %,d nodes x %s Hz %s (Poller %s), gap %d s (mean %.0f s): %,d values stored in"
                + " %.1f s = %,.0f values/s (/ 50,000 = %.2f; the gateway's lines %,.0f values/s; done %.1f s after its"
                + " start); gateway backfilled=%,d; nodes changing every period: %,d values expected, %,d stored;"
                + " Running %,d; duplicates %d (live reads repeated by polls %,d); live p99 during the backfill %.0f ms"
                + " (p50 %.0f, %,d rows), after %.0f ms (p50 %.0f, %,d rows): during / after = %.2f, during / 2 s = %.2f;"
                + " read %,d written %,d; CPU during the backfill: gateway %.0f %%,"
                + " simulator %.0f %%, postgres %.0f %%, machine %.0f %% of %d00 %%; load %s", runId, spec.tags(),
                spec.rateText(), spec.mode(), poller, gapSeconds, meanGapSeconds, gapRows, fillSeconds, valuesPerSecond(),
                valuesPerSecond() / GOAL_VALUES_PER_SECOND, lineValuesPerSecond, startToDoneSeconds, backfilled,
                expected, stored, runningRows, duplicates, liveRepeats, during.p99Seconds * 1000,
                during.p50Seconds * 1000, during.rows, after.p99Seconds * 1000, after.p50Seconds * 1000, after.rows,
                during.p99Seconds / after.p99Seconds, during.p99Seconds / GOAL_P99_SECONDS, read, written, cpu.gateway(), cpu.simulator(), cpu.postgres(),
                cpu.machine(), Machine.cores(), load);
        }

        static String markdownHeader() {
            return "| run | nodes | rate Hz | mode (Poller) | gap s | values stored | expected / stored (every-period nodes) | fill s"
                + " | values/s | / 50,000 | live p99 during ms | live p99 after ms | during / after | during / 2 s"
                + " | duplicates | CPU gateway / sim / postgres / machine % | load |" + System.lineSeparator()
                + "| --- | --: | --: | --- | --: | --: | --- | --: | --: | --: | --: | --: | --: | --: | --: | --- | --: |";
        }

        String markdownRow() {
            return String.format("| %s | %,d | %s | %s (%s) | %d | %,d | %,d / %,d | %.1f | %,.0f | %.2f | %.0f | %.0f | %.2f"
                + " | %.2f | %d | %.0f / %.0f / %.0f / %.0f | %s |", runId, spec.tags(), spec.rateText(), spec.mode(),
                poller, gapSeconds, gapRows, expected, stored, fillSeconds, valuesPerSecond(), valuesPerSecond() / GOAL_VALUES_PER_SECOND,
                during.p99Seconds * 1000, after.p99Seconds * 1000, during.p99Seconds / after.p99Seconds,
                during.p99Seconds / GOAL_P99_SECONDS, duplicates, cpu.gateway(), cpu.simulator(), cpu.postgres(),
                cpu.machine(), load);
        }
    }

    private final BenchOptions options;
    private final Artifacts artifacts;
    private final Database db;

    BackfillRun(BenchOptions options, Artifacts artifacts, Database db) {
        this.options = options;
        this.artifacts = artifacts;
        this.db = db;
    }

    Result run(RunSpec spec) throws Exception {
        Instant started = Instant.now();
        String runId = Long.toString(started.toEpochMilli(), 36);
        Path dir = Files.createDirectories(options.work().resolve(runId));
        String load = Machine.load();
        int gap = options.gapSeconds();
        // The history covers the gap, the first collection and both starts of the gateway, with room to spare.
        int history = gap + 600 + options.warmupSeconds();
        Say.line("run " + runId + ": backfill of " + gap + " s, " + spec + " (load average " + load + "); files in " + dir);
        BenchTable table = new BenchTable(db, "bench_" + runId + "_h");
        String clientId = "bench-" + runId + "-backfill";
        Path spool = dir.resolve("spool");
        try (SimulatorProcess simulator = SimulatorProcess.start(artifacts.simulatorJar(), options.simulatorJvm(),
                spec.tags(), 0, spec.rateHz(), history, dir, Duration.ofMinutes(3))) {
            Say.line("simulator: " + simulator.endpointUrl() + ", history of " + history + " s (backdated)");
            table.provision();
            table.addCommittedAt();
            Path config = dir.resolve("gateway-config.json");
            Files.writeString(config, GatewayConfig.json(spec, simulator.endpointUrl(), db.settings(), table.name(),
                clientId, spool.toString(), GatewayConfig.PLANT_SENSORS, options.poller()), StandardCharsets.UTF_8);

            GatewayProcess.Summary first = collect(spec, config, dir.resolve("collect"), table);
            Say.line("collect: " + first);
            long lastId = shift(table, gap);
            Say.line("moved " + table.count() + " rows back by " + gap + " s (ids up to " + lastId + ")");

            Result result = backfill(spec, config, dir.resolve("backfill"), table, lastId, runId, load, simulator.pid());
            simulator.stop();
            ResultsFile.appendRow(options.out().resolveSibling("backfill.md"), "OPC Scraper history backfill benchmark",
                Result.markdownHeader(), result.markdownRow());
            return result;
        } finally {
            if (!options.keepTable()) {
                table.drop(clientId);
            }
            EndToEnd.deleteTree(spool);
        }
    }

    /** The first collection: until every variable has a row, then the warm-up, then the orderly stop. */
    private GatewayProcess.Summary collect(RunSpec spec, Path config, Path dir, BenchTable table) throws Exception {
        Files.createDirectories(dir);
        try (GatewayProcess gateway = start(config, dir)) {
            until(gateway, System.nanoTime() + FIRST_ROWS_TIMEOUT.toNanos(), "every variable stored",
                () -> table.distinctNodes() >= spec.tags());
            long end = System.nanoTime() + options.warmupSeconds() * 1_000_000_000L;
            until(gateway, Long.MAX_VALUE, "warm-up", () -> System.nanoTime() >= end);
            return gateway.stop(STOP_TIMEOUT_S);
        }
    }

    /** Moves every row back by {@code gap} seconds (a hypertable: copied out, deleted, inserted again); the highest id. */
    private long shift(BenchTable table, int gap) throws SQLException {
        String t = WriterTable.quote(table.name());
        try (Connection c = db.connect("shift"); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("CREATE TEMP TABLE bench_shift ON COMMIT DROP AS SELECT * FROM " + t);
            s.execute("UPDATE bench_shift SET \"timestamp\" = \"timestamp\" - interval '" + gap + " seconds'");
            s.execute("DELETE FROM " + t);
            s.execute("INSERT INTO " + t + " OVERRIDING SYSTEM VALUE SELECT * FROM bench_shift");
            long lastId;
            try (ResultSet r = s.executeQuery("SELECT coalesce(max(id), 0) FROM " + t)) {
                r.next();
                lastId = r.getLong(1);
            }
            c.commit();
            return lastId;
        }
    }

    private Result backfill(RunSpec spec, Path config, Path dir, BenchTable table, long lastId, String runId,
                            String load, long simulatorPid) throws Exception {
        Files.createDirectories(dir);
        try (Connection c = db.connect("monitor")) {
            OffsetDateTime start = Database.clock(c);
            long t0 = System.nanoTime();
            try (GatewayProcess gateway = start(config, dir)) {
                long deadline = t0 + BACKFILL_TIMEOUT.toNanos();
                long backfilled = 0;
                long changed = System.nanoTime();
                long nextReport = changed + 10_000_000_000L;
                CpuSnapshot first = null;
                CpuSnapshot last = null;
                FlightRecording[] jfr = null;
                while (backfilled == 0 || System.nanoTime() - changed < STABLE_NANOS * (said(gateway, backfilled) ? 1 : 12)) {
                    check(gateway, deadline, "the backfill");
                    GatewayProcess.Status s = gateway.status();
                    if (s != null && s.backfilled() != backfilled) {
                        backfilled = s.backfilled();
                        changed = System.nanoTime();
                        last = CpuSnapshot.take(gateway.pid(), simulatorPid,
                            Database.sessionPids(c, "opc-scraper " + GatewayConfig.WRITER));
                        if (first == null) {
                            first = last;
                            jfr = options.jfr() ? new FlightRecording[] {FlightRecording.start(gateway.pid(),
                                dir.resolve("gateway.jfr")), FlightRecording.start(simulatorPid, dir.resolve("simulator.jfr"))}
                                : null;
                        }
                    }
                    if (System.nanoTime() > nextReport) {
                        Say.line("backfill: " + s);
                        nextReport += 10_000_000_000L;
                    }
                    Thread.sleep(200);
                }
                double startToDone = (changed - t0) / 1e9;
                Say.line(String.format("backfill: backfilled=%,d, done %.1f s after the gateway's start; %s", backfilled,
                    startToDone, gateway.filled()));
                CpuUsage cpu = CpuUsage.between(first, first != last ? last : CpuSnapshot.take(gateway.pid(),
                    simulatorPid, Database.sessionPids(c, "opc-scraper " + GatewayConfig.WRITER)));
                Say.line("backfill: CPU from the first to the last value backfilled: " + cpu.describe());
                if (jfr != null) {
                    for (int i = 0; i < 2; i++) {
                        String who = i == 0 ? "gateway" : "simulator";
                        Path recording = jfr[i].stop();
                        if (recording != null) {
                            String summary = FlightRecording.summarize(recording, who);
                            Files.writeString(dir.resolve(who + "-jfr.txt"), summary, StandardCharsets.UTF_8);
                            Say.plain(summary);
                        }
                    }
                }
                // The peer: live rows of a window as long as the backfill (at least 10 s, 5 s to spare) after it.
                OffsetDateTime peerUntil = Database.clock(c).plusNanos((long) ((5 + Math.max(10,
                    (last.nanos() - first.nanos()) / 1e9)) * 1e9));
                until(gateway, Long.MAX_VALUE, "the window after the backfill",
                    () -> !Database.clock(c).isBefore(peerUntil));
                OffsetDateTime stopping = Database.clock(c);
                GatewayProcess.Summary summary = gateway.stop(STOP_TIMEOUT_S);
                Say.line("backfill: " + summary);
                if (summary == null) {
                    throw new IllegalStateException("the gateway printed no summary; see " + dir.resolve("gateway.out"));
                }
                List<GatewayProcess.Filled> lines = gateway.filled();
                double lineRate = lines.stream().mapToLong(GatewayProcess.Filled::values).sum()
                    / Math.max(1e-3, lines.stream().mapToDouble(GatewayProcess.Filled::seconds).sum());
                Analysis a = new Analysis(c, WriterTable.quote(table.name()), lastId, start);
                OffsetDateTime peerEnd = a.fillEnd.plusNanos((long) (Math.max(10, a.fillSeconds()) * 1e9));
                return a.result(spec, runId, options.gapSeconds(), load, summary, lineRate, startToDone,
                    peerEnd.isBefore(stopping) ? peerEnd : stopping, cpu);
            }
        }
    }

    /**
     * The rows of the second start, told apart per variable: the last stored before it (l, the newest moved row), the
     * first live value (f, the oldest of its rows committed before the first row of the gap); the gap's rows are those
     * older than f (the gateway stores history only strictly between l and f), the live rows the others.
     */
    private final class Analysis {
        private final Connection c;
        private final String table;
        private final OffsetDateTime fillStart;
        private final OffsetDateTime fillEnd;
        private final long gapRows;
        private final long runningRows;

        Analysis(Connection c, String table, long lastId, OffsetDateTime start) throws SQLException {
            this.c = c;
            this.table = table;
            try (Statement s = c.createStatement()) {
                s.execute("SET work_mem = '256MB'");
                s.execute("DROP TABLE IF EXISTS bf_rows, bf_nodes");
                s.execute("CREATE TEMP TABLE bf_rows AS SELECT nodeid, \"timestamp\" AS t, committed_at AS c FROM "
                    + table + " WHERE id > " + lastId);
            }
            OffsetDateTime first;
            try (PreparedStatement p = c.prepareStatement("SELECT min(c) FROM bf_rows WHERE t < ?")) {
                p.setObject(1, start);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    first = r.getObject(1, OffsetDateTime.class);
                }
            }
            if (first == null) {
                throw new IllegalStateException("no row older than the gateway's second start: nothing backfilled");
            }
            try (PreparedStatement p = c.prepareStatement("CREATE TEMP TABLE bf_nodes AS SELECT l.nodeid, l.l,"
                + " coalesce(f.f, ?) AS f FROM (SELECT nodeid, max(\"timestamp\") AS l FROM " + table + " WHERE id <= "
                + lastId + " GROUP BY nodeid) l LEFT JOIN (SELECT nodeid, min(t) AS f FROM bf_rows WHERE c < ?"
                + " GROUP BY nodeid) f USING (nodeid)")) {
                p.setObject(1, first);
                p.setObject(2, first);
                p.execute();
            }
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*), min(r.c), max(r.c),"
                + " count(*) FILTER (WHERE nodeid LIKE '%/Running') FROM bf_rows r JOIN bf_nodes n USING (nodeid)"
                + " WHERE r.t < n.f")) {
                r.next();
                gapRows = r.getLong(1);
                fillStart = r.getObject(2, OffsetDateTime.class);
                fillEnd = r.getObject(3, OffsetDateTime.class);
                runningRows = r.getLong(4);
            }
        }

        double fillSeconds() {
            return Duration.between(fillStart, fillEnd).toNanos() / 1e9;
        }

        Result result(RunSpec spec, String runId, int gap, String load, GatewayProcess.Summary summary, double lineRate,
                      double startToDone, OffsetDateTime peerEnd, CpuUsage cpu) throws SQLException {
            double[] expected = numbers("SELECT coalesce(sum(round(extract(epoch FROM f - l) * " + spec.rateHz()
                + ") - 1), 0), coalesce(avg(extract(epoch FROM f - l)), 0) FROM bf_nodes WHERE nodeid NOT LIKE '%/Running'");
            double[] stored = numbers("SELECT count(DISTINCT (r.nodeid, r.t)) FROM bf_rows r JOIN bf_nodes n USING (nodeid)"
                + " WHERE r.t > n.l AND r.t < n.f AND nodeid NOT LIKE '%/Running'");
            // Duplicates of the gap: rows of (node, t) stored twice from the last stored value up to the first live one
            // (a gap row again at t = f is one committed after the gap's first row); repeats of live reads: the rest.
            double[] duplicates = numbers("SELECT (SELECT coalesce(sum(k - 1), 0) FROM (SELECT count(*) AS k FROM "
                + table + " s JOIN bf_nodes n USING (nodeid) WHERE s.\"timestamp\" >= n.l AND s.\"timestamp\" < n.f"
                + " GROUP BY s.nodeid, s.\"timestamp\" HAVING count(*) > 1) d), (SELECT count(*) FROM bf_rows r JOIN"
                + " bf_nodes n USING (nodeid) WHERE r.t = n.f AND r.c >= timestamptz '" + fillStart + "'), (SELECT"
                + " coalesce(sum(k - 1), 0) FROM (SELECT count(*) AS k FROM bf_rows r JOIN bf_nodes n USING (nodeid)"
                + " WHERE r.t >= n.f GROUP BY r.nodeid, r.t HAVING count(*) > 1) d)");
            return new Result(runId, spec, gap, load, expected[1], summary.backfilled(), gapRows, fillSeconds(), lineRate,
                startToDone, (long) expected[0], (long) stored[0], runningRows, (long) (duplicates[0] + duplicates[1]),
                (long) (duplicates[2] - duplicates[1]),
                live(fillStart, fillEnd), live(fillEnd, peerEnd), summary.read(), summary.written(), cpu,
                options.poller().isEmpty() ? "defaults" : options.poller().toString());
        }

        private Live live(OffsetDateTime from, OffsetDateTime to) throws SQLException {
            try (PreparedStatement p = c.prepareStatement("SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY d),"
                + " percentile_cont(0.99) WITHIN GROUP (ORDER BY d) FROM (SELECT extract(epoch FROM r.c - r.t)::float8 AS d"
                + " FROM bf_rows r JOIN bf_nodes n USING (nodeid) WHERE r.t >= n.f AND r.c > ? AND r.c <= ?) w")) {
                p.setObject(1, from);
                p.setObject(2, to);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    return new Live(r.getLong(1), r.getDouble(2), r.getDouble(3));
                }
            }
        }

        private double[] numbers(String sql) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
                r.next();
                double[] values = new double[r.getMetaData().getColumnCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = r.getDouble(i + 1);
                }
                return values;
            }
        }
    }

    private GatewayProcess start(Path config, Path dir) throws IOException {
        Say.line("gateway: starting (" + String.join(" ", options.gatewayJvm()) + "); output in " + dir.resolve("gateway.out"));
        return GatewayProcess.start(artifacts, options.gatewayJvm(), config, db.settings().password(), dir);
    }

    /** Whether the gateway's "filled" lines so far account for all it backfilled (its status count catches up). */
    private static boolean said(GatewayProcess gateway, long backfilled) {
        List<GatewayProcess.Filled> lines = gateway.filled();
        return !lines.isEmpty() && lines.stream().mapToLong(GatewayProcess.Filled::values).sum() <= backfilled;
    }

    private interface Condition {
        boolean met() throws Exception;
    }

    /** Waits (polling every 200 ms) until {@code done}; fails if the gateway dies or the deadline (nanoTime) passes. */
    private static void until(GatewayProcess gateway, long deadline, String what, Condition done) throws Exception {
        while (!done.met()) {
            check(gateway, deadline, what);
            Thread.sleep(200);
        }
    }

    private static void check(GatewayProcess gateway, long deadline, String what) {
        if (!gateway.isAlive()) {
            throw new IllegalStateException("the gateway exited during " + what + "; see its output");
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("timed out waiting for " + what + "; last status: " + gateway.status());
        }
    }
}
