package io.opcscraper.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the bench ran on: cores, CPU model, memory, load. */
final class Machine {

    private Machine() {
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** "model name" of /proc/cpuinfo, e.g. "Intel(R) Xeon(R) Processor". */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    static long memoryMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** The 1-minute load average. */
    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** How busy the machine is over {@code seconds}, in percent of one core (all processes). */
    static double busyPercent(int seconds) throws InterruptedException {
        long[] a = ProcFs.machineTicks();
        Thread.sleep(seconds * 1000L);
        long[] b = ProcFs.machineTicks();
        return (b[0] - a[0]) * 100.0 / ProcFs.CLOCK_TICKS / seconds;
    }

    /**
     * Waits until the machine uses at most {@code percent} % of one core (5 s samples), at most {@code maxMinutes}.
     *
     * @return the last busy figure measured
     */
    static double awaitQuiet(int percent, int maxMinutes) throws InterruptedException {
        long deadline = System.nanoTime() + maxMinutes * 60_000_000_000L;
        double busy = busyPercent(5);
        while (busy > percent && System.nanoTime() < deadline) {
            Say.line(String.format("machine busy %.0f%% of one core (other builds or tests?); waiting for at most %d%%",
                busy, percent));
            Thread.sleep(10_000);
            busy = busyPercent(5);
        }
        if (busy > percent) {
            Say.line(String.format("machine still busy (%.0f%%) after %d min: running anyway", busy, maxMinutes));
        }
        return busy;
    }

    /** "2 x Intel(R) Xeon(R) Processor, 23 GiB". */
    static String describe() {
        return cores() + " x " + cpuModel() + ", " + Math.round(memoryMb() / 1024.0) + " GiB";
    }
}
