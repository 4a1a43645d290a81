package io.opcscraper.opcua.internal.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.api.NodeTime;
import io.opcscraper.api.Sample;
import io.opcscraper.api.SampleSink;
import io.opcscraper.api.SinkUnavailableException;
import io.opcscraper.config.retry.Backoff;
import io.opcscraper.opcua.internal.connection.UaConnection;
import io.opcscraper.opcua.internal.ua.OperationLimits;
import io.opcscraper.opcua.internal.ua.Threads;

/**
 * Fills the gaps the {@link GapTracker} found from the server's history, in rounds (every second,
 * while a session is active, when gaps are ready): the gaps whose start only the writer knows are
 * asked of it ({@link SampleSink#lastStored}; a node it never stored has no gap), each gap is cut to
 * its newest {@code maxSeconds} ({@link GapRule#window}), the gaps are read in groups of similar
 * windows ({@link GapGroups}, {@link GroupRead}) with at most {@code requestsInFlight} requests at
 * once, and each page's values that fill their gap ({@link GapRule#fills}) go to the writer through
 * {@link SampleSink#accept}, the path of live samples, exactly once. <b>Live first</b>: a page is
 * handed over only while the writer's backlog is at most {@code valuesPerRequest}, so live samples
 * never wait behind more than one page of history. A gap left unfinished (a failure, a stop) is
 * filled later from where it got to; temporary failures wait with a capped backoff.
 */
public final class Backfill implements AutoCloseable {

