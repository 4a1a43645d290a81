package io.opcscraper.bench;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The benchmark driver: {@code bench/run [options]} (see {@link Usage#USAGE}). For every run (tag
 * count x rate) it measures the raw binary COPY bound and the raw Milo read bound, then the whole chain
 * (simulator -> gateway with our .dp -> TimescaleDB), prints one result line per run ({@code bench: ...})
 * and appends a markdown row to the results file. Exit status: 0 every run produced its result, 1 a run
 * failed, 2 bad options.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (BenchOptions.UsageException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(Usage.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(Usage.USAGE);
            return;
        }
        try {
            if (!options.gateways().isEmpty()) {
                System.exit(fleet(options).size() == options.gateways().size() ? 0 : 1);
            }
            int done = options.backfill() ? runBackfill(options).size()
                : options.structures() ? runStructures(options).size() : run(options).size();
            System.exit(done == options.runs().size() ? 0 : 1);
        } catch (Exception e) {
            System.err.println("bench: " + e);
            System.exit(1);
        }
    }

    /**
     * The fleet runs: for each number of gateways of {@code --gateways}, that many gateways into one table
     * ({@link FleetRun}), each with the first run's tags and rate. Rows go to {@code fleet-results.md} beside
     * the results file.
     */
    static List<FleetResult> fleet(BenchOptions options) throws Exception {
        if (!ProcFs.available()) {
            throw new IllegalStateException("needs Linux /proc (CPU and memory of the processes)");
        }
        Artifacts artifacts = Artifacts.find(options.repo());
        Database db = new Database(options.database());
        try (Connection c = db.connect("version")) {
            Say.line("bench: " + Machine.describe() + "; database " + options.database() + ": " + Database.version(c));
        }
        java.nio.file.Path file = options.out().resolveSibling("fleet-results.md");
        RunSpec spec = options.runs().get(0);
        List<FleetResult> done = new ArrayList<>();
        for (int n : options.gateways()) {
            try {
                if (options.quietPercent() > 0) {
                    Machine.awaitQuiet(options.quietPercent(), 20);
                }
                FleetResult result = new FleetRun(options, artifacts, db).run(n, spec);
                done.add(result);
                appendFleetRow(file, result);
                Say.plain(result.line());
            } catch (Exception e) {
                Say.line("fleet of " + n + " FAILED: " + e);
                e.printStackTrace(System.out);
            }
        }
        Say.line("bench: " + done.size() + " of " + options.gateways().size() + " fleet run(s) done; rows appended to "
            + file);
        done.forEach(r -> Say.plain(r.line()));
        return done;
    }

    private static void appendFleetRow(java.nio.file.Path file, FleetResult result) throws java.io.IOException {
        java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
        String text = (java.nio.file.Files.exists(file) ? "" : FleetResult.markdownHeader() + System.lineSeparator())
            + result.markdownRow() + System.lineSeparator();
        java.nio.file.Files.writeString(file, text, java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
    }

    /**
     * Runs every run of {@code options} in turn; a failed run is reported and the next one starts.
     *
     * @return the results of the runs that completed
     */
    static List<RunResult> run(BenchOptions options) throws Exception {
        if (!ProcFs.available()) {
            throw new IllegalStateException("needs Linux /proc (CPU and memory of the processes)");
        }
        Artifacts artifacts = Artifacts.find(options.repo());
        Database db = new Database(options.database());
        String database;
        try (Connection c = db.connect("version")) {
            database = Database.version(c);
        }
        String machine = Machine.describe();
        Say.line("bench: " + machine + ", driver " + Jvm.description() + "; database " + options.database() + ": "
            + database);
        Say.line("bench: " + options.runs().size() + " run(s); gateway " + artifacts.gatewayJar() + " with "
            + artifacts.dp().getFileName() + "; results appended to " + options.out());
        ResultsFile results = new ResultsFile(options.out());
        BenchRun runner = new BenchRun(options, artifacts, db, machine + ", " + Jvm.description(), database);
        List<RunResult> done = eachRun(options, spec -> {
            RunResult result = runner.run(spec);
            results.append(result);
            return result;
        }, RunResult::line);
        Say.line("bench: " + done.size() + " of " + options.runs().size() + " run(s) done; rows appended to "
            + options.out());
        done.forEach(result -> Say.plain(result.line()));
        Flash.compare(done).forEach(Say::plain);
        return done;
    }

    /** One run of a spec. */
    private interface Runner<T> {
        T run(RunSpec spec) throws Exception;
    }

    /** Runs every spec in turn (after waiting for a quiet machine if asked); a failed run is said and skipped. */
    private static <T> List<T> eachRun(BenchOptions options, Runner<T> runner, Function<T, String> line)
            throws InterruptedException {
        List<T> done = new ArrayList<>();
        for (RunSpec spec : options.runs()) {
            try {
                if (options.quietPercent() > 0) {
                    Machine.awaitQuiet(options.quietPercent(), 20);
                }
                T result = runner.run(spec);
                done.add(result);
                Say.plain(line.apply(result));
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                Say.line("run " + spec + " FAILED: " + e);
                e.printStackTrace(System.out);
            }
        }
        return done;
    }

    /** {@code --structures}: each run compares structures with scalars ({@link StructureRun}). */
    static List<StructureRun.Result> runStructures(BenchOptions options) throws Exception {
        if (!ProcFs.available()) {
            throw new IllegalStateException("needs Linux /proc (CPU and memory of the processes)");
        }
        StructureRun runner = new StructureRun(options, Artifacts.find(options.repo()), new Database(options.database()));
        List<StructureRun.Result> done = eachRun(options, runner::run, StructureRun.Result::line);
        Say.line("bench: " + done.size() + " of " + options.runs().size() + " structure run(s) done; rows appended to "
            + options.out().resolveSibling("structures.md"));
        done.forEach(result -> Say.plain(result.line()));
        return done;
    }

    /** {@code --backfill}: each run fills a gap of {@code --gap} seconds from the simulator's history ({@link BackfillRun}). */
    static List<BackfillRun.Result> runBackfill(BenchOptions options) throws Exception {
        BackfillRun runner = new BackfillRun(options, Artifacts.find(options.repo()), new Database(options.database()));
        List<BackfillRun.Result> done = eachRun(options, runner::run, BackfillRun.Result::line);
        Say.line("bench: " + done.size() + " of " + options.runs().size() + " backfill run(s) done; rows appended to "
            + options.out().resolveSibling("backfill.md"));
        done.forEach(result -> Say.plain(result.line()));
        return done;
    }
}
