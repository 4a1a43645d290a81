package io.opcscraper.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's GC log ({@code -Xlog:gc:file=...}, the default decorations: uptime, level, tags), read for issue 13:
 * every pause with the heap before and after it, e.g.
 * {@code [12.345s][info][gc] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 24M->5M(256M) 3.456ms}.
 *
 * <p>The window's pauses are the lines written between two reads of the file (by line count). Bytes allocated
 * between two pauses are the heap before the later less the heap after the earlier (what the application added in
 * between); summed from the last pause before the window to the last pause in it, over the uptime between them, that
 * is the allocation rate. The log prints whole MB (truncated): about 1 MB of error per pause, small against the tens
 * of MB a young collection of this heap frees.
 */
final class GcLog {

    static final String OPTION_PREFIX = "-Xlog:gc:file=";

    private static final Pattern PAUSE = Pattern.compile(
        "^\\[([\\d.]+)s\\].*? GC\\(\\d+\\) Pause (.+?) (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\) ([\\d.]+)ms");

    /** One pause: uptime seconds, its kind ("Young (Normal) (G1 Evacuation Pause)"), heap before/after in bytes, ms. */
    record Pause(double uptime, String kind, long before, long after, double ms) {
    }

    /** What the window's pauses say. */
    record Figures(int pauses, double pauseMs, long maxAfter, long allocated, double allocSeconds, int fullPauses) {

        /** Stop-the-world time as % of the window's wall time. */
        double pausePercent(double windowSeconds) {
            return 100.0 * pauseMs / 1000.0 / windowSeconds;
        }

        /** Bytes allocated a second, NaN without two pauses to measure between. */
        double allocPerSecond() {
            return allocSeconds > 0 ? allocated / allocSeconds : Double.NaN;
        }

        double maxAfterMb() {
            return maxAfter / (1024.0 * 1024.0);
        }
    }

    private GcLog() {
    }

    /** The JVM option writing the log to {@code file}. */
    static String option(Path file) {
        return OPTION_PREFIX + file;
    }

    static List<Pause> parse(List<String> lines) {
        List<Pause> pauses = new ArrayList<>();
        for (String line : lines) {
            Matcher m = PAUSE.matcher(line);
            if (m.find()) {
                pauses.add(new Pause(Double.parseDouble(m.group(1)), m.group(2), bytes(m.group(3), m.group(4)),
                    bytes(m.group(5), m.group(6)), Double.parseDouble(m.group(9))));
            }
        }
        return pauses;
    }

    /**
     * The figures of the pauses from index {@code first} on; {@code first - 1}, when there is one, is the last pause
     * before the window: the allocation is counted from its heap after.
     */
    static Figures figures(List<Pause> pauses, int first) {
        double ms = 0;
        long maxAfter = 0;
        long allocated = 0;
        int full = 0;
        for (int i = first; i < pauses.size(); i++) {
            Pause p = pauses.get(i);
            ms += p.ms();
            maxAfter = Math.max(maxAfter, p.after());
            if (p.kind().startsWith("Full")) {
                full++;
            }
            if (i > 0) {
                allocated += Math.max(0, p.before() - pauses.get(i - 1).after());
            }
        }
        int from = Math.max(0, first - 1);
        double seconds = pauses.size() - from >= 2 ? pauses.get(pauses.size() - 1).uptime() - pauses.get(from).uptime() : 0;
        return new Figures(pauses.size() - first, ms, maxAfter, allocated, seconds, full);
    }

    private static long bytes(String number, String unit) {
        long n = Long.parseLong(number);
        return switch (unit) {
            case "K" -> n << 10;
            case "M" -> n << 20;
            default -> n << 30;
        };
    }

    /** The lines of the file, empty when it does not exist (yet). */
    static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }
}
