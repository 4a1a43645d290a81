package io.opcscraper.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.opcscraper.timescale.tooling.WriterTable;

/**
 * One fleet run ({@code bench/run --gateways N}): one plant simulator, N gateway processes, each with its
 * own directory (Kura home, spool) and identity (an emulated network card: the Connection's default client
 * id {@code <MAC>/bench-connection}, as a fleet set up from one template gets), all writing into one table of
 * one database. Measures, over the window: committed rows/s per gateway (by clientid) and in total, by the
 * rows' {@code committed_at}; CPU of PostgreSQL (and of its sessions of the gateways' writers), of the gateways
 * together, of the simulator and of the machine; PostgreSQL's CPU per committed row. After the orderly stop of
 * every gateway: per clientid, rows = what that gateway read (exactness).
 */
final class FleetRun {

    private final BenchOptions options;
    private final Artifacts artifacts;
    private final Database db;

    FleetRun(BenchOptions options, Artifacts artifacts, Database db) {
        this.options = options;
        this.artifacts = artifacts;
        this.db = db;
    }

    static String mac(int k) {
        return String.format("02:00:00:00:15:%02X", k);
    }

    FleetResult run(int gateways, RunSpec spec) throws Exception {
        String runId = Long.toString(Instant.now().toEpochMilli(), 36);
        Path dir = options.work().resolve("fleet-" + runId);
        Files.createDirectories(dir);
        BenchTable table = new BenchTable(db, "fleet_" + runId);
        List<String> clients = new ArrayList<>();
        for (int k = 1; k <= gateways; k++) {
            clients.add(mac(k) + "/" + GatewayConfig.CONNECTION);
        }
        Say.line("fleet " + runId + ": " + gateways + " gateway(s), each " + spec + " (load average " + Machine.load()
            + "); files in " + dir);
        List<GatewayProcess> started = new ArrayList<>();
        try (SimulatorProcess simulator = SimulatorProcess.start(artifacts.simulatorJar(), options.simulatorJvm(),
                spec.tags(), spec.rateHz(), dir, Duration.ofMinutes(3))) {
            Say.line("simulator: " + simulator.endpointUrl() + " (" + simulator.variables() + " variables)");
            Say.line("table " + table.name() + " provisioned for " + table.provision());
            table.addCommittedAt();
            for (int k = 1; k <= gateways; k++) {
                Path gw = dir.resolve("gateway-" + k);
                Files.createDirectories(gw);
                Path config = gw.resolve("gateway-config.json");
                Files.writeString(config, GatewayConfig.json(spec, simulator.endpointUrl(), db.settings(), table.name(),
                    null, gw.resolve("spool").toString()));
                List<String> jvm = new ArrayList<>(options.gatewayJvm());
                // Its own Kura home (PKI, as on a gateway), log and network card.
                jvm.add("-Dkura.home=" + gw.resolve("kura"));
                jvm.add("-Dkura55.log.dir=" + gw);
                jvm.add("-Dopcscraper.emulator.mac=" + mac(k));
                started.add(GatewayProcess.start(artifacts, jvm, config, db.settings().password(), gw));
            }
            try (Connection c = db.connect("fleet-monitor")) {
                awaitEveryClient(c, table, clients, started);
                Say.line("fleet: every gateway stores rows; warm-up " + options.warmupSeconds() + " s");
                hold(started, options.warmupSeconds());
                String sessions = "opc-scraper " + GatewayConfig.WRITER;
                OffsetDateTime from = Database.clock(c);
                CpuSnapshot a = CpuSnapshot.take(-1, simulator.pid(), Database.sessionPids(c, sessions));
                long gatewaysA = gatewayTicks(started);
                hold(started, spec.seconds());
                CpuSnapshot b = CpuSnapshot.take(-1, simulator.pid(), Database.sessionPids(c, sessions));
                long gatewaysB = gatewayTicks(started);
                OffsetDateTime to = Database.clock(c);
                CpuUsage cpu = CpuUsage.between(a, b);
                double gatewaysCpu = (gatewaysB - gatewaysA) * 100.0 / ProcFs.CLOCK_TICKS / cpu.seconds();
                Say.line("fleet window: CPU " + cpu.describe() + System.lineSeparator() + "  gateways together: "
                    + Math.round(gatewaysCpu) + "%");

                List<GatewayProcess.Summary> summaries = new ArrayList<>();
                for (GatewayProcess g : started) {
                    summaries.add(g.stop(GatewayProcess.FLUSH_SECONDS)); // SIGTERM: the orderly stop
                }
                started.clear();
                Map<String, Long> window = rowsPerClient(c, table, from, to);
                Map<String, Long> all = rowsPerClient(c, table, null, null);
                double seconds = Duration.between(from, to).toNanos() / 1e9;
                List<FleetResult.Gateway> perGateway = new ArrayList<>();
                for (int k = 0; k < gateways; k++) {
                    GatewayProcess.Summary s = summaries.get(k);
                    String client = clients.get(k);
                    perGateway.add(new FleetResult.Gateway(client, window.getOrDefault(client, 0L) / seconds,
                        s == null ? -1 : s.read(), all.getOrDefault(client, 0L)));
                }
                return new FleetResult(runId, gateways, spec, seconds, perGateway, cpu, gatewaysCpu);
            }
        } finally {
            for (GatewayProcess g : started) {
                g.close();
            }
            try {
                table.drop(null);
                forget(table, clients);
            } catch (Exception e) {
                Say.line("could not drop " + table.name() + ": " + e);
            }
        }
    }

