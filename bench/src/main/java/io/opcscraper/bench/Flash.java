package io.opcscraper.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What a process writes to disk, for issue 13 ("fit a small gateway"): its I/O counters from
 * {@code /proc/<pid>/io}, its thread count from {@code /proc/<pid>/status}, and (optional, {@code --syscalls})
 * its forces counted by {@code strace -f -c} attached for the window.
 *
 * <p>{@code write_bytes} is what the process caused to be sent to the block layer (counted when a page is
 * dirtied, so a write overwritten or deleted before writeback still counts, less {@code cancelled_write_bytes});
 * {@code wchar} is every byte passed to write-like calls (files, sockets, pipes: the COPY to the database
 * and the status lines on stdout included), so it is an upper bound only.
 */
final class Flash {

    private Flash() {
    }

    /** The counters of {@code /proc/<pid>/io}; all 0 when unreadable. */
    record Io(long wchar, long syscw, long writeBytes, long cancelledWriteBytes) {

        static Io of(long pid) {
            return parse(read(Path.of("/proc", Long.toString(pid), "io")));
        }

        static Io parse(String text) {
            return new Io(field(text, "wchar"), field(text, "syscw"), field(text, "write_bytes"),
                field(text, "cancelled_write_bytes"));
        }

        /** The counters from {@code earlier} to this. */
        Io minus(Io earlier) {
            return new Io(wchar - earlier.wchar, syscw - earlier.syscw, writeBytes - earlier.writeBytes,
                cancelledWriteBytes - earlier.cancelledWriteBytes);
        }

        private static long field(String text, String name) {
            for (String line : text.split("\n")) {
                if (line.startsWith(name + ":")) {
                    try {
                        return Long.parseLong(line.substring(name.length() + 1).trim());
                    } catch (NumberFormatException e) {
                        return 0;
                    }
                }
            }
            return 0;
        }
    }

