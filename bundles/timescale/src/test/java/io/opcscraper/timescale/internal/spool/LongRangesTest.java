package io.opcscraper.timescale.internal.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.Random;

import org.junit.jupiter.api.Test;

class LongRangesTest {

    @Test
    void addMergesTouchingAndOverlappingRanges() {
        LongRanges ranges = new LongRanges();
        ranges.add(10, 19);
        ranges.add(30, 39);
        ranges.add(20, 29); // touches both
        assertEquals("[10..39]", ranges.toString());
        assertEquals(30, ranges.count());
        ranges.add(5, 12);
        ranges.add(41, 41);
        ranges.add(50, 40); // empty
        assertEquals("[5..39, 41]", ranges.toString());
        assertEquals(36, ranges.count());
        assertEquals(5, ranges.first());
        assertEquals(41, ranges.last());
    }

    @Test
    void removeSplitsAndReturnsWhatWasRemoved() {
        LongRanges ranges = new LongRanges();
        ranges.add(1, 100);
        ranges.add(200, 300);
        LongRanges removed = ranges.remove(50, 250);
        assertEquals("[50..100, 200..250]", removed.toString());
        assertEquals("[1..49, 251..300]", ranges.toString());
        assertEquals(49 + 50, ranges.count());
        assertEquals("[]", ranges.remove(60, 70).toString());
        assertEquals("[20..30]", ranges.remove(20, 30).toString());
        assertEquals("[1..19, 31..49, 251..300]", ranges.toString());
        assertEquals("[1..19, 31..49, 251..300]", ranges.remove(Long.MIN_VALUE, Long.MAX_VALUE - 1).toString());
        assertTrue(ranges.isEmpty());
        assertEquals(0, ranges.count());
    }

    @Test
    void agreesWithABitSetOnRandomOperations() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            LongRanges ranges = new LongRanges();
            BitSet bits = new BitSet();
            for (int op = 0; op < 40; op++) {
                int a = random.nextInt(500);
                int b = a + random.nextInt(60) - 5;
                if (random.nextBoolean()) {
                    ranges.add(a, b);
                    if (b >= a) {
                        bits.set(a, b + 1);
                    }
                } else {
                    BitSet expected = new BitSet();
                    if (b >= a) {
                        expected.or(bits);
                        expected.and(range(a, b));
                        bits.andNot(range(a, b));
                    }
                    assertEquals(toRanges(expected).toString(), ranges.remove(a, b).toString());
                }
                assertEquals(toRanges(bits).toString(), ranges.toString());
                assertEquals(bits.cardinality(), ranges.count());
            }
        }
    }

    private static BitSet range(int a, int b) {
        BitSet set = new BitSet();
        set.set(a, b + 1);
        return set;
    }

    private static LongRanges toRanges(BitSet bits) {
        LongRanges ranges = new LongRanges();
        bits.stream().forEach(i -> ranges.add(i, i));
        return ranges;
    }
}
