package io.opcscraper.itests.reliability;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fault 5 of issue 6: the Writer's {@code db.password} changed at run time through the web
 * console's configuration manager (as its form's Save does), first to a wrong one, then back to
 * the right one. The writer reports the authentication failure (status line and log) without the
 * password, spools meanwhile, and writes everything once corrected: rows = progress marker =
 * written = read, no duplicate. Neither password appears in the log file or the output.
 */
class PasswordChangeTest {

    private static final int TAGS = 2_000;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aWrongPasswordSetAtRunTimeIsReportedWithoutThePasswordAndNothingIsLostOnceCorrected() throws Exception {
        long t0 = System.nanoTime();
        DbFixture.local();
        String table = "password_" + DbFixture.randomHex(4);
        String wrong = "wrong" + DbFixture.randomHex(10);
        try (DbFixture.Role role = DbFixture.createRole();
                PipelineFixture pipeline = new PipelineFixture("db-password", TAGS, 1)) {
            pipeline.startSimulator();
            pipeline.startGateway(role, table, Map.of());
            long ingest = pipeline.awaitSteady(1_400, Duration.ofSeconds(90));

            pipeline.setWriterProperties(Map.of("db.password", wrong));
            long changed = System.nanoTime();
            pipeline.awaitStatuses("the status line reports the authentication failure and the spool grows", 3,
                    s -> s.lastError().contains("28P01") && s.lastError().contains("password authentication failed")
                            && s.spool() >= 2 * ingest,
                    Duration.ofSeconds(60));
            double reportedS = (System.nanoTime() - changed) / 1e9;
            long spooledWhileWrong = pipeline.status().spool();
            Awaitility.await("the log's WARN line about the authentication failure").atMost(Duration.ofSeconds(20))
                    .until(() -> pipeline.logLines().stream().anyMatch(l -> l.contains("WARN")
                            && l.contains("timescale-writer: authentication failed: 28P01")
                            && l.contains("samples stay in the spool")));

            pipeline.setWriterProperties(Map.of("db.password", role.password()));
            long corrected = System.nanoTime();
            pipeline.awaitStatuses("the writer writes again and drains its spool", 2,
                    s -> s.ok() && s.spool() <= 3 * ingest, Duration.ofSeconds(60));
            double recoveredS = (System.nanoTime() - corrected) / 1e9;

            PipelineFixture.Counts counts = pipeline.stopAndCount(role, table);
            counts.assertNothingLost();
            long rows = counts.rows();

            long authWarnings = pipeline.logLines().stream()
                    .filter(l -> l.contains("timescale-writer: authentication failed: 28P01")).count();
            List<String> scanned = pipeline.logAndOutput();
            assertTrue(scanned.size() > 100, "the log and the output were read: " + scanned.size() + " lines");
            for (String secret : List.of(wrong, role.password())) {
                assertFalse(scanned.stream().anyMatch(l -> l.contains(secret)),
                        "a database password appears in the gateway's log or output: "
                                + scanned.stream().filter(l -> l.contains(secret)).findFirst().orElse(""));
            }
            System.out.printf("RESULT password change: db.password set wrong at run time through the web console"
                    + " (configMgr POST) at %,d samples/s: authentication failure (28P01, no password) in the status"
                    + " line %.1f s later and %d WARN line(s) in the log, %,d samples spooled meanwhile; corrected: spool"
                    + " drained %.1f s later; lost 0, duplicated 0 (rows = marker = written = read = %,d); neither"
                    + " password in %,d lines of log and output; test %d s%n", ingest, reportedS, authWarnings, spooledWhileWrong,
                    recoveredS, rows, scanned.size(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
        }
    }
}
