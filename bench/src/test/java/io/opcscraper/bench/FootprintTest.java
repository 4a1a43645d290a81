package io.opcscraper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The figures of a small gateway: CPU per 1,000 samples/s, bytes per sample, the GC threads' CPU; the ballast's jar. */
class FootprintTest {

    @Test
    void cpuPerThousandSamplesAndBytesPerSample() {
        assertEquals(0.3, Footprint.cpuPer1000(3.0, 10_000), 1e-9, "3 % of a core at 10,000 samples/s");
        GcLog.Figures gc = new GcLog.Figures(10, 20, 50L << 20, 100_000_000L, 10, 0);
        Footprint f = new Footprint(gc, 1.5, 1.0, 0, 128, 120, Double.NaN, Double.NaN);
        assertEquals(1_000, f.allocBytesPerSample(10_000), 1e-9, "10 MB/s over 10,000 samples/s");
        String fields = f.fields(3.0, 10_000, 10);
        assertTrue(fields.contains(" cpu_per_1000_per_s=0.300% jit_cpu=1.00% cpu_per_1000_per_s_without_jit=0.200% "
            + "peer_cpu=-% peer_jit_cpu=-% ours_cpu_per_1000_per_s=-% ours_cpu_per_1000_per_s_without_jit=-% "
            + "alloc_bytes/sample=1000 ") && fields.contains(" gc_pause=0.20% ")
            && fields.contains(" oom=0 ballast_mb=128 db_outage_s=120"), fields);
    }

    @Test
    void ourInstancesCostTheGatewaysCpuLessTheIdlePeers() {
        GcLog.Figures gc = new GcLog.Figures(10, 20, 50L << 20, 100_000_000L, 10, 0);
        // gateway 3 % (1 % of it JIT) at 10,000 samples/s; peer 0.5 % (0.2 % of it JIT)
        String fields = new Footprint(gc, 1.5, 1.0, 0, 0, 0, 0.5, 0.2).fields(3.0, 10_000, 10);
        assertTrue(fields.contains(" peer_cpu=0.50% peer_jit_cpu=0.20% ours_cpu_per_1000_per_s=0.250% "
            + "ours_cpu_per_1000_per_s_without_jit=0.170% "), fields);
    }

    @Test
    void clockTicksBecomePercentOfACore() {
        Map<String, Double> percent = IdlePeer.percentOfACore(Map.of("C# CompilerThre", (long) ProcFs.CLOCK_TICKS * 3,
            "VM Periodic Tas", (long) ProcFs.CLOCK_TICKS), 60);
        assertEquals(5.0, percent.get("C# CompilerThre"), 1e-9, "3 s of CPU in 60 s");
        assertEquals(1.0 / 60 * 100, percent.get("VM Periodic Tas"), 1e-9);
    }

    @Test
    void theGcThreadsAreG1sAndTheParallelWorkers() {
        assertEquals(6.0, Footprint.gcCpu(Map.of("GC Thread#", 4.0, "G# Conc#", 1.0, "G# Refine#", 1.0, "VM Thread", 2.0,
            "opcua-poller", 9.0)), 1e-9);
    }

    @Test
    void theJitThreadsAreTheCompilerThreads() {
        assertEquals(3.0, Footprint.jitCpu(Map.of("C# CompilerThre", 3.0, "GC Thread#", 4.0, "VM Thread", 2.0)), 1e-9);
    }

    @Test
    void theAgentJarHoldsTheBallastClassAndNamesItsPremain(@TempDir Path dir) throws Exception {
        String option = Ballast.option(dir, 64);
        assertEquals("-javaagent:" + dir.resolve("ballast-agent.jar") + "=64", option);
        try (JarFile jar = new JarFile(dir.resolve("ballast-agent.jar").toFile())) {
            assertEquals(Ballast.class.getName(), jar.getManifest().getMainAttributes().getValue("Premain-Class"));
            assertTrue(jar.getEntry("io/opcscraper/bench/Ballast.class") != null);
            assertEquals(1, jar.stream().filter(e -> e.getName().endsWith(".class")).count(), "nothing but the agent");
        }
        assertTrue(Files.size(dir.resolve("ballast-agent.jar")) > 0);
    }
}
