package io.opcscraper.itests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fault 1 of issue 6: the database stopped for 60 s under about 5,000 samples/s (6,700 simulator
 * tags at 1 Hz, subscribed: 3 of 4 tags change every second), then started. The writer spools,
 * reconnects, drains; after the orderly stop nothing is lost and nothing is duplicated: rows =
 * the writer's progress marker (= samples acknowledged) = written = read, and no (nodeid, source
 * timestamp) twice. Prints the drain rate in a {@code RESULT database outage:} line.
 */
class DatabaseOutageTest {

    private static final int TAGS = 6_700;
    private static final Duration OUTAGE = Duration.ofSeconds(60);

    @Test
    @Timeout(value = 330, unit = TimeUnit.SECONDS)
    void aSixtySecondOutageUnderFiveThousandSamplesPerSecondLosesAndDuplicatesNothing() throws Exception {
        long t0 = System.nanoTime();
        DbFixture db = DbFixture.local();
        String table = "outage_" + DbFixture.randomHex(4);
        try (DbFixture.Role role = DbFixture.createRole();
                PipelineFixture pipeline = new PipelineFixture("db-outage", TAGS, 1)) {
            pipeline.startSimulator();
            pipeline.startGateway(role, table, Map.of());
            long ingest = pipeline.awaitSteady(4_800, Duration.ofSeconds(120));

            int before = pipeline.statuses().size();
            long stopMs;
            long startMs;
            long[] maxSpool = { 0 };
            long outageStart = System.nanoTime();
            try {
                stopMs = db.stop();
                pipeline.hold(OUTAGE, () -> {
                    DbFixture.assertStillDown();
                    maxSpool[0] = Math.max(maxSpool[0], pipeline.status().spool());
                });
            } finally {
                startMs = db.start();
            }
            long outageS = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - outageStart);
            List<PipelineFixture.Status> during = pipeline.statuses().subList(before, pipeline.statuses().size());
            assertTrue(during.stream().anyMatch(s -> !s.ok() && s.lastError().contains("timescale-writer")),
                    "the status line names the writer's error during the outage: " + during);
            assertTrue(during.stream().mapToLong(PipelineFixture.Status::read).sum() >= ingest * during.size() * 8 / 10,
                    "collection went on during the outage: " + during);
            long backlogAtStart = pipeline.status().spool();
            assertTrue(backlogAtStart >= ingest * 50, "the spool holds the outage's samples: " + backlogAtStart);

            long up = System.nanoTime();
            int upIndex = pipeline.statuses().size();
            pipeline.awaitStatuses("the writer reconnected and drained its spool", 2,
                    s -> s.ok() && s.spool() <= 3 * ingest, Duration.ofSeconds(180));
            double drainS = (System.nanoTime() - up) / 1e9;
            List<PipelineFixture.Status> after = pipeline.statuses().subList(upIndex, pipeline.statuses().size());
            int first = 0;
            while (first < after.size() && after.get(first).written() == 0) {
                first++;
            }
            int last = first;
            while (last < after.size() && after.get(last).spool() > 3 * ingest) {
                last++;
            }
            List<PipelineFixture.Status> catchingUp = after.subList(first, Math.max(first + 1, Math.min(last + 1, after.size())));
            long mean = Math.round(catchingUp.stream().mapToLong(PipelineFixture.Status::written).average().orElse(0));
            long peak = catchingUp.stream().mapToLong(PipelineFixture.Status::written).max().orElse(0);

            PipelineFixture.Counts counts = pipeline.stopAndCount(role, table);
            counts.assertNothingLost();
            long rows = counts.rows();
            assertEquals(0, role.openRanges(counts.writerId()), "no committed range left beyond the marker");

            System.out.printf("RESULT database outage: %d s outage (stop %d ms, start %d ms) at %,d samples/s (%,d tags x 1 Hz,"
                    + " subscribe); spool peaked at %,d samples; writer writing again %d s after the database was back"
                    + " (retry backoff); drain rate %,d samples/s mean over %d s of catch-up (peak %,d/s); back to steady"
                    + " state %.0f s after the database was back; lost 0, duplicated 0 (rows = marker = written = read ="
                    + " %,d); test %d s%n", outageS, stopMs, startMs, ingest, TAGS, maxSpool[0], first, mean,
                    catchingUp.size(), peak, drainS, rows, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
        }
    }
}
