package io.opcscraper.simulator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AlignedSamplingTest {

    @Test
    void slotsSitMidPeriodOnTheWallClock() {
        // 2 Hz: periods start at multiples of 500 ms, slots of a 500 ms sampling at 250 + n * 500.
        assertEquals(250, AlignedSampling.delayToNextSlot(1_000_000, 500, 250));
        assertEquals(1, AlignedSampling.delayToNextSlot(1_000_249, 500, 250));
        assertEquals(500, AlignedSampling.delayToNextSlot(1_000_250, 500, 250), "strictly after now");
        assertEquals(251, AlignedSampling.delayToNextSlot(1_000_499, 500, 250));
        // Sampling twice per period: mid-period and at the boundary.
        assertEquals(100, AlignedSampling.delayToNextSlot(1_000_150, 250, 250));
        // 3 Hz: 333.33 ms periods, slots at 166.67 + n * 333.33, rounded up to whole ms.
        long now = 1_764_000_000_000L;
        long delay = AlignedSampling.delayToNextSlot(now, 1000.0 / 3, 500.0 / 3);
        double slot = now + delay;
        double phaseInPeriod = slot % (1000.0 / 3);
        assertEquals(500.0 / 3, phaseInPeriod, 1.0);
    }
}
