package io.opcscraper.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --histogram}: {@code jcmd PID GC.class_histogram} (live objects only: it runs a full GC first), kept as
 * {@code gateway-histogram.txt} in the run's directory, its largest classes printed.
 */
final class ClassHistogram {

    static final int SHOWN = 25;

    private ClassHistogram() {
    }

    private static final java.util.regex.Pattern TOTAL = java.util.regex.Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    /** The bytes of live objects the histogram counted (its "Total" line), -1 without one. */
    static long totalBytes(String histogram) {
        java.util.regex.Matcher m = TOTAL.matcher(histogram);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    static void save(long pid, Path dir, String who) throws IOException {
        String histogram = Jvm.jcmd(pid, "GC.class_histogram");
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
