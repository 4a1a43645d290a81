package io.opcscraper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The pauses of a G1 log and what the window's say: pause time, heap after, allocation between pauses. */
class GcLogTest {

    private static final List<String> LOG = List.of(
        "[0.010s][info][gc] Using G1",
        "[1.000s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 100M->20M(256M) 4.000ms",
        "[2.000s][info][gc] GC(1) Pause Young (Concurrent Start) (G1 Evacuation Pause) 110M->30M(256M) 6.000ms",
        "[2.100s][info][gc] GC(1) Concurrent Mark Cycle 80.000ms",
        "[2.050s][info][gc] GC(1) Pause Remark 40M->35M(256M) 1.000ms",
        "[3.000s][info][gc] GC(2) Pause Full (System.gc()) 125M->10M(256M) 30.000ms",
        "[4.000s][info][gc] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 512K->256K(1G) 0.500ms");

    @Test
    void everyPauseIsParsedWithItsHeapInBytes() {
        List<GcLog.Pause> pauses = GcLog.parse(LOG);
        assertEquals(5, pauses.size(), "the concurrent cycle is not a pause");
        assertEquals(new GcLog.Pause(1.0, "Young (Normal) (G1 Evacuation Pause)", 100L << 20, 20L << 20, 4.0), pauses.get(0));
        assertEquals("Remark", pauses.get(2).kind());
        assertEquals(512L << 10, pauses.get(4).before());
    }

    @Test
    void theWindowCountsFromTheLastPauseBeforeIt() {
        GcLog.Figures f = GcLog.figures(GcLog.parse(LOG), 1);
        assertEquals(4, f.pauses());
        assertEquals(37.5, f.pauseMs(), 1e-9);
        assertEquals(35L << 20, f.maxAfter());
        assertEquals(1, f.fullPauses());
        // 110-20 + 40-30 + 125-35 (+ 0: the last pause's heap before is below the one after the full GC)
        assertEquals((90L + 10 + 90) << 20, f.allocated());
        assertEquals(3.0, f.allocSeconds(), 1e-9);
        assertEquals(1.25, f.pausePercent(3.0), 1e-9);
    }

    @Test
    void withoutTwoPausesThereIsNoRate() {
        GcLog.Figures f = GcLog.figures(GcLog.parse(LOG.subList(0, 2)), 0);
        assertEquals(1, f.pauses());
        assertEquals(Double.NaN, f.allocPerSecond());
    }
}
