package io.opcscraper.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * CPU time at one moment: the machine, the gateway and the simulator (each with its threads), this
 * driver, and every PostgreSQL process (with its title). Two snapshots make a {@link CpuUsage}.
 *
 * @param postgres PostgreSQL pid to (title, ticks)
 * @param benchBackends pids of the measured database sessions at that moment (the gateway writer's, or the COPY
 *        bound's)
 */
record CpuSnapshot(long nanos, long machineBusy, long machineTotal, long gateway, Map<Long, ProcFs.Task> gatewayThreads,
                   long simulator, Map<Long, ProcFs.Task> simulatorThreads, long driver,
                   Map<Long, ProcFs.Task> postgres, Set<Long> benchBackends) {

    static final String BENCH_SESSIONS = "bench sessions";

    /** A snapshot; a pid of -1 (no gateway yet) reads as 0. */
    static CpuSnapshot take(long gatewayPid, long simulatorPid, Set<Long> benchBackends) {
        long[] machine = ProcFs.machineTicks();
        Map<Long, ProcFs.Task> postgres = new HashMap<>();
        for (long pid : ProcFs.pidsNamed("postgres")) {
            postgres.put(pid, new ProcFs.Task(ProcFs.cmdline(pid), ProcFs.cpuTicks(pid)));
        }
        return new CpuSnapshot(System.nanoTime(), machine[0], machine[1], ProcFs.cpuTicks(gatewayPid),
            ProcFs.threads(gatewayPid), ProcFs.cpuTicks(simulatorPid), ProcFs.threads(simulatorPid),
            ProcFs.cpuTicks(ProcessHandle.current().pid()), postgres, Set.copyOf(benchBackends));
    }

    /** Ticks of the PostgreSQL processes that exist in both snapshots, by process group (see {@link #group}). */
    static Map<String, Long> postgresGroups(CpuSnapshot a, CpuSnapshot b) {
        Map<String, Long> groups = new HashMap<>();
        b.postgres.forEach((pid, task) -> {
            ProcFs.Task before = a.postgres.get(pid);
            long delta = task.ticks() - (before == null ? 0 : before.ticks());
            if (delta > 0) {
                String group = group(pid, task.name(), a.benchBackends, b.benchBackends);
                groups.merge(group, delta, Long::sum);
            }
        });
        return groups;
    }

    /**
     * {@value #BENCH_SESSIONS} (the sessions measured: the gateway's writer, or the COPY bound's, by pid from
     * pg_stat_activity), "other sessions" (a client
     * connection: its title names the client address), else the background process's name (walwriter,
     * checkpointer, ...).
     */
    private static String group(long pid, String title, Set<Long> before, Set<Long> after) {
        if (before.contains(pid) || after.contains(pid)) {
            return BENCH_SESSIONS;
        }
        if (title.contains("(") && (title.contains("127.0.0.1") || title.contains("::1") || title.contains("local]"))) {
            return "other sessions";
        }
        int colon = title.lastIndexOf(": ");
        String name = colon >= 0 ? title.substring(colon + 2) : title;
        return name.isBlank() ? "postmaster" : name.trim();
    }

    /** Ticks per thread name between two snapshots, numbers in names collapsed ("pool-3-thread-7" -> "pool-#-thread-#"). */
    static Map<String, Long> threadGroups(Map<Long, ProcFs.Task> a, Map<Long, ProcFs.Task> b) {
        Map<String, Long> groups = new HashMap<>();
        b.forEach((tid, task) -> {
            ProcFs.Task before = a.get(tid);
            long delta = task.ticks() - (before == null ? 0 : before.ticks());
            if (delta > 0) {
                groups.merge(task.name().replaceAll("\\d+", "#"), delta, Long::sum);
            }
        });
        return groups;
    }
}
