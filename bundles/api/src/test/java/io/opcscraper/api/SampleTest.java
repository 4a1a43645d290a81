package io.opcscraper.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class SampleTest {

    @Test
    void qualityIsGoodOnlyWhenTheSeverityBitsAreZero() {
        assertTrue(sample(0L).isGood());
        assertTrue(sample(0x00A00000L).isGood()); // Good_Clamped style sub codes
        assertFalse(sample(0x80340000L).isGood()); // BadNodeIdUnknown
        assertFalse(sample(0x40000000L).isGood()); // Uncertain
    }

    @Test
    void timestampNodeAndClientAreRequired() {
        assertThrows(NullPointerException.class, () -> new Sample(null, "ns=2;s=a", "c", null, null, 1.0, 0));
        assertThrows(NullPointerException.class, () -> new Sample(Instant.EPOCH, null, "c", null, null, 1.0, 0));
        assertThrows(NullPointerException.class, () -> new Sample(Instant.EPOCH, "ns=2;s=a", null, null, null, 1.0, 0));
    }

    private static Sample sample(long quality) {
        return new Sample(Instant.EPOCH, "ns=2;s=a", "c", "s", "t", quality == 0 ? 1.0 : null, quality);
    }
}
