package io.opcscraper.opcua.internal.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.opcscraper.api.CatalogNode;
import io.opcscraper.api.Sample;

/** Where each node's collection had a gap: opened by a loss or a start, closed by the first live sample. */
class GapTrackerTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    private final GapTracker tracker = new GapTracker("test");

    private static CatalogNode node(String id, int accessLevel, Boolean historizing) {
        return new CatalogNode(id, "P/" + id, "S", id, "Double", -1, List.of(), accessLevel, null, accessLevel,
                historizing);
    }

    private static Sample sample(String id, Instant time) {
        return new Sample(time, id, "gw", "S", id, 1.0, 0);
    }

    private static long micros(Instant time) {
        return GapRule.micros(time);
    }

    @Test
    void aStartOpensEveryHistoryNodeWithAStartOnlyTheWriterKnows() {
        this.tracker.catalog(List.of(node("a", 5, true), node("b", 5, null), node("plain", 1, null),
                node("off", 5, false)));
        this.tracker.live(List.of(sample("a", T), sample("b", T.plusSeconds(1)), sample("plain", T),
                sample("off", T), sample("a", T.plusSeconds(2))));
        List<Gap> ready = this.tracker.take(10);
        assertEquals(List.of(new Gap("a", GapRule.UNKNOWN, micros(T)),
                new Gap("b", GapRule.UNKNOWN, micros(T.plusSeconds(1)))), ready,
                "only history-readable nodes, closed by their first live sample");
        assertTrue(this.tracker.take(10).isEmpty(), "the second sample of a is no gap");
    }

    @Test
    void aLossOpensAGapFromTheNewestSampleHandedOverToTheFirstAfter() {
        this.tracker.catalog(List.of(node("a", 5, true), node("b", 5, true)));
        this.tracker.live(List.of(sample("a", T), sample("b", T)));
        this.tracker.take(10);
        this.tracker.live(List.of(sample("a", T.plusSeconds(1)), sample("b", T.plusSeconds(1))));
        this.tracker.openAll();
        this.tracker.openAll(); // a second loss before any live value: the same gap
        this.tracker.live(List.of(sample("a", T.plusSeconds(40)), sample("a", T.plusSeconds(41))));
        assertEquals(List.of(new Gap("a", micros(T.plusSeconds(1)), micros(T.plusSeconds(40)))), this.tracker.take(10));
        this.tracker.live(List.of(sample("b", T.plusSeconds(42))));
        assertEquals(List.of(new Gap("b", micros(T.plusSeconds(1)), micros(T.plusSeconds(42)))), this.tracker.take(10));
    }

    @Test
    void aFailedReadOpensOnlyItsNodes() {
        this.tracker.catalog(List.of(node("a", 5, true), node("b", 5, true)));
        this.tracker.live(List.of(sample("a", T), sample("b", T)));
        this.tracker.take(10);
        this.tracker.open(List.of("b", "unknown"));
        this.tracker.live(List.of(sample("a", T.plusSeconds(1)), sample("b", T.plusSeconds(3))));
        assertEquals(List.of(new Gap("b", micros(T), micros(T.plusSeconds(3)))), this.tracker.take(10));
    }

    @Test
    void aNewCatalogKeepsWhatItKnowsAndOpensNewNodes() {
        this.tracker.catalog(List.of(node("a", 5, true)));
        this.tracker.live(List.of(sample("a", T)));
        this.tracker.take(10);
        this.tracker.catalog(List.of(node("a", 5, true), node("new", 5, true)));
        this.tracker.live(List.of(sample("a", T.plusSeconds(1)), sample("new", T.plusSeconds(1))));
        assertEquals(List.of(new Gap("new", GapRule.UNKNOWN, micros(T.plusSeconds(1)))), this.tracker.take(10));
        this.tracker.catalog(List.of(node("new", 5, true)));
        assertNull(this.tracker.node("a"), "a left the catalog");
    }

    @Test
    void aRefusedNodeIsTriedAgainOnlyWhenItsCatalogEntryChanges() {
        this.tracker.catalog(List.of(node("a", 5, true)));
        this.tracker.refuse("a");
        this.tracker.catalog(List.of(node("a", 5, true)));
        assertTrue(this.tracker.isRefused("a"), "the same entry: still refused");
        this.tracker.catalog(List.of(node("a", 7, true)));
        assertFalse(this.tracker.isRefused("a"), "its access level changed");
    }

    @Test
    void readyGapsAreBoundedTheOldestDropped() {
        List<CatalogNode> nodes = new ArrayList<>();
        for (int i = 0; i <= GapTracker.MAX_READY; i++) {
            nodes.add(node("n" + i, 5, true));
        }
        this.tracker.catalog(nodes);
        List<Sample> first = new ArrayList<>();
        nodes.forEach(n -> first.add(sample(n.nodeId(), T)));
        this.tracker.live(first);
        assertEquals(GapTracker.MAX_READY, this.tracker.readyCount());
        assertEquals(1, this.tracker.droppedGaps());
        List<Gap> taken = this.tracker.take(2);
        this.tracker.putBack(taken);
        assertEquals(GapTracker.MAX_READY, this.tracker.readyCount());
    }
}
