package io.opcscraper.timescale.internal.maintenance;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.timescale.internal.maintenance.JobStats.Job;
import io.opcscraper.timescale.internal.maintenance.JobStats.Role;

/**
 * Watches the TimescaleDB jobs of the writer's table (community edition: the row-cap job, the
 * retention policy, the aggregates' refresh policies) once a minute. A job is <em>unhealthy</em>
 * when its last run failed, when it is paused, or when it has not succeeded within twice its
 * interval (counted from its last success, or from when this writer first saw it). The first time
 * a job is unhealthy: one WARN with the database's own error text; it is the writer's problem in
 * its status; while the row-cap job or the retention policy is unhealthy the writer runs that work
 * itself ({@link Maintenance}). When the job succeeds again: one INFO line. Writer thread only.
 *
 * <p>A real case: TimescaleDB 2.29.2 on PostgreSQL 17.12 failed every background job with
 * {@code cannot drop portal "" while it is being set up} (SQLSTATE 24000), so {@code max.rows} was
 * never enforced while the writer trusted the job.
 */
public final class JobHealth {

    private static final Logger LOG = LoggerFactory.getLogger(JobHealth.class);
    static final long CHECK_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final String name;
    private final String table;
    /** Unhealthy jobs: id to the problem said for it. */
    private final Map<Integer, Unhealthy> unhealthy = new TreeMap<>();
    /** When this writer first saw each job (the database's clock). */
    private final Map<Integer, OffsetDateTime> firstSeen = new HashMap<>();
    private long nextCheckNanos;
    private boolean checked;
    /** The first unhealthy job's problem, published for the status (any thread reads it). */
    private volatile String problem;

    private record Unhealthy(Job job, String problem) {
    }

    /** Where the jobs' statistics come from: {@link JobStats#read} (a fake in tests). */
    @FunctionalInterface
    public interface Source {
        List<Job> read(Connection c, String table) throws SQLException;
    }

    private final Source source;
    private final LongSupplier nanoTime;

    public JobHealth(String name, String table) {
        this(name, table, JobStats::read, System::nanoTime);
    }

    /**
     * Watches the jobs of {@code table}, of the per-clientid row-cap jobs only those of the clientids
     * {@code own} accepts (this writer's).
     */
    public JobHealth(String name, String table, Predicate<String> own) {
        this(name, table, (c, t) -> JobStats.read(c, t, own), System::nanoTime);
    }

    JobHealth(String name, String table, Source source, LongSupplier nanoTime) {
        this.name = name;
        this.table = table;
        this.source = source;
        this.nanoTime = nanoTime;
    }

    /** Reads the jobs' statistics if a minute has passed since the last check (on {@code c}, auto-commit on). */
    public void checkIfDue(Connection c) throws SQLException {
        long now = this.nanoTime.getAsLong();
        if (this.checked && now - this.nextCheckNanos < 0) {
            return;
        }
        this.checked = true;
        this.nextCheckNanos = now + CHECK_INTERVAL_NANOS;
        judge(this.source.read(c, this.table));
    }

    /** Whether the row-cap job is unhealthy: the writer runs the row cap itself. Writer thread. */
    public boolean rowCapUnhealthy() {
        return this.unhealthy.values().stream().anyMatch(u -> u.job().role() == Role.ROW_CAP);
    }

    /** Whether the retention policy is unhealthy: the writer runs retention itself. */
    public boolean retentionUnhealthy() {
        return this.unhealthy.values().stream().anyMatch(u -> u.job().role() == Role.RETENTION);
    }

    /** The problem of the first unhealthy job, for the status (any thread). */
    public Optional<String> problem() {
        return Optional.ofNullable(this.problem);
    }

    /** Takes what the database says of the jobs: says what became unhealthy, and what is healthy again. */
    void judge(List<Job> jobs) {
        for (Job job : jobs) {
            OffsetDateTime seen = this.firstSeen.computeIfAbsent(job.id(), id -> job.now());
            Optional<String> problem = problem(job, seen);
            Unhealthy was = this.unhealthy.get(job.id());
            if (problem.isPresent()) {
                if (was == null) {
                    this.unhealthy.put(job.id(), new Unhealthy(job, problem.get()));
                    LOG.warn("{}: {} {}; {}", this.name, describe(job), problem.get(), meanwhile(job.role()));
                } else {
                    LOG.debug("{}: {} still unhealthy: {}", this.name, describe(job), problem.get());
                }
            } else if (was != null) {
                this.unhealthy.remove(job.id());
                LOG.info("{}: {} succeeded at {}: healthy again{}", this.name, describe(job),
                        shown(job.lastSuccess()), job.role() == Role.REFRESH ? ""
                                : "; the writer stops running the " + work(job.role()) + " itself");
            }
        }
        // A job that is gone (deleted, replaced by provisioning) is no longer anyone's problem.
        this.unhealthy.keySet().retainAll(jobs.stream().map(Job::id).toList());
        this.problem = this.unhealthy.values().stream().findFirst()
                .map(u -> describe(u.job()) + " " + u.problem()).orElse(null);
    }

    /**
     * Why a job is unhealthy, or empty: its last run failed, it is paused, or it has not succeeded
     * within twice its interval since its last success or since it was first seen.
     */
    static Optional<String> problem(Job job, OffsetDateTime firstSeen) {
        if ("Failed".equals(job.lastRunStatus())) {
            String error = job.errorMessage() == null ? "no error text recorded"
                    : (job.errorCode() == null ? "" : job.errorCode() + " ") + job.errorMessage().replace('\n', ' ');
            return Optional.of("failed" + (job.errorTime() == null ? "" : " at " + shown(job.errorTime())) + ": "
                    + error);
        }
        if (!job.scheduled()) {
            return Optional.of("is paused (not scheduled)");
        }
        OffsetDateTime since = job.lastSuccess() != null ? job.lastSuccess() : firstSeen;
        long quietS = Duration.between(since, job.now()).getSeconds();
        long boundS = (long) Math.ceil(2 * job.intervalS());
        if (quietS > boundS) {
            return Optional.of("has not succeeded for " + quietS + " s, more than twice its interval (" + boundS
                    + " s)" + (job.lastSuccess() == null ? " since this writer first saw it" : ""));
        }
        return Optional.empty();
    }

    private static String describe(Job job) {
        return "TimescaleDB job " + job.id() + " (" + job.procName() + " on " + job.on() + ")";
    }

    private static String meanwhile(Role role) {
        switch (role) {
            case ROW_CAP:
                return "the writer runs the row cap itself (every row.cap.interval.s) until the job succeeds again";
            case RETENTION:
                return "the writer runs retention itself (every row.cap.interval.s) until the job succeeds again";
            default:
                return "the aggregate is not materialized meanwhile (its real-time part still answers queries)";
        }
    }

    private static String work(Role role) {
        return role == Role.ROW_CAP ? "row cap" : "retention";
    }

    private static String shown(OffsetDateTime time) {
        return time == null ? "(unknown)" : time.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
