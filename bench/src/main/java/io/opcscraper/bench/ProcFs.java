package io.opcscraper.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Linux's /proc: CPU time of processes and of their threads (utime + stime, in clock ticks), resident
 * memory, the machine's busy and total time. A process or thread that has gone away reads as 0.
 */
final class ProcFs {

    private static final Path PROC = Path.of("/proc");
    /** Clock ticks per second (USER_HZ); 100 on every Linux we run on, checked once with getconf. */
    static final int CLOCK_TICKS = clockTicks();

    private ProcFs() {
    }

    static boolean available() {
        return Files.isReadable(PROC.resolve("self/stat"));
    }

    /** utime + stime of a process (all its threads), in ticks. */
    static long cpuTicks(long pid) {
        return statTicks(PROC.resolve(Long.toString(pid)).resolve("stat"));
    }

    /** VmRSS of a process in kB (0 if gone). */
    static long rssKb(long pid) {
        return statusKb(pid, "VmRSS:");
    }

    /** VmHWM (peak resident set) of a process in kB (0 if gone). */
    static long peakRssKb(long pid) {
        return statusKb(pid, "VmHWM:");
    }

    /** The machine's CPU time as {busy, total} ticks summed over all cores (/proc/stat). */
    static long[] machineTicks() {
        try {
            String first = Files.readAllLines(PROC.resolve("stat"), StandardCharsets.US_ASCII).get(0);
            String[] f = first.trim().split("\\s+");
            long user = Long.parseLong(f[1]);
            long nice = Long.parseLong(f[2]);
            long system = Long.parseLong(f[3]);
            long idle = Long.parseLong(f[4]);
            long iowait = Long.parseLong(f[5]);
            long irq = Long.parseLong(f[6]);
            long softirq = Long.parseLong(f[7]);
            long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            long busy = user + nice + system + irq + softirq + steal;
            return new long[] {busy, busy + idle + iowait};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** The threads of a process: thread id to (name, ticks). */
    static Map<Long, Task> threads(long pid) {
        Map<Long, Task> tasks = new HashMap<>();
        Path dir = PROC.resolve(Long.toString(pid)).resolve("task");
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path task : entries) {
                long ticks = statTicks(task.resolve("stat"));
                String name = read(task.resolve("comm")).trim();
                tasks.put(Long.parseLong(task.getFileName().toString()), new Task(name, ticks));
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return tasks;
    }

    /** One thread (or process): its name and CPU ticks. */
    record Task(String name, long ticks) {
    }

    /** Processes whose comm is {@code name} (e.g. every PostgreSQL process, "postgres"). */
    static List<Long> pidsNamed(String name) {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                if (name.equals(read(entry.resolve("comm")).trim())) {
                    pids.add(Long.parseLong(entry.getFileName().toString()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable /proc: no processes
        }
        return pids;
    }

    /** The command line (the process title for PostgreSQL), arguments separated by spaces. */
    static String cmdline(long pid) {
        return read(PROC.resolve(Long.toString(pid)).resolve("cmdline")).replace('\0', ' ').trim();
    }

    private static long statTicks(Path stat) {
        String text = read(stat);
        int close = text.lastIndexOf(')');
        if (close < 0) {
            return 0;
        }
        String[] f = text.substring(close + 2).trim().split("\\s+");
        // after "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
        try {
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static long statusKb(long pid, String key) {
        for (String line : read(PROC.resolve(Long.toString(pid)).resolve("status")).split("\n")) {
            if (line.startsWith(key)) {
                String[] f = line.substring(key.length()).trim().split("\\s+");
                return Long.parseLong(f[0]);
            }
        }
        return 0;
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static int clockTicks() {
        try {
            return Integer.parseInt(Jvm.run(List.of("getconf", "CLK_TCK"), 10).trim());
        } catch (RuntimeException e) {
            return 100;
        }
    }
}