    private static long gatewayTicks(List<GatewayProcess> gateways) {
        return gateways.stream().mapToLong(g -> ProcFs.cpuTicks(g.pid())).sum();
    }

    private static void hold(List<GatewayProcess> gateways, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            for (GatewayProcess g : gateways) {
                if (!g.isAlive()) {
                    throw new IllegalStateException("a gateway exited; see its gateway.out");
                }
            }
            Thread.sleep(Math.max(1, Math.min(500, (end - System.nanoTime()) / 1_000_000)));
        }
    }

    private static void awaitEveryClient(Connection c, BenchTable table, List<String> clients,
            List<GatewayProcess> gateways) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
        while (!rowsPerClient(c, table, null, null).keySet().containsAll(clients)) {
            for (GatewayProcess g : gateways) {
                if (!g.isAlive()) {
                    throw new IllegalStateException("a gateway exited before storing rows; see its gateway.out");
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not every gateway stored rows within 6 minutes: "
                    + rowsPerClient(c, table, null, null).keySet());
            }
            Thread.sleep(500);
        }
    }

    /** Rows per clientid, those with committed_at in [from, to) when given. */
    private static Map<String, Long> rowsPerClient(Connection c, BenchTable table, OffsetDateTime from,
            OffsetDateTime to) throws SQLException {
        String sql = "SELECT clientid, count(*) FROM " + WriterTable.quote(table.name())
            + (from == null ? "" : " WHERE committed_at >= ? AND committed_at < ?") + " GROUP BY 1 ORDER BY 1";
        Map<String, Long> out = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            if (from != null) {
                s.setObject(1, from);
                s.setObject(2, to);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getLong(2));
                }
            }
        }
        return out;
    }

    /** The fleet's rows in the shared tables: its writers' status rows and catalogs. */
    private void forget(BenchTable table, List<String> clients) throws SQLException {
        try (Connection c = db.connect("cleanup");
             PreparedStatement status = c.prepareStatement("DELETE FROM " + WriterTable.STATUS_TABLE
                 + " WHERE table_name = ?");
             PreparedStatement nodes = c.prepareStatement("DELETE FROM " + WriterTable.NODES_TABLE
                 + " WHERE clientid = ANY (?)")) {
            status.setString(1, table.name());
            status.executeUpdate();
            nodes.setArray(1, c.createArrayOf("text", clients.toArray()));
            nodes.executeUpdate();
        }
    }
}
