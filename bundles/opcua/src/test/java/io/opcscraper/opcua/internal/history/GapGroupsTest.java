package io.opcscraper.opcua.internal.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class GapGroupsTest {

    private static final long S = 1_000_000L;

    @Test
    void alikeGapsShareARequestUpToTheNodeLimit() {
        List<Gap> gaps = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            gaps.add(new Gap("n" + i, 1000 * S + i * S / 2, 1040 * S + i * S / 2));
        }
        assertEquals(List.of(5), sizes(GapGroups.of(gaps, 10)));
        assertEquals(List.of(2, 2, 1), sizes(GapGroups.of(gaps, 2)));
    }

    @Test
    void gapsFarApartAreReadApart() {
        List<Gap> gaps = List.of(new Gap("a", 1000 * S, 1030 * S), new Gap("b", 5000 * S, 5030 * S),
                new Gap("c", 1001 * S, 1031 * S), new Gap("d", 1000 * S, 1300 * S));
        List<List<Gap>> groups = GapGroups.of(gaps, 100);
        assertEquals(List.of(2, 1, 1), sizes(groups), groups.toString());
        assertEquals(List.of("a", "c"), groups.get(0).stream().map(Gap::nodeId).toList());
        assertEquals("b", groups.get(2).get(0).nodeId());
    }

    private static List<Integer> sizes(List<List<Gap>> groups) {
        return groups.stream().map(List::size).toList();
    }
}
