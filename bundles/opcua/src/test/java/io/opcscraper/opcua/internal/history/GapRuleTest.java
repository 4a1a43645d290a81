package io.opcscraper.opcua.internal.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The one rule: a history value is stored only strictly between the last stored and the first live value. */
class GapRuleTest {

    private static final long T = GapRule.micros(Instant.parse("2026-12-01T10:00:00Z"));
    private static final Gap GAP = new Gap("n", T, T + 30_000_000L);

    @Test
    void onlyValuesStrictlyBetweenTheStoredOnesFillTheGap() {
        assertFalse(GapRule.fills(GAP, T), "the last value stored before the loss is not stored again");
        assertTrue(GapRule.fills(GAP, T + 1), "one microsecond later");
        assertTrue(GapRule.fills(GAP, T + 29_999_999L));
        assertFalse(GapRule.fills(GAP, T + 30_000_000L), "the first live value is stored by live collection");
        assertFalse(GapRule.fills(GAP, T - 1_000_000L), "before the gap");
        assertFalse(GapRule.fills(GAP, T + 31_000_000L), "after the gap");
    }

    @Test
    void timesCompareInMicrosecondsTruncatedLikeTheTable() {
        Instant stored = Instant.parse("2026-12-01T10:00:00.000001Z");
        Gap gap = new Gap("n", GapRule.micros(stored), T + 1_000_000L);
        assertFalse(GapRule.fills(gap, GapRule.micros(stored.plusNanos(900))),
                "900 ns later is the same microsecond: the same row");
        assertTrue(GapRule.fills(gap, GapRule.micros(stored.plusNanos(1_000))));
        assertEquals(-1, GapRule.micros(Instant.EPOCH.minusNanos(1)), "toward the past before the epoch too");
        assertEquals(stored, GapRule.instant(GapRule.micros(stored)));
    }

    @Test
    void onlyTheNewestPartOfALongGapIsFilled() {
        Gap hour = new Gap("n", T, T + 3_600_000_000L);
        Gap window = GapRule.window(hour, 600);
        assertEquals(hour.to() - 600_000_000L, window.from());
        assertEquals(hour.to(), window.to());
        assertSame(GAP, GapRule.window(GAP, 600), "a gap within the bound is filled whole");
        assertEquals(600, window.seconds());
    }

    @Test
    void aGapWithoutRoomForAValueIsEmpty() {
        assertTrue(GapRule.empty(new Gap("n", T, T + 1)));
        assertTrue(GapRule.empty(new Gap("n", T, T)));
        assertTrue(GapRule.empty(new Gap("n", T, T - 5)), "a server clock that went back");
        assertFalse(GapRule.empty(new Gap("n", T, T + 2)));
    }
}
