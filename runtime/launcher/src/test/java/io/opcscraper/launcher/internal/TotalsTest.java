package io.opcscraper.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.opcscraper.api.ComponentStatus;

class TotalsTest {

    private static ComponentStatus status(String instance, String factoryPid, Map<String, Long> counters, String error) {
        return new ComponentStatus(instance, factoryPid, "running", counters, error);
    }

    @Test
    void sumsCountersAndPutsTheUpstreamErrorFirst() {
        Totals totals = Totals.of(List.of(
                status("w", "io.opcscraper.timescale.Writer", Map.of(ComponentStatus.SAMPLES_WRITTEN, 900L,
                        ComponentStatus.SPOOL_DEPTH, 100L, ComponentStatus.SAMPLES_DROPPED, 3L), "database unavailable"),
                status("p1", "io.opcscraper.opcua.Poller", Map.of(ComponentStatus.SAMPLES_READ, 600L), null),
                status("p2", "io.opcscraper.opcua.Poller", Map.of(ComponentStatus.SAMPLES_READ, 400L,
                        ComponentStatus.SAMPLES_DROPPED, 2L), null),
                status("d", "io.opcscraper.opcua.Discovery", Map.of(ComponentStatus.NODES, 50L), null),
                status("c", "io.opcscraper.opcua.Connection", Map.of(), "connect failed: Bad_Timeout")));
        assertEquals(50, totals.nodes());
        assertEquals(1000, totals.read());
        assertEquals(900, totals.written());
        assertEquals(100, totals.spool());
        assertEquals(5, totals.dropped());
        assertEquals("c: connect failed: Bad_Timeout", totals.lastError());
        assertEquals("w: database unavailable", totals.writerError());
    }

    @Test
    void ratesComeFromTwoSnapshots() {
        Totals before = Totals.of(List.of(status("p", "io.opcscraper.opcua.Poller",
                Map.of(ComponentStatus.SAMPLES_READ, 1_000L), null)));
        Totals after = Totals.of(List.of(status("p", "io.opcscraper.opcua.Poller",
                Map.of(ComponentStatus.SAMPLES_READ, 11_000L), null),
                status("w", "io.opcscraper.timescale.Writer", Map.of(ComponentStatus.SAMPLES_WRITTEN, 5_000L), null)));
        assertNull(after.lastError());
        assertEquals("status: nodes=0 read=2000/s written=1000/s spool=0 dropped=0 backfilled=0 last_error=none",
                after.line(before, 5.0));
        assertEquals("status: nodes=0 read=0/s written=0/s spool=0 dropped=0 backfilled=0 last_error=none",
                after.line(null, 0));
        assertEquals("summary: read=11000 written=5000 spooled=0 dropped=0 quarantined=0 backfilled=0",
                after.summary());
    }

    @Test
    void backfilledValuesAreSummedOverThePollers() {
        Totals totals = Totals.of(List.of(
                status("p1", "io.opcscraper.opcua.Poller", Map.of(ComponentStatus.SAMPLES_READ, 700L,
                        ComponentStatus.SAMPLES_BACKFILLED, 600L), null),
                status("p2", "io.opcscraper.opcua.Poller", Map.of(ComponentStatus.SAMPLES_BACKFILLED, 40L), null)));
        assertEquals(640, totals.backfilled());
        assertTrue(totals.line(null, 0).contains(" backfilled=640 last_error=none"), totals.line(null, 0));
        assertTrue(totals.summary().endsWith(" backfilled=640"), totals.summary());
    }
}
