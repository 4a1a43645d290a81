package io.opcscraper.opcua.internal.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Gaps in groups of at most {@code maxNodes}, each one HistoryRead window (the oldest start to the
 * newest end) for every gap in it: gaps whose starts and ends lie within {@value #SLACK_MICROS} µs (or
 * a tenth of the first gap's length, if longer) of the group's first. After a session loss or a
 * restart the gaps of all nodes are alike (they differ by about one interval), so a group reads
 * little beyond what each gap needs; what it reads beyond is not stored ({@link GapRule#fills}).
 */
final class GapGroups {

    static final long SLACK_MICROS = 10_000_000L;

    private GapGroups() {
    }

    static List<List<Gap>> of(List<Gap> gaps, int maxNodes) {
        List<Gap> sorted = new ArrayList<>(gaps);
        sorted.sort(Comparator.comparingLong((Gap gap) -> gap.from()).thenComparingLong(Gap::to));
        List<List<Gap>> groups = new ArrayList<>();
        List<List<Gap>> open = new ArrayList<>();
        for (Gap gap : sorted) {
            List<Gap> group = null;
            for (int i = open.size() - 1; i >= 0 && group == null; i--) {
                if (alike(open.get(i).get(0), gap)) {
                    group = open.get(i);
                }
            }
            if (group == null) {
                group = new ArrayList<>();
                groups.add(group);
                open.add(group);
            }
            group.add(gap);
            if (group.size() >= maxNodes) {
                open.remove(group);
            }
        }
        return groups;
    }

    private static boolean alike(Gap first, Gap gap) {
        long slack = Math.max(SLACK_MICROS, (first.to() - first.from()) / 10);
        return gap.from() - first.from() <= slack && Math.abs(gap.to() - first.to()) <= slack;
    }
}
