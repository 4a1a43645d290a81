package io.opcscraper.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code jcmd PID GC.class_histogram}: a full GC and the count of the live objects by class in the same pause. One
 * histogram gives the live heap figure ({@link Flash#liveHeap}) and, with {@code --histogram}, is kept as
 * {@code gateway-histogram.txt} in the run's directory, its largest classes printed.
 */
final class ClassHistogram {

    static final int SHOWN = 25;

    private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    private ClassHistogram() {
    }

    /** The histogram of the JVM {@code pid}. */
    static String take(long pid) {
        return Jvm.jcmd(pid, "GC.class_histogram");
    }

    /** The bytes of live objects the histogram counted (its "Total" line), -1 without one. */
    static long totalBytes(String histogram) {
        Matcher m = TOTAL.matcher(histogram);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Keeps {@code histogram} of the {@code who} as {@code dir/gateway-histogram.txt} and prints its largest classes. */
    static void save(String histogram, Path dir, String who) throws IOException {
        Path file = dir.resolve("gateway-histogram.txt");
        Files.writeString(file, histogram, StandardCharsets.UTF_8);
        StringBuilder top = new StringBuilder("class histogram of the " + who + " (" + file + "), largest first:");
        histogram.lines().filter(l -> l.matches("\\s*\\d+:\\s+\\d+.*")).limit(SHOWN)
            .forEach(l -> top.append(System.lineSeparator()).append("  ").append(l.strip()));
        histogram.lines().filter(l -> l.strip().startsWith("Total")).findFirst()
            .ifPresent(l -> top.append(System.lineSeparator()).append("  ").append(l.strip()));
        Say.plain(top.toString());
    }
}
