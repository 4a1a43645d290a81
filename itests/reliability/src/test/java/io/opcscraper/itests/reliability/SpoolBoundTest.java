package io.opcscraper.itests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fault 6 of issue 6: an outage far longer than the spool's bound holds ({@code spool.max.mb} = 1,
 * the minimum: 128 KiB segments, a few seconds of samples). The oldest samples are dropped,
 * counted (status and summary {@code dropped=}) and logged at ERROR ({@code spool full: dropped N
 * oldest samples}, at most one line a minute, the N of those lines less those an INFO line takes
 * back adding up to the count); the gateway (-Xmx256m) keeps its resident memory bounded and does
 * not crash; when the database returns the rest is written, exactly: rows = samples acknowledged
 * (the progress marker) - dropped, none twice, and the newest samples of the outage are the ones
 * kept.
 */
class SpoolBoundTest {

    private static final int TAGS = 4_000;
    private static final Duration OUTAGE = Duration.ofSeconds(25);
    private static final long RSS_BOUND_KB = 600 * 1024;
    private static final Pattern DROP_LINE = Pattern.compile(".*ERROR.*spool full: dropped (\\d+) oldest samples \\(seq (\\d+)\\.\\.(\\d+)\\).*");
    private static final Pattern TAKEN_BACK = Pattern.compile(".*INFO.*: (\\d+) samples counted as dropped had been written after all.*");

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void anOutageBeyondTheSpoolBoundDropsTheOldestCountsAndLogsThemAndWritesTheRestExactly() throws Exception {
        long t0 = System.nanoTime();
        DbFixture db = DbFixture.local();
        String table = "spoolbound_" + DbFixture.randomHex(4);
        try (DbFixture.Role role = DbFixture.createRole();
                PipelineFixture pipeline = new PipelineFixture("db-spool-bound", TAGS, 1)) {
            pipeline.startSimulator();
            pipeline.startGateway(role, table, Map.of("spool.max.mb:Integer", 1), "-Xmx256m");
            long ingest = pipeline.awaitSteady(2_800, Duration.ofSeconds(90));
            List<Long> rss = new ArrayList<>();
            rss.add(pipeline.rssKb());

            int before = pipeline.statuses().size();
            Instant stopped;
            Instant back;
            try {
                db.stop();
                stopped = Instant.now();
                int[] polls = { 0 };
                pipeline.hold(OUTAGE, () -> {
                    DbFixture.assertStillDown();
                    if (polls[0]++ % 3 == 0) {
                        rss.add(pipeline.rssKb());
                    }
                });
            } finally {
                db.start();
                back = Instant.now();
            }
            List<PipelineFixture.Status> during = pipeline.statuses().subList(before, pipeline.statuses().size());
            assertTrue(during.stream().anyMatch(s -> s.dropped() > 0), "the status line counts drops: " + during);
            long maxSpool = during.stream().mapToLong(PipelineFixture.Status::spool).max().orElse(0);

            pipeline.awaitStatuses("the writer reconnected and drained its spool", 2,
                    s -> s.ok() && s.spool() <= 3 * ingest, Duration.ofSeconds(150));
            rss.add(pipeline.rssKb());
            double recoveredS = Duration.between(back, Instant.now()).toMillis() / 1000.0;
            assertTrue(pipeline.gateway().process().isAlive(), "the gateway is running");

            PipelineFixture.Counts after = pipeline.stopAndCount(role, table);
            PipelineFixture.Summary summary = after.summary();
            long marker = after.marker();
            long rows = after.rows();
            long duplicates = after.duplicates();
            long dropped = summary.dropped();
            String counts = after.line();
            assertTrue(dropped > ingest * 10, "most of the outage's samples were dropped: " + counts);
            assertEquals(0, summary.spooled(), counts);
            assertEquals(0, summary.quarantined(), counts);
            assertEquals(summary.read(), summary.written() + dropped, "read = written + dropped: " + counts);
            assertEquals(marker - dropped, rows, "rows = samples acknowledged (the progress marker) - dropped: " + counts);
            assertEquals(summary.written(), rows, "rows = written: " + counts);
            assertEquals(0, duplicates, "no (nodeid, timestamp) twice: " + counts);

            // Logged at ERROR, with exact numbers: the N of the "spool full" lines, less what INFO lines
            // took back (samples of a batch whose reply the outage swallowed), add up to the count.
            List<String> log = pipeline.logLines();
            List<Matcher> drops = log.stream().map(DROP_LINE::matcher).filter(Matcher::matches).toList();
            assertTrue(!drops.isEmpty(), "an ERROR line 'spool full: dropped N oldest samples' in the log");
            long logged = drops.stream().mapToLong(m -> Long.parseLong(m.group(1))).sum();
            long takenBack = log.stream().map(TAKEN_BACK::matcher).filter(Matcher::matches)
                    .mapToLong(m -> Long.parseLong(m.group(1))).sum();
            assertEquals(dropped, logged - takenBack, "the dropped samples the ERROR lines name, less those taken back");
            // Not a line per segment: the first at once, then at most one a minute, and the rest at stop.
            long minutes = Duration.between(stopped, Instant.now()).toMinutes();
            assertTrue(drops.size() <= minutes + 2, drops.size() + " ERROR lines in " + minutes + " min");
            // Oldest first: each line's range after the previous one's.
            long firstDropped = Long.parseLong(drops.get(0).group(2));
            long lastDropped = Long.parseLong(drops.get(drops.size() - 1).group(3));
            for (int i = 1; i < drops.size(); i++) {
                assertTrue(Long.parseLong(drops.get(i - 1).group(3)) < Long.parseLong(drops.get(i).group(2)),
                        "drop ranges in order: " + drops.get(i - 1).group() + " / " + drops.get(i).group());
            }
            // On the clock too: the middle of the outage (5 to 8 s into it) is gone from the table.
            assertEquals(0, role.rowsBetween(table, stopped.plusSeconds(5), stopped.plusSeconds(8)),
                    "rows from 5 to 8 s into the outage (dropped as the oldest)");

            long maxRss = rss.stream().mapToLong(Long::longValue).max().orElse(-1);
            assertTrue(rss.stream().allMatch(r -> r > 0 && r < RSS_BOUND_KB),
                    "the gateway's RSS stays below " + RSS_BOUND_KB / 1024 + " MB (-Xmx256m): " + rss + " kB");
            System.out.printf("RESULT spool bound: %d s outage at %,d samples/s (%,d tags x 1 Hz, subscribe) with"
                    + " spool.max.mb=1: %,d oldest samples dropped (seq %d..%d), counted in status and summary and named by"
                    + " %d ERROR line(s) 'spool full: dropped N oldest samples' adding up to the same; spool never above"
                    + " %,d samples; gateway RSS %d..%d MB over %d samples (-Xmx256m), no crash; written again,"
                    + " drained %.0f s after the database was back; rows = acknowledged - dropped = %,d exactly,"
                    + " duplicated 0; test %d s%n", OUTAGE.toSeconds(), ingest, TAGS, dropped, firstDropped, lastDropped,
                    drops.size(), maxSpool, rss.stream().mapToLong(Long::longValue).min().orElse(-1) / 1024,
                    maxRss / 1024, rss.size(), recoveredS, rows, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
        }
    }
}
