package io.opcscraper.timescale.internal.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.opcscraper.timescale.internal.spool.LongRanges;

class DropAccountingTest {

    private final List<String> lines = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong(1_000);
    private final DropAccounting accounting = new DropAccounting("writer", 1 << 20, new DropAccounting.Log() {
        @Override
        public void error(String message) {
            lines.add("ERROR " + message);
        }

        @Override
        public void info(String message) {
            lines.add("INFO " + message);
        }
    }, clock::get);

    private static LongRanges ranges(long... pairs) {
        LongRanges ranges = new LongRanges();
        for (int i = 0; i < pairs.length; i += 2) {
            ranges.add(pairs[i], pairs[i + 1]);
        }
        return ranges;
    }

    private static LongRanges map(long... pairs) {
        return ranges(pairs);
    }

    @Test
    void droppedSamplesThatNothingHoldsAreLostAndLoggedAtOnce() {
        accounting.dropped(ranges(101, 200));
        accounting.settle(100, map(), map());
        assertEquals(100, accounting.lost());
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("ERROR writer: spool full: dropped 100 oldest samples (seq 101..200) that "
                + "were not written"), lines.get(0));
        assertTrue(lines.get(0).contains("100 dropped since start"), lines.get(0));
    }

    @Test
    void droppedSamplesAtOrBelowTheMarkerOrCommittedBeyondItWereWritten() {
        accounting.dropped(ranges(1, 300));
        accounting.settle(100, map(151, 200), map());
        assertEquals(50 + 100, accounting.lost(), "101..150 and 201..300");
        assertTrue(lines.get(0).contains("dropped 150 oldest samples (seq 101..300)"), lines.get(0));
    }

    @Test
    void aBatchInFlightDecidesItsDroppedSamplesWhenItEnds() {
        accounting.dropped(ranges(101, 200));
        accounting.settle(100, map(), map(101, 150));
        assertEquals(50, accounting.lost(), "151..200 only: 101..150 are in memory, in flight");
        // The batch committed: the marker passed it.
        accounting.settle(150, map(), map());
        assertEquals(50, accounting.lost());
        // Another batch in flight fails: its dropped samples are lost.
        accounting.dropped(ranges(201, 250));
        accounting.settle(150, map(), map(201, 250));
        assertEquals(50, accounting.lost());
        accounting.settle(150, map(), map());
        assertEquals(100, accounting.lost());
    }

    @Test
    void aReconnectTakesBackWhatTheDatabaseSaysCommitted() {
        accounting.dropped(ranges(101, 400));
        accounting.settle(100, map(), map());
        assertEquals(300, accounting.lost());
        // The database: the marker at 150 (another session, or a reply lost), 301..350 recorded.
        accounting.reconcile(100, 150, map(301, 350, 500, 600));
        assertEquals(200, accounting.lost());
        assertEquals("INFO writer: 100 samples counted as dropped had been written after all (seq 101..350, found in "
                + "the database); 200 dropped since start", lines.get(1));
        // Nothing more to take back.
        accounting.reconcile(150, 150, map(301, 350));
        assertEquals(200, accounting.lost());
        assertEquals(2, lines.size());
    }

    @Test
    void whatIsTakenBackBeforeItWasLoggedIsNotInAnyLine() {
        accounting.dropped(ranges(101, 200));
        accounting.settle(100, map(), map());
        accounting.dropped(ranges(201, 400));
        accounting.settle(100, map(), map()); // within the minute: not logged yet
        assertEquals(300, accounting.lost());
        accounting.reconcile(100, 100, map(151, 250));
        assertEquals(200, accounting.lost());
        accounting.flush();
        assertEquals(List.of(
                "ERROR writer: spool full: dropped 100 oldest samples (seq 101..200) that were not written, to keep the"
                        + " spool within spool.max.mb (1048576 bytes); 100 dropped since start (at most one such line a"
                        + " minute)",
                "INFO writer: 50 samples counted as dropped had been written after all (seq 151..200, found in the"
                        + " database); 200 dropped since start",
                "ERROR writer: spool full: dropped 150 oldest samples (seq 251..400) that were not written, to keep the"
                        + " spool within spool.max.mb (1048576 bytes); 200 dropped since start"), lines);
        // 100 - 50 + 150 = 200
    }

    @Test
    void atMostOneErrorLineAMinuteAndTheLinesAddUpToTheCount() {
        long marker = 0;
        for (int i = 0; i < 100; i++) {
            accounting.dropped(ranges(marker + 1, marker + 10));
            accounting.settle(marker, map(), map());
            marker += 10;
            clock.addAndGet(TimeUnit.SECONDS.toNanos(2));
        }
        accounting.flush();
        assertEquals(1000, accounting.lost());
        // 200 s: the first at once, then one a minute (3), and the rest at flush.
        assertEquals(5, lines.size(), String.join("\n", lines));
        long sum = 0;
        for (String line : lines) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(".*dropped (\\d+) oldest.*").matcher(line);
            assertTrue(m.matches(), line);
            sum += Long.parseLong(m.group(1));
        }
        assertEquals(1000, sum);
        accounting.flush();
        assertEquals(5, lines.size(), "nothing new, no line");
    }
}
