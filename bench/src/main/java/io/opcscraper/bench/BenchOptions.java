package io.opcscraper.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The command line of {@link Bench}, parsed and validated. Every run is a {@link RunSpec}: the tag
 * counts times the rates ({@code --tags 1000,10000 --rate 1,2}: four runs), or explicit pairs
 * ({@code --runs 1000x100,50000x2}).
 *
 * @param boundSeconds how long each raw bound is measured; 0: the bounds are skipped
 * @param miloChunk nodes per Read of the Milo bound; 0: the server's MaxNodesPerRead
 * @param repo the repository root (the artifacts are found below it)
 * @param gateways fleet runs: for each number N, N gateways into one table ({@link FleetRun}); empty: the usual runs
 * @param poller Integer properties of the Poller for {@code --backfill} (history.requests.in.flight, ...)
 * @param backfill each run measures the history backfill of a gap of {@code gapSeconds} ({@link BackfillRun})
 * @param ballastMb MB the gateway JVM holds live from its start, for Kura's own heap ({@link Ballast}); 0: none
 * @param outageSeconds seconds the writer's database connection is cut in the middle of the window ({@link DbOutage})
 * @param histogram a class histogram of the gateway (and idle peer) at the end of the window ({@link ClassHistogram})
 * @param quietPercent before each run, wait (up to 20 min) until the machine is busier than this (percent of one core,
 *        over 5 s) no more; 0: start at once
 */
