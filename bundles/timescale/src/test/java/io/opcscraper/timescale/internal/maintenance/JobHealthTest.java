package io.opcscraper.timescale.internal.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.opcscraper.timescale.internal.maintenance.JobStats.Job;
import io.opcscraper.timescale.internal.maintenance.JobStats.Role;
import io.opcscraper.itests.support.LogCapture;

/** The verdict on a job from what TimescaleDB says of it, and what the writer says and does about it. */
class JobHealthTest {

    private static final OffsetDateTime NOW = OffsetDateTime.parse("2026-12-06T10:00:00Z");
    private static final String PORTAL = "cannot drop portal \"\" while it is being set up";

    private static Job rowCap(String status, OffsetDateTime lastSuccess, String code, String message) {
        return new Job(1003, Role.ROW_CAP, "limit_t_rows_job", "limit_t_rows_job", 3600, true, status, lastSuccess,
                NOW, code, message, message == null ? null : NOW.minusMinutes(1));
    }

    @Test
    void aFailedRunIsUnhealthyWithTheDatabasesOwnText() {
        Optional<String> problem = JobHealth.problem(rowCap("Failed", NOW.minusHours(5), "24000", PORTAL), NOW);
        assertEquals(Optional.of("failed at 2026-12-06T09:59Z: 24000 " + PORTAL), problem);
    }

    @Test
    void aJobThatHasNotSucceededWithinTwiceItsIntervalIsUnhealthy() {
        assertEquals(Optional.empty(), JobHealth.problem(rowCap("Success", NOW.minusSeconds(7_200), null, null), NOW));
        assertEquals(Optional.of("has not succeeded for 7201 s, more than twice its interval (7200 s)"),
                JobHealth.problem(rowCap("Success", NOW.minusSeconds(7_201), null, null), NOW));
        // Never ran: counted from when this writer first saw it.
        assertEquals(Optional.empty(), JobHealth.problem(rowCap(null, null, null, null), NOW.minusSeconds(100)));
        assertEquals(Optional.of("has not succeeded for 8000 s, more than twice its interval (7200 s) since this "
                + "writer first saw it"), JobHealth.problem(rowCap(null, null, null, null), NOW.minusSeconds(8_000)));
    }

    @Test
    void aPausedJobIsUnhealthy() {
        Job paused = new Job(1004, Role.RETENTION, "policy_retention", "t", 86_400, false, "Success", NOW, NOW, null,
                null, null);
        assertEquals(Optional.of("is paused (not scheduled)"), JobHealth.problem(paused, NOW));
    }

    @Test
    void oneWarningWhenAJobTurnsUnhealthyAndOneLineWhenItIsHealthyAgain() throws Exception {
        JobHealth health = new JobHealth("w", "t");
        Job failing = rowCap("Failed", NOW.minusHours(5), "24000", PORTAL);
        try (LogCapture log = new LogCapture()) {
            health.judge(List.of(failing));
            health.judge(List.of(failing));
            assertEquals(1, log.text().lines().filter(l -> l.contains("WARN")).count(), log.text());
            String warning = log.line("TimescaleDB job 1003 (limit_t_rows_job on limit_t_rows_job) failed at");
            assertNotNull(warning, log.text());
            assertTrue(warning.contains("24000 " + PORTAL) && warning.contains("the writer runs the row cap itself"),
                    warning);
            assertTrue(health.rowCapUnhealthy());
            assertFalse(health.retentionUnhealthy());
            assertTrue(health.problem().orElseThrow().contains(PORTAL), health.problem().toString());

            health.judge(List.of(rowCap("Success", NOW, null, null)));
            assertNotNull(log.line("TimescaleDB job 1003 (limit_t_rows_job on limit_t_rows_job) succeeded at "
                    + "2026-12-06T10:00Z: healthy again; the writer stops running the row cap itself"), log.text());
            assertFalse(health.rowCapUnhealthy());
            assertEquals(Optional.empty(), health.problem());
        }
    }

    @Test
    void aFailedRefreshIsSaidButTheWriterTakesNothingOver() throws Exception {
        JobHealth health = new JobHealth("w", "t");
        Job refresh = new Job(1005, Role.REFRESH, "policy_refresh_continuous_aggregate", "rolling_avg_t1m", 60, true,
                "Failed", null, NOW, "XX000", "out of memory", NOW);
        try (LogCapture log = new LogCapture()) {
            health.judge(List.of(refresh));
            assertNotNull(log.line("the aggregate is not materialized meanwhile"), log.text());
        }
        assertFalse(health.rowCapUnhealthy());
        assertFalse(health.retentionUnhealthy());
        assertTrue(health.problem().isPresent());
    }

    @Test
    void aJobThatIsGoneIsNoLongerAProblem() {
        JobHealth health = new JobHealth("w", "t");
        health.judge(List.of(rowCap("Failed", null, "24000", PORTAL)));
        assertTrue(health.rowCapUnhealthy());
        health.judge(List.of());
        assertFalse(health.rowCapUnhealthy());
        assertNull(health.problem().orElse(null));
    }
}