    /** {@code Threads:} of {@code /proc/<pid>/status}, 0 when gone. */
    static int threads(long pid) {
        for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring("Threads:".length()).trim());
            }
        }
        return 0;
    }

    /** The syscalls strace counts as forces of data to the disk. */
    static final String FORCES = "fsync,fdatasync,sync_file_range,syncfs,msync";

    /**
     * {@code strace -f -c -e trace=FORCES -p PID}, attached to every thread of a running process until {@link #stop}.
     * Attaching makes every syscall of every thread of the traced process stop twice for strace, not only the traced
     * ones (without {@code --seccomp-bpf}, which works only on processes strace starts): the gateway's futex, epoll
     * and socket calls get slower; hence optional.
     */
    static final class SyscallCount {

        private final Process strace;
        private final Path output;
        private final long started;
        private final long pid;

        private SyscallCount(Process strace, Path output, long started, long pid) {
            this.strace = strace;
            this.output = output;
            this.started = started;
            this.pid = pid;
        }

        /** Attaches; waits until every thread present is attached (strace's stderr says so) or 10 s. */
        static SyscallCount attach(long pid, Path dir) throws IOException, InterruptedException {
            Path output = dir.resolve("gateway-strace.txt");
            Path log = dir.resolve("gateway-strace.log");
            Process p = new ProcessBuilder("strace", "-f", "-c", "-e", "trace=" + FORCES, "-o", output.toString(), "-p",
                Long.toString(pid)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            int threads = threads(pid);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline && p.isAlive()) {
                long attached = read(log).lines().filter(l -> l.contains("attached")).count();
                if (attached >= threads) {
                    break;
                }
                Thread.sleep(100);
            }
            if (!p.isAlive()) {
                throw new IOException("strace exited at once: " + read(log).strip());
            }
            return new SyscallCount(p, output, System.nanoTime(), p.pid());
        }

        /** The CPU strace itself used since it started, in ticks. */
        long straceTicks() {
            return ProcFs.cpuTicks(pid);
        }

        /** Detaches (SIGTERM: strace detaches and writes its table) and returns the counts. */
        Result stop() throws InterruptedException {
            long ticks = straceTicks();
            long stopped = System.nanoTime();
            strace.destroy();
            if (!strace.waitFor(30, TimeUnit.SECONDS)) {
                strace.destroyForcibly();
            }
            String table = read(output);
            return new Result(calls(table), (stopped - started) / 1e9, ticks, table);
        }

        /** The calls of every syscall row of an {@code strace -c} table (the "total" row excluded). */
        static long calls(String table) {
            long calls = 0;
            for (String line : table.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 5 && f[0].matches("[0-9.]+") && !"total".equals(f[f.length - 1])) {
                    calls += Long.parseLong(f[3]);
                }
            }
            return calls;
        }
    }

    /** What strace counted: forces over {@code seconds} it was attached; its own CPU ticks. */
    record Result(long forces, double seconds, long straceTicks, String table) {
        double perSecond() {
            return forces / seconds;
        }
    }

    /**
     * The figures of one run for issue 13.
     *
     * @param io the gateway's I/O counters over the window
     * @param forces fsync-like calls over the window, null without {@code --syscalls}
     * @param liveHeap the live objects of a class histogram at the end of the window ({@link #liveHeap})
     * @param threads the gateway's threads at the end of the window
     * @param peerLiveHeap the same runtime without our instances ({@code --idle-peer}), null if not measured
     * @param peerThreads its threads, 0 if not measured
     */
    record Figures(Io io, Result forces, HeapInfo liveHeap, int threads, HeapInfo peerLiveHeap, int peerThreads) {

        static final double DAY = 86_400;

        double bytesPerSample(long samples) {
            return samples <= 0 ? Double.NaN : (double) io.writeBytes() / samples;
        }

        double wcharPerSample(long samples) {
            return samples <= 0 ? Double.NaN : (double) io.wchar() / samples;
        }

        double bytesPerDay(double windowSeconds) {
            return io.writeBytes() / windowSeconds * DAY;
        }

        double forcesPerSecond() {
            return forces == null ? Double.NaN : forces.perSecond();
        }

        /** Live heap of our instances: the run's less the peer's, MB. */
        double ourHeapMb() {
            return peerLiveHeap == null ? Double.NaN : liveHeap.usedMb() - peerLiveHeap.usedMb();
        }

        String describe(double windowSeconds, long samples, int tags) {
            return String.format(Locale.ROOT, "write_bytes=%d (%s/sample, %s/day) cancelled_write_bytes=%d wchar=%d "
                    + "(%s/sample) syscw=%d fsyncs/s=%s (%s forces in %.1f s, strace CPU %s%%) live_heap_mb=%.1f "
                    + "peer_live_heap_mb=%s ours_mb=%s (%s MB per 1,000 tags) threads=%d peer_threads=%s",
                io.writeBytes(), num(bytesPerSample(samples), 1), bytes(bytesPerDay(windowSeconds)),
                io.cancelledWriteBytes(), io.wchar(), num(wcharPerSample(samples), 0), io.syscw(),
                num(forcesPerSecond(), 2), forces == null ? "-" : Long.toString(forces.forces()),
                forces == null ? windowSeconds : forces.seconds(),
                forces == null ? "-" : num(100.0 * forces.straceTicks() / ProcFs.CLOCK_TICKS / forces.seconds(), 1),
                liveHeap.usedMb(), peerLiveHeap == null ? "-" : num(peerLiveHeap.usedMb(), 1), num(ourHeapMb(), 1),
                num(ourHeapMb() / (tags / 1000.0), 2), threads, peerLiveHeap == null ? "-" : Integer.toString(peerThreads));
        }
    }

    static String num(double value, int decimals) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "-"
            : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** 1.2 GB, 35 MB, 800 kB (decimal units). */
    static String bytes(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        if (value >= 1e9) {
            return String.format(Locale.ROOT, "%.1fGB", value / 1e9);
        }
        if (value >= 1e6) {
            return String.format(Locale.ROOT, "%.1fMB", value / 1e6);
        }
        return String.format(Locale.ROOT, "%.0fkB", value / 1e3);
    }

    /** The idle peer's configuration: no instances (an OSGi Configurator file without configurations). */
    static final String NO_INSTANCES = "{\n  \":configurator:resource-version\": 1\n}\n";

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * What is live: the bytes of the objects {@code jcmd PID GC.class_histogram} counts (it runs a full GC and counts in
     * the same pause), committed heap and metaspace from {@code GC.heap_info} right after. Not {@code GC.run} then
     * {@code GC.heap_info}: between the two commands (two JVM attaches, about a second) a busy gateway allocates tens of
     * MB, which that "used" figure counts as live (at 10,000 samples/s 30 MB against 13 MB counted by the histogram).
     *
     * @param histogram {@link ClassHistogram#take} of the JVM, just taken
     */
    static HeapInfo liveHeap(long pid, String histogram) {
        HeapInfo after = HeapInfo.of(pid);
        long live = ClassHistogram.totalBytes(histogram);
        return live < 0 ? after : new HeapInfo(live / (1024.0 * 1024.0), after.committedMb(), after.metaspaceUsedMb(),
            after.raw() + "live objects (GC.class_histogram Total): " + live + " bytes" + System.lineSeparator());
    }

    /**
     * For every tags x rate x poll mode run in both spool modes: the on-backlog run's bytes written a day as a ratio of
     * the always run's (goal of issue 13: at most 0.01 at 10,000 tags x 1 Hz with the database up).
     */
    static List<String> compare(List<RunResult> results) {
        List<String> lines = new ArrayList<>();
        for (RunResult always : results) {
            if (always.flash() == null || !"always".equals(always.spec().spoolMode())) {
                continue;
            }
            for (RunResult backlog : results) {
                RunSpec a = always.spec();
                RunSpec b = backlog.spec();
                if (backlog.flash() != null && "on-backlog".equals(b.spoolMode()) && a.tags() == b.tags()
                        && a.rateHz() == b.rateHz() && a.mode().equals(b.mode())) {
                    double perDayAlways = always.flash().bytesPerDay(always.windowSeconds());
                    double perDayBacklog = backlog.flash().bytesPerDay(backlog.windowSeconds());
                    lines.add(String.format(Locale.ROOT, "bench: flash %d tags x %sHz: bytes/day on-backlog %s / always %s "
                            + "= %s (runs %s, %s); fsyncs/s %s / %s", a.tags(), a.rateText(), bytes(perDayBacklog),
                        bytes(perDayAlways), num(perDayBacklog / perDayAlways, 4), backlog.runId(), always.runId(),
                        num(backlog.flash().forcesPerSecond(), 2), num(always.flash().forcesPerSecond(), 2)));
                }
            }
        }
        return lines;
    }
}
