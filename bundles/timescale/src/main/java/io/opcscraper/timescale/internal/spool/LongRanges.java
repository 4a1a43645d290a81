package io.opcscraper.timescale.internal.spool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of sequence numbers kept as disjoint, merged, inclusive ranges (first to last): the one
 * range type of the writer (what the spool dropped, what committed, what is in flight). The spool
 * drops and the writer commits whole runs of consecutive sequences, so a few ranges hold millions
 * of sequences. Not thread-safe.
 *
 * <p>Written here rather than taken from Guava's {@code RangeSet}: the four operations the writer
 * needs on {@code long} pairs are shorter than the dependency (the bundle imports no Guava).
 */
public final class LongRanges {

    private final TreeMap<Long, Long> ranges = new TreeMap<>();
    private long count;

    /** Adds first..last (inclusive; nothing if last < first), merging with what touches it. */
    public void add(long first, long last) {
        if (last < first) {
            return;
        }
        long from = first;
        long to = last;
        Map.Entry<Long, Long> below = this.ranges.floorEntry(from);
        if (below != null && below.getValue() >= from - 1) {
            from = below.getKey();
            to = Math.max(to, below.getValue());
            remove(below);
        }
        for (Map.Entry<Long, Long> next = this.ranges.ceilingEntry(from); next != null && next.getKey() <= to + 1;
                next = this.ranges.ceilingEntry(from)) {
            to = Math.max(to, next.getValue());
            remove(next);
        }
        this.ranges.put(from, to);
        this.count += to - from + 1;
    }

    /** Removes first..last (inclusive) and returns what was removed. */
    public LongRanges remove(long first, long last) {
        LongRanges removed = new LongRanges();
        if (last < first) {
            return removed;
        }
        Map.Entry<Long, Long> entry = this.ranges.floorEntry(first);
        if (entry == null || entry.getValue() < first) {
            entry = this.ranges.ceilingEntry(first);
        }
        while (entry != null && entry.getKey() <= last) {
            long from = entry.getKey();
            long to = entry.getValue();
            remove(entry);
            if (from < first) {
                this.ranges.put(from, first - 1);
                this.count += first - from;
            }
            if (to > last) {
                this.ranges.put(last + 1, to);
                this.count += to - last;
            }
            removed.add(Math.max(from, first), Math.min(to, last));
            entry = this.ranges.higherEntry(to);
        }
        return removed;
    }

    /** Removes every sequence that other holds and returns what was removed. */
    public LongRanges removeAll(LongRanges other) {
        LongRanges removed = new LongRanges();
        for (long[] range : other.list()) {
            removed.addAll(remove(range[0], range[1]));
        }
        return removed;
    }

    public void addAll(LongRanges other) {
        for (long[] range : other.list()) {
            add(range[0], range[1]);
        }
    }

    /** Whether it holds {@code sequence}. */
    public boolean contains(long sequence) {
        Map.Entry<Long, Long> range = this.ranges.floorEntry(sequence);
        return range != null && range.getValue() >= sequence;
    }

    /**
     * The end of the run of held sequences that starts at or covers {@code from}: the highest q such
     * that every sequence of from..q is held, or {@code from - 1} when {@code from} is not held.
     */
    public long endOfRunFrom(long from) {
        Map.Entry<Long, Long> range = this.ranges.floorEntry(from);
        return range != null && range.getValue() >= from ? range.getValue() : from - 1;
    }

    /** How many of the sequences first..last (inclusive) it holds. */
    public long countBetween(long first, long last) {
        if (last < first) {
            return 0;
        }
        long n = 0;
        Map.Entry<Long, Long> range = this.ranges.floorEntry(first);
        if (range == null || range.getValue() < first) {
            range = this.ranges.ceilingEntry(first);
        }
        while (range != null && range.getKey() <= last) {
            n += Math.min(range.getValue(), last) - Math.max(range.getKey(), first) + 1;
            range = this.ranges.higherEntry(range.getKey());
        }
        return n;
    }

    /** How many sequences it holds. */
    public long count() {
        return this.count;
    }

    public boolean isEmpty() {
        return this.ranges.isEmpty();
    }

    /** The lowest sequence held; only when not empty. */
    public long first() {
        return this.ranges.firstKey();
    }

    /** The highest sequence held; only when not empty. */
    public long last() {
        return this.ranges.lastEntry().getValue();
    }

    /** The ranges, lowest first, as {first, last} pairs (a copy). */
    public List<long[]> list() {
        List<long[]> out = new ArrayList<>(this.ranges.size());
        this.ranges.forEach((from, to) -> out.add(new long[] { from, to }));
        return out;
    }

    public LongRanges copy() {
        LongRanges copy = new LongRanges();
        copy.ranges.putAll(this.ranges);
        copy.count = this.count;
        return copy;
    }

    public void clear() {
        this.ranges.clear();
        this.count = 0;
    }

    private void remove(Map.Entry<Long, Long> entry) {
        this.ranges.remove(entry.getKey());
        this.count -= entry.getValue() - entry.getKey() + 1;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("[");
        this.ranges.forEach((from, to) -> text.append(text.length() > 1 ? ", " : "").append(from)
                .append(from.equals(to) ? "" : ".." + to));
        return text.append(']').toString();
    }
}
