package io.opcscraper.opcua.internal.poller;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.api.Sample;
import io.opcscraper.api.SampleSink;
import io.opcscraper.opcua.internal.connection.UaConnection;
import io.opcscraper.opcua.internal.discovery.UaCatalog;
import io.opcscraper.opcua.internal.structure.StructureTypes;
import io.opcscraper.opcua.internal.ua.OperationLimits;
import io.opcscraper.opcua.internal.ua.Requests;
import io.opcscraper.opcua.internal.ua.Threads;

/**
 * Poll mode: every interval, reads every readable catalog node in chunks of at most
 * MaxNodesPerRead (and our own cap), up to {@code reads.in.flight} chunks at once, and hands
 * the samples to the sink. Each chunk and each item is checked on its own: one failed chunk or
 * one Bad node does not stop the others. A cycle that overruns its interval is logged and the
 * missed ticks are skipped, not queued.
 */
final class PollLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PollLoop.class);
    private static final long OVERRUN_LOG_INTERVAL_MS = 60_000;

    private final UaConnection connection;
    private final UaCatalog catalog;
    private final PollerOptions options;
    private final SampleMapper mapper;
    private final SampleOutlet outlet;
    private final PollerState state;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong skippedTicks = new AtomicLong();
    private volatile boolean stopped;
    private OpcUaClient planClient;
    private long planGeneration = -1;
    private ReadPlan plan;
    private int chunkCap = Integer.MAX_VALUE;
    private long nextDueNanos;
    private long lastOverrunLogMs;
    private String lastProblem;

    PollLoop(UaConnection connection, UaCatalog catalog, SampleSink sink, PollerOptions options) {
        this(connection, catalog, sink, options, new PollerState(connection.clientId()));
    }

    PollLoop(UaConnection connection, UaCatalog catalog, SampleSink sink, PollerOptions options, PollerState state) {
        this.connection = connection;
        this.catalog = catalog;
        this.options = options;
        this.mapper = new SampleMapper(connection.clientId(), TimestampPolicy.of(options.timestampSource()),
                state.undecoded(), catalog::typeMismatch);
        this.outlet = new SampleOutlet(sink, options, state);
        this.state = state;
        this.scheduler = Threads.scheduler("poll", connection.clientId());
    }

    void start() {
        this.nextDueNanos = System.nanoTime();
        this.scheduler.execute(this::tick);
    }

    private void tick() {
        if (this.stopped) {
            return;
        }
        try {
            cycle();
        } catch (RuntimeException e) {
            LOG.error("{}: poll cycle failed unexpectedly", this.connection.clientId(), e);
        }
        long interval = TimeUnit.MILLISECONDS.toNanos(this.options.intervalMs());
        long now = System.nanoTime();
        this.nextDueNanos += interval;
        long skipped = 0;
        while (this.nextDueNanos <= now) {
            this.nextDueNanos += interval;
            skipped++;
        }
        if (skipped > 0) {
            this.skippedTicks.addAndGet(skipped);
            long nowMs = System.currentTimeMillis();
            if (nowMs - this.lastOverrunLogMs >= OVERRUN_LOG_INTERVAL_MS) {
                LOG.warn("{}: a poll of {} nodes took longer than interval.ms {}; skipped {} polls ({} in all)",
                        this.connection.clientId(), this.plan == null ? 0 : this.plan.nodeCount(),
                        this.options.intervalMs(), skipped, this.skippedTicks.get());
                this.lastOverrunLogMs = nowMs;
            }
        }
        if (!this.stopped) {
            this.scheduler.schedule(this::tick, this.nextDueNanos - now, TimeUnit.NANOSECONDS);
        }
    }

    private void cycle() {
        OpcUaClient client = this.connection.client().orElse(null);
        if (client == null) {
            this.outlet.missedAll();
            this.outlet.deliver(new ArrayList<>(), Instant.now());
            return;
        }
        if (client != this.planClient || this.catalog.generation() != this.planGeneration) {
            OperationLimits limits = OperationLimits.read(client, this.options.intervalMs() + 10_000L);
            this.planGeneration = this.catalog.generation();
            this.planClient = client;
            this.plan = ReadPlan.of(this.catalog.nodes(), client.getNamespaceTable(),
                    Math.min(limits.maxNodesPerRead(), this.chunkCap));
            this.outlet.catalogChanged(this.connection.clientId(), this.catalog.nodes());
            LOG.info("{}: polling {} nodes every {} ms in {} reads of at most {} nodes", this.connection.clientId(),
                    this.plan.nodeCount(), this.options.intervalMs(), this.plan.chunks().size(), this.plan.chunkSize());
        }
        StructureTypes types = this.catalog.structureTypes();
        this.mapper.structureTypes(types, types.sameNamespaces(client.getNamespaceTable()));
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>(this.plan.nodeCount()));
        Instant now = Instant.now();
        Semaphore inFlight = new Semaphore(this.options.readsInFlight());
        List<CompletableFuture<Void>> reads = new ArrayList<>();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<String> missed = Collections.synchronizedList(new ArrayList<>());
        for (ReadPlan.Chunk chunk : this.plan.chunks()) {
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            CompletableFuture<Void> read = client.readValues(0, TimestampsToReturn.Both, chunk.ids())
                    .orTimeout(Math.max(this.options.intervalMs() * 2L, 10_000L), TimeUnit.MILLISECONDS)
                    .handle((values, failure) -> {
                        inFlight.release();
                        if (failure != null) {
                            failures.add(chunkFailure(failure));
                            chunk.nodes().forEach(node -> missed.add(node.nodeId()));
                        } else {
                            List<Sample> mapped = new ArrayList<>(values.size());
                            for (int i = 0; i < values.size(); i++) {
                                this.mapper.map(chunk.nodes().get(i), values.get(i), now, mapped);
                            }
                            samples.addAll(mapped);
                        }
                        return null;
                    });
            reads.add(read);
        }
        try {
            CompletableFuture.allOf(reads.toArray(new CompletableFuture<?>[0]))
                    .get(Math.max(this.options.intervalMs() * 2L, 10_000L) + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException | TimeoutException e) {
            failures.add("reads did not complete: " + e.getClass().getSimpleName());
        }
        report(failures);
        this.mapper.report();
        this.outlet.deliver(new ArrayList<>(samples), now);
        this.outlet.missed(missed);
    }

    /** Why a chunk failed; a chunk too large for the server shrinks the chunks of the next plan. */
    private String chunkFailure(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof UaException) {
            long code = ((UaException) cause).getStatusCode().getValue();
            if (code == StatusCodes.Bad_TooManyOperations || code == StatusCodes.Bad_ResponseTooLarge
                    || code == StatusCodes.Bad_EncodingLimitsExceeded || code == StatusCodes.Bad_TcpMessageTooLarge) {
                this.chunkCap = Math.max(1, this.plan.chunkSize() / 2);
                this.planGeneration = -1;
                return Requests.name(code) + ": reads shrink to " + this.chunkCap + " nodes";
            }
            return Requests.name(code);
        }
        return cause instanceof TimeoutException ? "timed out" : cause.toString();
    }

    private void report(List<String> failures) {
        String problem = failures.isEmpty() ? null : failures.size() + " of " + this.plan.chunks().size()
                + " reads failed: " + failures.get(0);
        if (problem != null && !problem.equals(this.lastProblem)) {
            LOG.warn("{}: {}", this.connection.clientId(), problem);
        } else if (problem == null && this.lastProblem != null) {
            LOG.info("{}: reads succeed again", this.connection.clientId());
        }
        this.lastProblem = problem;
        this.state.readProblem(problem);
    }

    long samplesRead() {
        return this.state.read();
    }

    long skippedTicks() {
        return this.skippedTicks.get();
    }

    PendingSamples pending() {
        return this.outlet.pending();
    }

    @Override
    public void close() {
        this.stopped = true;
        this.scheduler.shutdownNow();
        try {
            this.scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