    /** @param maxSeconds the newest part of a gap that is filled; valuesPerRequest per response, and the backlog bound */
    public record Settings(long maxSeconds, int valuesPerRequest, int requestsInFlight) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Backfill.class);
    static final int MAX_GAPS_PER_ROUND = 50_000;
    /** Nodes per lastStored question: bounds the memory of one answer. */
    static final int SEED_CHUNK = 1_000;
    private static final long ROUND_INTERVAL_MS = 1_000;
    private static final long PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long MAX_BACKOFF_MS = 60_000;

    private final String clientId;
    private final UaConnection connection;
    private final SampleSink sink;
    private final GapTracker tracker;
    private final Settings settings;
    private final HistoryMapping mapping;
    private final BackfillState state;
    private final BackfillLog log;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService requests;
    private final Backoff backoff = new Backoff(MAX_BACKOFF_MS);
    private volatile boolean stopped;
    private long nextAttemptNanos = System.nanoTime();
    private int nodesPerRequestCap = Integer.MAX_VALUE;

    public Backfill(UaConnection connection, SampleSink sink, GapTracker tracker, Settings settings,
            HistoryMapping mapping, BackfillState state) {
        this.clientId = connection.clientId();
        this.connection = connection;
        this.sink = sink;
        this.tracker = tracker;
        this.settings = settings;
        this.mapping = mapping;
        this.state = state;
        this.log = new BackfillLog(this.clientId, settings.maxSeconds());
        this.scheduler = Threads.scheduler("history", this.clientId);
        this.requests = Executors.newFixedThreadPool(settings.requestsInFlight(), r -> {
            Thread thread = new Thread(r, "opcua-history-read-" + this.clientId);
            thread.setDaemon(true);
            return thread;
        });
    }

    public void start() {
        this.scheduler.scheduleWithFixedDelay(this::tick, ROUND_INTERVAL_MS, ROUND_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            Optional<OpcUaClient> client = this.connection.client();
            if (!this.stopped && client.isPresent() && System.nanoTime() - this.nextAttemptNanos >= 0
                    && this.tracker.readyCount() > 0) {
                round(client.get());
            }
        } catch (RuntimeException e) {
            LOG.error("{}: history backfill round failed unexpectedly", this.clientId, e);
        }
    }

    private void round(OpcUaClient client) {
        long started = System.nanoTime();
        List<Gap> gaps = this.tracker.take(MAX_GAPS_PER_ROUND);
        try {
            gaps = seeded(gaps);
        } catch (SinkUnavailableException e) {
            this.tracker.putBack(gaps);
            waitAfter("the writer cannot tell what it stored (" + e.getMessage() + ")", gaps.size());
            return;
        }
        List<Gap> windows = new ArrayList<>(gaps.size());
        for (Gap gap : gaps) {
            Gap window = GapRule.window(gap, this.settings.maxSeconds());
            if (window != gap) {
                this.log.clamped(gap);
            }
            if (!GapRule.empty(window) && !this.tracker.isRefused(gap.nodeId())) {
                windows.add(window);
            }
        }
        RoundFill fill = new RoundFill(this.tracker, this.mapping, this::deliver);
        List<GroupRead.Outcome> outcomes = fill.run(client, GapGroups.of(windows, nodesPerRequest(client)),
                this.settings.valuesPerRequest(), this.requests, () -> this.stopped);
        String failure = settle(outcomes, fill);
        this.mapping.report();
        this.log.round(windows, fill.values(), System.nanoTime() - started);
        if (failure == null) {
            this.log.recovered();
            this.state.problem(null);
            this.backoff.reset();
        } else if (!this.stopped) {
            waitAfter(failure, this.tracker.readyCount());
        }
    }

    /** What each group's outcome leaves: gaps to fill later (from where they got to), nodes without history. */
    private String settle(List<GroupRead.Outcome> outcomes, RoundFill fill) {
        String failure = null;
        for (GroupRead.Outcome outcome : outcomes) {
            outcome.noHistory().forEach((gap, status) -> {
                this.tracker.refuse(gap.nodeId());
                this.log.noHistory(gap.nodeId(), status);
            });
            if (outcome.failure() == HistoryFailures.Verdict.NO_HISTORY) {
                outcome.later().forEach(gap -> {
                    this.tracker.refuse(gap.nodeId());
                    this.log.noHistory(gap.nodeId(), outcome.reason());
                });
                continue;
            }
            outcome.later().forEach(gap -> this.tracker.putBack(List.of(fill.progress(gap))));
            if (outcome.failure() == HistoryFailures.Verdict.SHRINK) {
                this.nodesPerRequestCap = Math.max(1, fill.largestGroup() / 2);
                this.log.shrunk(outcome.reason(), this.nodesPerRequestCap);
            } else if (outcome.failure() == HistoryFailures.Verdict.RETRY && failure == null) {
                failure = outcome.reason();
            }
        }
        this.log.reportNoHistory();
        return failure;
    }

    /** Gaps with their start: what the writer answered for those only it knows; a node it never stored has none. */
    private List<Gap> seeded(List<Gap> gaps) throws SinkUnavailableException {
        List<Gap> known = new ArrayList<>(gaps.size());
        List<Gap> unknown = new ArrayList<>();
        for (Gap gap : gaps) {
            (gap.fromKnown() ? known : unknown).add(gap);
        }
        for (int start = 0; start < unknown.size(); start += SEED_CHUNK) {
            List<Gap> chunk = unknown.subList(start, Math.min(unknown.size(), start + SEED_CHUNK));
            List<NodeTime> questions = new ArrayList<>(chunk.size());
            chunk.forEach(gap -> questions.add(new NodeTime(gap.nodeId(), GapRule.instant(gap.to()))));
            Map<String, Instant> stored = this.sink.lastStored(this.clientId, questions);
            for (Gap gap : chunk) {
                Instant last = stored.get(gap.nodeId());
                if (last != null) {
                    known.add(gap.from(GapRule.micros(last)));
                }
            }
        }
        return known;
    }

    private int nodesPerRequest(OpcUaClient client) {
        OperationLimits limits = OperationLimits.read(client, GroupRead.REQUEST_TIMEOUT_MS);
        int points = Math.max(1, limits.maxHistoryContinuationPoints() / this.settings.requestsInFlight());
        return Math.max(1, Math.min(Math.min(limits.maxNodesPerHistoryReadData(), points),
                Math.min(this.settings.valuesPerRequest(), this.nodesPerRequestCap)));
    }

    /**
     * Hands one page to the writer: only while its backlog is at most one page (live first), and
     * again after a backoff while it does not take samples.
     */
    private void deliver(List<Sample> samples) throws GroupRead.Stopped {
        if (samples.isEmpty()) {
            return;
        }
        Backoff refusals = new Backoff(MAX_BACKOFF_MS);
        while (true) {
            while (this.sink.backlog() > this.settings.valuesPerRequest()) {
                pause(PACE_NANOS);
            }
            try {
                this.sink.accept(samples);
                this.state.backfilled(samples.size());
                return;
            } catch (SinkUnavailableException | RuntimeException e) {
                this.state.problem("history backfill: the writer does not take samples: " + e.getMessage());
                pause(TimeUnit.MILLISECONDS.toNanos(refusals.nextDelayMs()));
            }
        }
    }

    private void pause(long nanos) throws GroupRead.Stopped {
        long end = System.nanoTime() + nanos;
        while (!this.stopped && end - System.nanoTime() > 0) {
            LockSupport.parkNanos(Math.min(PACE_NANOS, end - System.nanoTime()));
        }
        if (this.stopped) {
            throw new GroupRead.Stopped();
        }
    }

    private void waitAfter(String reason, int waiting) {
        long delayMs = this.backoff.nextDelayMs();
        this.nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
        this.state.problem("history backfill: " + reason);
        this.log.waiting(reason, waiting, delayMs);
    }

    @Override
    public void close() {
        this.stopped = true;
        this.scheduler.shutdown();
        this.requests.shutdown();
        try {
            if (!this.scheduler.awaitTermination(GroupRead.REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                this.scheduler.shutdownNow();
            }
            this.requests.awaitTermination(GroupRead.REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        this.requests.shutdownNow();
    }
}
