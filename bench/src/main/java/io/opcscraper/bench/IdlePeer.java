package io.opcscraper.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The idle peer of {@code --idle-peer}: the same runtime (launcher, Kura profile, our .dp installed and started)
 * without instances, with the gateway's JVM options: started, given {@value #SETTLE_SECONDS} s after its ready line to
 * settle, its CPU over {@value #CPU_WINDOW_SECONDS} s (what the runtime costs without our instances: Kura's emulated
 * services, the web console, the JVM's own periodic work), then a full GC, its heap and threads (and, with
 * {@code --histogram}, its class histogram), and an orderly stop.
 *
 * @param cpuPercent the peer's CPU over its window, % of one core
 * @param jitPercent the part of it its JIT compiler threads took
 */
record IdlePeer(HeapInfo heap, int threads, double cpuPercent, double jitPercent) {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
    static final int SETTLE_SECONDS = 60;
    static final int CPU_WINDOW_SECONDS = 60;

    static IdlePeer measure(Artifacts artifacts, List<String> jvm, String dbPassword, Path dir, boolean histogram)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path config = dir.resolve("gateway-config.json");
        Files.writeString(config, Flash.NO_INSTANCES, StandardCharsets.UTF_8);
        GatewayProcess peer = GatewayProcess.start(artifacts, jvm, config, dbPassword, dir);
        try {
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            while (peer.readyLine() == null) {
                if (!peer.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the idle peer did not get ready; see " + dir.resolve("gateway.out"));
                }
                Thread.sleep(200);
            }
            Thread.sleep(SETTLE_SECONDS * 1000L);
            Map<Long, ProcFs.Task> before = ProcFs.threads(peer.pid());
            long from = System.nanoTime();
            Thread.sleep(CPU_WINDOW_SECONDS * 1000L);
            Map<String, Double> cpu = percentOfACore(CpuSnapshot.threadGroups(before, ProcFs.threads(peer.pid())),
                (System.nanoTime() - from) / 1e9);
            double total = cpu.values().stream().mapToDouble(Double::doubleValue).sum();
            double jit = Footprint.jitCpu(cpu);
            int threads = Flash.threads(peer.pid());
            String classes = ClassHistogram.take(peer.pid());
            HeapInfo heap = Flash.liveHeap(peer.pid(), classes);
            Files.writeString(dir.resolve("gateway-live-heap.txt"), heap.raw(), StandardCharsets.UTF_8);
            Say.line(String.format(Locale.ROOT, "idle peer (%s): live heap %.1f MB after a full GC, "
                + "metaspace %.1f MB, %d threads; CPU %.2f %% of a core over %d s (JIT %.2f %%)", peer.readyLine(),
                heap.usedMb(), heap.metaspaceUsedMb(), threads, total, CPU_WINDOW_SECONDS, jit));
            if (histogram) {
                ClassHistogram.save(classes, dir, "idle peer");
            }
            return new IdlePeer(heap, threads, total, jit);
        } finally {
            peer.close();
        }
    }

    /** Clock ticks per thread group over {@code seconds} as % of one core. */
    static Map<String, Double> percentOfACore(Map<String, Long> ticks, double seconds) {
        Map<String, Double> percent = new HashMap<>();
        ticks.forEach((name, t) -> percent.put(name, 100.0 * t / ProcFs.CLOCK_TICKS / seconds));
        return percent;
    }
}
