package io.opcscraper.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where a JVM's memory goes, from {@code jcmd PID VM.native_memory summary} (the JVM must run with
 * {@code -XX:NativeMemoryTracking=summary}): the committed size of each category (Java Heap, Class, Thread,
 * Code, GC, Internal, Other: direct buffers, ...). Explains a resident set larger than the heap.
 */
final class NativeMemory {

    /** The JVM option that enables the tracking (a few percent of overhead). */
    static final String OPTION = "-XX:NativeMemoryTracking=summary";
    private static final Pattern CATEGORY = Pattern.compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)",
        Pattern.MULTILINE);
    private static final Pattern TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");

    private NativeMemory() {
    }

    /** The raw summary of a running JVM ("" if tracking is off or jcmd failed). */
    static String of(long pid) {
        return Jvm.jcmd(pid, "VM.native_memory", "summary");
    }

    /** "committed 412 MB: Java Heap 256, Class 60, ..." (MB, largest first), or why not. */
    static String describe(String summary) {
        Matcher total = TOTAL.matcher(summary);
        if (!total.find()) {
            return "no native memory summary (" + summary.trim().lines().findFirst().orElse("jcmd failed") + ")";
        }
        record Category(String name, long committedKb) {
        }
        List<Category> categories = new ArrayList<>();
        Matcher m = CATEGORY.matcher(summary);
        while (m.find()) {
            categories.add(new Category(m.group(1).trim(), Long.parseLong(m.group(3))));
        }
        return "committed " + Long.parseLong(total.group(2)) / 1024 + " MB: " + categories.stream()
            .filter(c -> c.committedKb() >= 1024)
            .sorted(Comparator.comparingLong(Category::committedKb).reversed())
            .map(c -> c.name() + " " + c.committedKb() / 1024)
            .collect(Collectors.joining(", "));
    }
}
