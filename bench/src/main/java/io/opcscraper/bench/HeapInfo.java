package io.opcscraper.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java heap of a running JVM, from {@code jcmd PID GC.heap_info}: used and committed ("total") heap,
 * and used metaspace, in MB. G1 prints one "garbage-first heap total ..K, used ..K" line; the serial and
 * parallel collectors one line per generation, which are summed.
 */
record HeapInfo(double usedMb, double committedMb, double metaspaceUsedMb, String raw) {

    private static final Pattern GENERATION = Pattern.compile(
        "^\\s*(garbage-first heap|def new generation|tenured generation|PSYoungGen|ParOldGen|Shenandoah|ZHeap|"
            + "the space|Java Heap)\\b.*?total (\\d+)K, used (\\d+)K", Pattern.MULTILINE);
    private static final Pattern Z_OR_SHENANDOAH = Pattern.compile("(\\d+)K max, (\\d+)K soft max, (\\d+)K committed, (\\d+)K used");
    private static final Pattern METASPACE = Pattern.compile("^\\s*Metaspace\\s+used (\\d+)K", Pattern.MULTILINE);

    static HeapInfo of(long pid) {
        return parse(Jvm.jcmd(pid, "GC.heap_info"));
    }

    static HeapInfo parse(String text) {
        long used = 0;
        long committed = 0;
        Matcher g = GENERATION.matcher(text);
        while (g.find()) {
            committed += Long.parseLong(g.group(2));
            used += Long.parseLong(g.group(3));
        }
        if (used == 0) {
            Matcher z = Z_OR_SHENANDOAH.matcher(text);
            if (z.find()) {
                committed = Long.parseLong(z.group(3));
                used = Long.parseLong(z.group(4));
            }
        }
        Matcher m = METASPACE.matcher(text);
        long metaspace = m.find() ? Long.parseLong(m.group(1)) : 0;
        if (used == 0) {
            return new HeapInfo(Double.NaN, Double.NaN, Double.NaN, text);
        }
        return new HeapInfo(used / 1024.0, committed / 1024.0, metaspace / 1024.0, text);
    }
}
