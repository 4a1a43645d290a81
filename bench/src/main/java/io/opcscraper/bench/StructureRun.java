package io.opcscraper.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * The structures benchmark (issue 12, {@code bench/run --structures}): one simulator serves TAGS
 * sensor variables (scalars, one row per value) and TAGS Block variables (structures of five
 * Doubles, five rows per value); the gateway collects the scalars, then, started anew with the same
 * options, the structures, each for the same window into a table of its own. The figure is the
 * gateway's CPU per 1,000 rows/s committed, of each; their ratio is what decoding structures costs
 * (goal: at most 1.5). Both halves run on the same machine in the same state, minutes apart.
 */
final class StructureRun {

    /** One half: what was committed in the window and the gateway's CPU over it. */
    record Phase(String name, double rowsPerSecond, double gatewayCpu, double postgresCpu, long read, long written,
                 double p50Seconds, double p99Seconds) {

        /** % of one core per 1,000 rows/s. */
        double cpuPerThousand() {
            return gatewayCpu / Math.max(1e-9, rowsPerSecond / 1000.0);
        }

        String describe() {
            return String.format("%,.0f rows/s, gateway %.1f %% CPU = %.2f %% per 1,000 rows/s (postgres %.0f %%), "
                + "read %,d written %,d, p50 %.0f ms p99 %.0f ms", rowsPerSecond, gatewayCpu, cpuPerThousand(),
                postgresCpu, read, written, p50Seconds * 1000, p99Seconds * 1000);
        }
    }

    record Result(String runId, RunSpec spec, Instant started, String load, Phase scalars, Phase structures) {

        /** CPU per row of the structures over CPU per row of the scalars. */
        double ratio() {
            return structures.cpuPerThousand() / scalars.cpuPerThousand();
        }

        String line() {
            return String.format("bench structures %s: %d variables x %s Hz, %s: scalars %s; structures of 5 Doubles %s;"
                + " CPU per row structures / scalars = %.2f (goal <= 1.5)", runId, spec.tags(), spec.rateText(),
                spec.mode(), scalars.describe(), structures.describe(), ratio());
        }

        static String markdownHeader() {
            return "| run | variables | rate Hz | mode | scalar rows/s | gateway CPU % | % per 1,000 rows/s | structure rows/s"
                + " | gateway CPU % | % per 1,000 rows/s | ratio | lost (scalars / structures) |"
                + System.lineSeparator() + "| --- | --: | --: | --- | --: | --: | --: | --: | --: | --: | --: | --- |";
        }

        String markdownRow() {
            return String.format("| %s | %,d | %s | %s | %,.0f | %.1f | %.2f | %,.0f | %.1f | %.2f | %.2f | %d / %d |",
                runId, spec.tags(), spec.rateText(), spec.mode(), scalars.rowsPerSecond, scalars.gatewayCpu,
                scalars.cpuPerThousand(), structures.rowsPerSecond, structures.gatewayCpu, structures.cpuPerThousand(),
                ratio(), scalars.read - scalars.written, structures.read - structures.written);
        }
    }

    private final BenchOptions options;
    private final Artifacts artifacts;
    private final Database db;

    StructureRun(BenchOptions options, Artifacts artifacts, Database db) {
        this.options = options;
        this.artifacts = artifacts;
        this.db = db;
    }

    Result run(RunSpec spec) throws Exception {
        Instant started = Instant.now();
        String runId = Long.toString(started.toEpochMilli(), 36);
        Path dir = options.work().resolve(runId);
        Files.createDirectories(dir);
        String load = Machine.load();
        Say.line("run " + runId + ": structures, " + spec + " (load average " + load + "); files in " + dir);
        try (SimulatorProcess simulator = SimulatorProcess.start(artifacts.simulatorJar(), options.simulatorJvm(),
                spec.tags(), spec.tags(), spec.rateHz(), dir, Duration.ofMinutes(3))) {
            Say.line("simulator: " + simulator.endpointUrl() + " (" + simulator.variables() + " variables and "
                + spec.tags() + " structures)");
            Phase scalars = phase(spec, simulator, runId, "scalars", GatewayConfig.PLANT_SENSORS, dir);
            Say.line("scalars: " + scalars.describe());
            Phase structures = phase(spec, simulator, runId, "structures", GatewayConfig.STRUCTURE_BLOCKS, dir);
            Say.line("structures: " + structures.describe());
            simulator.stop();
            Result result = new Result(runId, spec, started, load, scalars, structures);
            append(result);
            return result;
        }
    }

    private Phase phase(RunSpec spec, SimulatorProcess simulator, String runId, String name,
                        GatewayConfig.Selection selection, Path dir) throws Exception {
        Path phaseDir = Files.createDirectories(dir.resolve(name));
        BenchTable table = new BenchTable(db, "bench_" + runId + "_" + name.charAt(0));
        String clientId = "bench-" + runId + "-" + name;
        try {
            table.provision();
            table.addCommittedAt();
            EndToEnd.Result e2e = new EndToEnd(options, artifacts, db).measure(spec, simulator, table, clientId, phaseDir,
                selection);
            if (e2e.summary() == null) {
                throw new IllegalStateException("the gateway printed no summary; see " + phaseDir.resolve("gateway.out"));
            }
            BenchTable.Window window = table.window(e2e.windowStart(), e2e.windowEnd());
            return new Phase(name, window.rows() / e2e.windowSeconds(), e2e.cpu().gateway(), e2e.cpu().postgres(),
                e2e.summary().read(), e2e.summary().written(), window.p50Seconds(), window.p99Seconds());
        } finally {
            if (!options.keepTable()) {
                table.drop(clientId);
            }
            EndToEnd.deleteTree(phaseDir.resolve("spool"));
        }
    }

    /** One markdown row in {@code structures.md} beside the results file (its header when new). */
    private void append(Result result) throws IOException {
        Path file = options.out().resolveSibling("structures.md");
        Files.createDirectories(file.toAbsolutePath().getParent());
        StringBuilder text = new StringBuilder();
        if (!Files.exists(file) || Files.size(file) == 0) {
            text.append("# OPC Scraper structures benchmark").append(System.lineSeparator()).append(System.lineSeparator())
                .append(Result.markdownHeader()).append(System.lineSeparator());
        }
        text.append(result.markdownRow()).append(System.lineSeparator());
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
