package io.opcscraper.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A Java Flight Recorder recording of a running JVM over the measured window ({@code jcmd PID JFR.start}
 * with the "profile" settings and an execution sample every millisecond ({@code method-profiling=max}: the
 * gateway spends a few % of a core, so the default 10 or 20 ms gives too few samples), then
 * {@code JFR.dump} and {@code JFR.stop}), and what its execution samples say: the hottest methods (top
 * frame), the hottest methods of our own code and of the libraries (first frame of io.opcscraper /
 * org.postgresql / org.eclipse.milo / io.netty on the stack) and the threads that were sampled most; the
 * sampled allocation by site; garbage-collection pauses. {@code jfr print --events jdk.ExecutionSample FILE}
 * shows the raw samples. Shares of execution samples are not shares of CPU for short loops over data just
 * fetched from memory (docs/benchmarks.md, stop 20): check a hot spot with a harness before acting on it.
 */
final class FlightRecording {

    private static final String NAME = "bench";
    private final long pid;
    private final Path file;

    private FlightRecording(long pid, Path file) {
        this.pid = pid;
        this.file = file;
    }

    static FlightRecording start(long pid, Path file) {
        String out = Jvm.jcmd(pid, "JFR.start", "name=" + NAME, "settings=profile", "method-profiling=max");
        if (!out.contains("Started recording")) {
            Say.line("JFR.start on " + pid + " failed: " + out.trim());
        }
        return new FlightRecording(pid, file);
    }

    /** Dumps and stops the recording; returns the file, or null if none was written. */
    Path stop() {
        Jvm.jcmd(pid, "JFR.dump", "name=" + NAME, "filename=" + file);
        Jvm.jcmd(pid, "JFR.stop", "name=" + NAME);
        return Files.isRegularFile(file) ? file : null;
    }

    /** A short report of the execution samples of a recording file. */
    static String summarize(Path file, String who) throws IOException {
        Map<String, Long> topFrames = new HashMap<>();
        Map<String, Long> firstOwn = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> allocations = new HashMap<>();
        Map<String, long[]> collections = new HashMap<>();
        long allocated = 0;
        long samples = 0;
        java.time.Instant first = null;
        java.time.Instant last = null;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            first = first == null || event.getStartTime().isBefore(first) ? event.getStartTime() : first;
            last = last == null || event.getEndTime().isAfter(last) ? event.getEndTime() : last;
            String type = event.getEventType().getName();
            if (type.equals("jdk.GarbageCollection")) {
                long[] c = collections.computeIfAbsent(event.getString("name"), k -> new long[2]);
                c[0]++;
                c[1] += event.getDuration("sumOfPauses").toNanos();
                continue;
            }
            if (type.equals("jdk.ObjectAllocationSample")) {
                long weight = event.getLong("weight");
                allocated += weight;
                String site = event.getClass("objectClass").getName() + " in " + firstOwnFrame(event.getStackTrace());
                allocations.merge(site, weight, Long::sum);
                continue;
            }
            if (!type.equals("jdk.ExecutionSample")) {
                continue;
            }
            samples++;
            String thread = event.getThread("sampledThread") == null ? "?" : event.getThread("sampledThread").getJavaName();
            threads.merge(thread == null ? "?" : thread.replaceAll("\\d+", "#"), 1L, Long::sum);
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = stack.getFrames();
            topFrames.merge(method(frames.get(0)), 1L, Long::sum);
            firstOwn.merge(firstOwnFrame(stack), 1L, Long::sum);
        }
        double seconds = first == null ? 1 : Math.max(1, java.time.Duration.between(first, last).toMillis() / 1000.0);
        String nl = System.lineSeparator();
        StringBuilder gc = new StringBuilder();
        collections.forEach((name, c) -> gc.append(String.format("    %s: %d collections, %.0f ms of pauses (%.1f%% of "
            + "the time)%n", name, c[0], c[1] / 1e6, c[1] / 1e7 / seconds)));
        return who + ": " + samples + " execution samples in " + file.getFileName() + String.format(" (%.0f s)", seconds)
            + nl + "  hottest methods (top frame):" + nl + top(topFrames, samples, 12)
            + "  hottest application/library methods (first io.opcscraper, pgjdbc, Milo or Netty frame):" + nl
            + top(firstOwn, samples, 12)
            + "  threads:" + nl + top(threads, samples, 8)
            + String.format("  allocation: about %.0f MB/s (sampled); largest sites (class in first own frame):%n",
                allocated / 1e6 / seconds)
            + top(allocations, allocated, 8)
            + "  garbage collection:" + nl + gc;
    }

    /** The first io.opcscraper, pgjdbc, Milo or Netty frame of a stack, else its top frame. */
    private static String firstOwnFrame(RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return "?";
        }
        for (RecordedFrame frame : stack.getFrames()) {
            String type = frame.getMethod().getType().getName();
            if (type.startsWith("io.opcscraper.") || type.startsWith("org.postgresql.")
                || type.startsWith("org.eclipse.milo.") || type.startsWith("io.netty.")) {
                return method(frame);
            }
        }
        return method(stack.getFrames().get(0));
    }

    private static String method(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName() + " ("
            + type.substring(0, Math.max(0, type.lastIndexOf('.'))) + ")";
    }

    private static String top(Map<String, Long> counts, long total, int n) {
        return counts.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
            .limit(n)
            .map(e -> String.format("    %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey()))
            .collect(Collectors.joining());
    }
}
