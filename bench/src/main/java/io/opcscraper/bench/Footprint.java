package io.opcscraper.bench;

import java.util.Locale;
import java.util.Map;

/**
 * What the gateway's JVM spent over the window (issue 13, a small gateway): CPU per 1,000 samples a second, bytes
 * allocated per sample, GC work, the largest heap left after a collection, OutOfMemoryErrors; and the conditions of the
 * run ({@code --ballast-mb}, {@code --db-outage}).
 *
 * @param gc the window's pauses from the gateway's GC log
 * @param gcCpuPercent CPU of the gateway's GC threads over the window (G1's "GC Thread#", "G1 Conc#", "G1 Refine#",
 *        "G1 Main Marker", ...), % of one core
 * @param jitCpuPercent CPU of the gateway's JIT compiler threads over the window, % of one core: still compiling
 *        minutes after the start, a cost a gateway that runs for weeks pays once, so the result line gives the CPU per
 *        1,000 samples/s without it too
 * @param oomErrors lines of the gateway's output naming an OutOfMemoryError (the whole run, its stop included)
 * @param ballastMb heap held live for Kura's own (0: none)
 * @param outageSeconds how long the writer's database connection was cut in the middle of the window (0: none)
 * @param peerCpuPercent CPU of the idle peer ({@code --idle-peer}: the same runtime without our instances), % of one
 *        core; NaN without one
 * @param peerJitCpuPercent the part of it the peer's JIT compiler threads took; NaN without a peer
 */
record Footprint(GcLog.Figures gc, double gcCpuPercent, double jitCpuPercent, long oomErrors, int ballastMb, int outageSeconds,
                 double peerCpuPercent, double peerJitCpuPercent) {

    /** The gateway's threads that do the collector's work, by their names with digits as '#' ({@link CpuSnapshot}). */
    static double gcCpu(Map<String, Double> gatewayThreads) {
        return gatewayThreads.entrySet().stream()
            .filter(e -> e.getKey().startsWith("GC Thread") || e.getKey().startsWith("G# "))
            .mapToDouble(Map.Entry::getValue).sum();
    }

    /** The gateway's JIT compiler threads ("C2 CompilerThread0" is "C# CompilerThre" in /proc, {@link CpuSnapshot}). */
    static double jitCpu(Map<String, Double> gatewayThreads) {
        return gatewayThreads.entrySet().stream()
            .filter(e -> e.getKey().startsWith("C# CompilerThre"))
            .mapToDouble(Map.Entry::getValue).sum();
    }

    /** Gateway CPU (% of one core) per 1,000 samples a second. */
    static double cpuPer1000(double gatewayCpuPercent, double samplesPerSecond) {
        return samplesPerSecond > 0 ? gatewayCpuPercent / (samplesPerSecond / 1000.0) : Double.NaN;
    }

    /** Bytes allocated per sample: the GC log's allocation rate over the samples committed a second. */
    double allocBytesPerSample(double samplesPerSecond) {
        return samplesPerSecond > 0 ? gc.allocPerSecond() / samplesPerSecond : Double.NaN;
    }

    /**
     * The result line's fields. With an idle peer, also what our instances cost: the gateway's CPU less the peer's, per
     * 1,000 samples/s, without the JIT on either side ({@code ours_cpu_per_1000_per_s_without_jit}: the gateway is
     * measured after minutes of warm-up and the peer after {@value IdlePeer#SETTLE_SECONDS} s, so their compilers are
     * at different stages), and with it.
     */
    String fields(double gatewayCpuPercent, double samplesPerSecond, double windowSeconds) {
        return String.format(Locale.ROOT, " cpu_per_1000_per_s=%s%% jit_cpu=%s%% cpu_per_1000_per_s_without_jit=%s%% "
                + "peer_cpu=%s%% peer_jit_cpu=%s%% ours_cpu_per_1000_per_s=%s%% ours_cpu_per_1000_per_s_without_jit=%s%% "
                + "alloc_bytes/sample=%s alloc_mb/s=%s gc_cpu=%s%% "
                + "gc_pause=%s%% gc_pauses=%d full_gcs=%d max_after_gc_mb=%.0f oom=%d ballast_mb=%d db_outage_s=%d",
            Flash.num(cpuPer1000(gatewayCpuPercent, samplesPerSecond), 3), Flash.num(jitCpuPercent, 2),
            Flash.num(cpuPer1000(gatewayCpuPercent - jitCpuPercent, samplesPerSecond), 3),
            Flash.num(peerCpuPercent, 2), Flash.num(peerJitCpuPercent, 2),
            Flash.num(cpuPer1000(gatewayCpuPercent - peerCpuPercent, samplesPerSecond), 3),
            Flash.num(cpuPer1000(gatewayCpuPercent - jitCpuPercent - (peerCpuPercent - peerJitCpuPercent), samplesPerSecond), 3),
            Flash.num(allocBytesPerSample(samplesPerSecond), 0),
            Flash.num(gc.allocPerSecond() / 1e6, 1), Flash.num(gcCpuPercent, 2), Flash.num(gc.pausePercent(windowSeconds), 2),
            gc.pauses(), gc.fullPauses(), gc.maxAfterMb(), oomErrors, ballastMb, outageSeconds);
    }
}