record BenchOptions(List<RunSpec> runs, int seconds, int warmupSeconds, int boundSeconds, int miloChunk,
                    List<String> gatewayJvm, List<String> simulatorJvm, boolean jfr, boolean nmt, int quietPercent, boolean keepTable, Path out,
                    Path work, Path repo, Database.Settings database, boolean help, List<Integer> gateways,
                    boolean structures, boolean syscalls, boolean idlePeer, boolean backfill, int gapSeconds,
                    java.util.Map<String, Integer> poller, int ballastMb, int outageSeconds, boolean histogram) {

    static final String DEFAULT_GATEWAY_JVM = "-Xms256m -Xmx256m";
    static final String DEFAULT_SIMULATOR_JVM = "-Xmx2g";


    /** A bad command line; the message names the option and the value. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    boolean boundsEnabled() {
        return boundSeconds > 0;
    }

    static BenchOptions parse(String... args) throws UsageException {
        List<Integer> tags = List.of(1000);
        List<Double> rates = List.of(1.0);
        List<RunSpec> pairs = null;
        int seconds = 60;
        int warmup = 10;
        int boundSeconds = 10;
        int miloChunk = 0;
        String mode = "poll";
        String gatewayJvm = DEFAULT_GATEWAY_JVM;
        String simulatorJvm = DEFAULT_SIMULATOR_JVM;
        boolean jfr = false;
        boolean nmt = false;
        int quiet = 0;
        boolean keepTable = false;
        boolean structures = false;
        boolean syscalls = false;
        boolean idlePeer = false;
        List<String> spoolModes = java.util.Collections.singletonList(null);
        boolean backfill = false;
        boolean histogram = false;
        int ballast = 0;
        int outage = 0;
        int gap = 600;
        java.util.Map<String, Integer> poller = new java.util.LinkedHashMap<>();
        Path out = null;
        Path work = null;
        Path repo = null;
        String dbUrl = env("TIMESCALE_URL", "jdbc:postgresql://127.0.0.1:" + env("TIMESCALE_PORT", "5433") + "/opcscraper");
        String dbUser = env("TIMESCALE_USER", "opcscraper");
        String dbPassword = env("TIMESCALE_PASSWORD", "opcscraper");
        boolean help = false;
        List<Integer> gateways = List.of();
        Set<String> seen = new HashSet<>();

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            switch (name) {
                case "-h", "--help" -> {
                    help = true;
                    continue;
                }
                case "--jfr" -> {
                    jfr = true;
                    continue;
                }
                case "--nmt" -> {
                    nmt = true;
                    continue;
                }
                case "--keep-table" -> {
                    keepTable = true;
                    continue;
                }
                case "--structures" -> {
                    structures = true;
                    continue;
                }
                case "--syscalls" -> {
                    syscalls = true;
                    continue;
                }
                case "--idle-peer" -> {
                    idlePeer = true;
                    continue;
                }
                case "--backfill" -> {
                    backfill = true;
                    continue;
                }
                case "--histogram" -> {
                    histogram = true;
                    continue;
                }
                case "--ballast-mb", "--db-outage", "--wait-quiet", "--gap", "--poller", "--gateways", "--tags", "--rate", "--runs", "--seconds", "--warmup", "--bound-seconds", "--milo-chunk", "--mode", "--spool-mode",
                    "--gateway-jvm", "--simulator-jvm", "--out", "--work", "--repo", "--db-url", "--db-user" -> {
                    // takes a value
                }
                default -> throw new UsageException("unknown option " + arg);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("option " + name + " needs a value");
                }
                value = args[++i];
            }
            if (!seen.add(name)) {
                throw new UsageException("option " + name + " given twice");
            }
            String option = name;
            switch (name) {
                case "--tags" -> tags = list(option, value, v -> integer(option, v, 1, 1_000_000));
                case "--rate" -> rates = list(option, value, v -> rate(option, v));
                case "--runs" -> pairs = list(option, value, v -> pair(option, v));
                case "--gap" -> gap = integer(name, value, 1, 86_400);
                case "--poller" -> {
                    for (String item : list(option, value, v -> v)) {
                        int eq = item.indexOf('=');
                        if (eq <= 0 || !item.substring(0, eq).matches("[a-z][a-z.]*[a-z]")) {
                            throw invalid(name, value, "NAME=VALUE,... with Integer values");
                        }
                        poller.put(item.substring(0, eq), integer(name, item.substring(eq + 1), 0, Integer.MAX_VALUE));
                    }
                }
                case "--ballast-mb" -> ballast = integer(name, value, 0, 1_000_000);
                case "--db-outage" -> outage = integer(name, value, 0, 86_400);
                case "--wait-quiet" -> quiet = integer(name, value, 0, 10_000);
                case "--gateways" -> gateways = list(option, value, v -> integer(option, v, 1, 64));
                case "--seconds" -> seconds = integer(name, value, 1, 86_400);
                case "--warmup" -> warmup = integer(name, value, 0, 3_600);
                case "--bound-seconds" -> boundSeconds = integer(name, value, 0, 3_600);
                case "--milo-chunk" -> miloChunk = integer(name, value, 0, 1_000_000);
                case "--mode" -> {
                    mode = value.toLowerCase(Locale.ROOT);
                    if (!mode.equals("poll") && !mode.equals("subscribe")) {
                        throw invalid(name, value, "poll or subscribe");
                    }
                }
                case "--spool-mode" -> spoolModes = list(option, value, v -> spoolMode(option, v));
                case "--gateway-jvm" -> gatewayJvm = value;
                case "--simulator-jvm" -> simulatorJvm = value;
                case "--out" -> out = Path.of(value);
                case "--work" -> work = Path.of(value);
                case "--repo" -> repo = Path.of(value);
                case "--db-url" -> {
                    if (!value.startsWith("jdbc:postgresql://")) {
                        throw invalid(name, value, "a jdbc:postgresql:// URL");
                    }
                    dbUrl = value;
                }
                case "--db-user" -> dbUser = value;
                default -> throw new IllegalStateException(name);
            }
        }
        if (backfill && (structures || !gateways.isEmpty())) {
            throw new UsageException("--backfill is a mode of its own: not with --structures or --gateways");
        }
        if ((seen.contains("--gap") || seen.contains("--poller")) && !backfill) {
            throw new UsageException((seen.contains("--gap") ? "--gap" : "--poller") + " is an option of --backfill");
        }
        if (outage > 0 && outage >= seconds) {
            throw new UsageException("--db-outage " + outage + " must be shorter than the window (--seconds " + seconds + ")");
        }
        if ((ballast > 0 || outage > 0 || histogram) && (backfill || !gateways.isEmpty())) {
            throw new UsageException("--ballast-mb, --db-outage and --histogram are options of the usual runs");
        }
        if (pairs != null && (seen.contains("--tags") || seen.contains("--rate"))) {
            throw new UsageException("--runs replaces --tags and --rate: give either");
        }
        List<RunSpec> runs = new ArrayList<>();
        if (pairs != null) {
            for (RunSpec pair : pairs) {
                for (String spool : spoolModes) {
                    runs.add(new RunSpec(pair.tags(), pair.rateHz(), mode, seconds, spool));
                }
            }
        } else {
            for (int n : tags) {
                for (double r : rates) {
                    for (String spool : spoolModes) {
                        runs.add(new RunSpec(n, r, mode, seconds, spool));
                    }
                }
            }
        }
        if (repo == null) {
            repo = Artifacts.findRoot(Path.of("").toAbsolutePath());
        }
        repo = repo.toAbsolutePath().normalize();
        if (out == null) {
            out = repo.resolve("bench/target/results.md");
        }
        if (work == null) {
            work = repo.resolve("bench/target/bench-runs");
        }
        return new BenchOptions(List.copyOf(runs), seconds, warmup, boundSeconds, miloChunk, split(gatewayJvm),
            split(simulatorJvm), jfr, nmt, quiet, keepTable, out.toAbsolutePath(), work.toAbsolutePath(), repo,
            new Database.Settings(dbUrl, dbUser, dbPassword), help, List.copyOf(gateways), structures, syscalls, idlePeer,
            backfill, gap, java.util.Map.copyOf(poller), ballast, outage, histogram);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    static List<String> split(String options) {
        String trimmed = options.trim();
        return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
    }

    private interface Parser<T> {
        T parse(String value) throws UsageException;
    }

    private static <T> List<T> list(String name, String value, Parser<T> parser) throws UsageException {
        List<T> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (item.isBlank()) {
                throw invalid(name, value, "a comma-separated list");
            }
            items.add(parser.parse(item.trim()));
        }
        return items;
    }

    private static RunSpec pair(String name, String value) throws UsageException {
        int x = value.toLowerCase(Locale.ROOT).indexOf('x');
        if (x <= 0) {
            throw invalid(name, value, "TAGSxRATE, e.g. 50000x2");
        }
        return new RunSpec(integer(name, value.substring(0, x), 1, 1_000_000), rate(name, value.substring(x + 1)),
            "poll", 1);
    }

    private static String spoolMode(String name, String value) throws UsageException {
        String mode = value.toLowerCase(Locale.ROOT);
        if (!mode.equals("always") && !mode.equals("on-backlog")) {
            throw invalid(name, value, "always or on-backlog");
        }
        return mode;
    }

    private static int integer(String name, String value, int min, int max) throws UsageException {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) {
                throw invalid(name, value, "an integer " + min + ".." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(name, value, "an integer " + min + ".." + max);
        }
    }

    private static double rate(String name, String value) throws UsageException {
        try {
            double hz = Double.parseDouble(value.trim());
            if (!(hz > 0) || hz > 100) {
                throw invalid(name, value, "a number of Hz, 0 < HZ <= 100 (the poll interval is at least 10 ms)");
            }
            return hz;
        } catch (NumberFormatException e) {
            throw invalid(name, value, "a number of Hz");
        }
    }

    private static UsageException invalid(String name, String value, String expected) {
        return new UsageException("invalid value '" + value + "' for " + name + ": expected " + expected);
    }
}
