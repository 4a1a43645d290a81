package io.opcscraper.bench;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU used between two {@link CpuSnapshot}s, in percent of one core (200 % = both cores of a 2-core
 * machine): the gateway, the simulator, PostgreSQL (all its processes, and the gateway writer's own
 * sessions), this driver, the whole machine, and "other" (the machine minus all of these: other users
 * of the machine). Plus the hottest threads of the gateway and of the simulator and the PostgreSQL
 * process groups.
 */
record CpuUsage(double seconds, double machine, double gateway, double simulator, double postgres,
                double postgresBenchSessions, double driver, double other, Map<String, Double> gatewayThreads,
                Map<String, Double> simulatorThreads, Map<String, Double> postgresGroups) {

    static CpuUsage between(CpuSnapshot a, CpuSnapshot b) {
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        double perTick = 100.0 / ProcFs.CLOCK_TICKS / seconds;
        Map<String, Long> pg = CpuSnapshot.postgresGroups(a, b);
        long pgAll = pg.values().stream().mapToLong(Long::longValue).sum();
        double machine = (b.machineBusy() - a.machineBusy()) * perTick;
        double gateway = (b.gateway() - a.gateway()) * perTick;
        double simulator = (b.simulator() - a.simulator()) * perTick;
        double driver = (b.driver() - a.driver()) * perTick;
        double postgres = pgAll * perTick;
        double ours = pg.getOrDefault(CpuSnapshot.BENCH_SESSIONS, 0L) * perTick;
        return new CpuUsage(seconds, machine, gateway, simulator, postgres, ours, driver,
            Math.max(0, machine - gateway - simulator - postgres - driver),
            percent(CpuSnapshot.threadGroups(a.gatewayThreads(), b.gatewayThreads()), perTick),
            percent(CpuSnapshot.threadGroups(a.simulatorThreads(), b.simulatorThreads()), perTick),
            percent(pg, perTick));
    }

    private static Map<String, Double> percent(Map<String, Long> ticks, double perTick) {
        return ticks.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue() * perTick, (x, y) -> x, LinkedHashMap::new));
    }

    /** "name 45%, name 12%, ..." of the {@code n} largest entries. */
    static String top(Map<String, Double> groups, int n) {
        return groups.entrySet().stream().limit(n)
            .map(e -> String.format(Locale.ROOT, "%s %.1f%%", e.getKey(), e.getValue()))
            .collect(Collectors.joining(", "));
    }

    String describe() {
        return String.format("machine %.0f%% (of %d00%%), gateway %.0f%%, simulator %.0f%%, postgres %.0f%% (bench "
                + "sessions %.0f%%), driver %.0f%%, other processes %.0f%%", machine, Machine.cores(), gateway, simulator,
            postgres, postgresBenchSessions, driver, other)
            + System.lineSeparator() + "  gateway threads:   " + top(gatewayThreads, 8)
            + System.lineSeparator() + "  simulator threads: " + top(simulatorThreads, 6)
            + System.lineSeparator() + "  postgres:          " + top(postgresGroups, 6);
    }
}
