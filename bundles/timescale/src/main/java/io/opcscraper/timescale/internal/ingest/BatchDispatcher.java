package io.opcscraper.timescale.internal.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.opcscraper.timescale.internal.batch.BatchWriter;
import io.opcscraper.timescale.internal.db.ConnectionFactory;
import io.opcscraper.timescale.internal.db.Jdbc;
import io.opcscraper.timescale.internal.db.WriteFailure;
import io.opcscraper.timescale.internal.spool.LongRanges;
import io.opcscraper.timescale.internal.spool.SpooledSample;

/**
 * Runs batches on {@code batches.in.flight} worker threads, each batch on a connection of its own
 * ({@link BatchWriter}), and hands back what each did as a {@link Completion}. The connections are
 * opened and closed together; each close starts a new <em>generation</em>: a batch that outlived
 * its connections reports into a later generation, where only the ranges it committed still mean
 * something. The counts are the writer thread's; completions arrive from the workers.
 */
final class BatchDispatcher {

    /**
     * What one batch did: the ranges it committed, or the failure that stopped it (the ranges that
     * committed before it stay committed).
     */
    record Completion(long generation, long first, long last, LongRanges committed, WriteFailure failure) {
    }

    private final BatchWriter writer;
    private final Runnable signal;
    private final ExecutorService workers;
    private final BlockingQueue<Connection> idle = new LinkedBlockingQueue<>();
    private final List<Connection> connections = new ArrayList<>();
    private final LinkedBlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private long generation;
    /** Batches dispatched in this generation whose completion was not taken yet. */
    private int inFlight;

    /**
     * @param signal wakes the writer thread when a batch completes
     */
    BatchDispatcher(String name, int threads, BatchWriter writer, Runnable signal) {
        this.writer = writer;
        this.signal = signal;
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, "timescale-batch-" + name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Opens one connection per worker. */
    void open(ConnectionFactory factory, int count) throws SQLException {
        for (int i = 0; i < count; i++) {
            Connection connection = factory.open();
            this.connections.add(connection);
            this.idle.add(connection);
        }
    }

    /** Batches of this generation in flight. */
    int inFlight() {
        return this.inFlight;
    }

    /** Starts a batch on the next free connection. */
    void submit(List<SpooledSample> batch) {
        long first = batch.get(0).sequence();
        long last = batch.get(batch.size() - 1).sequence();
        long dispatchedIn = this.generation;
        this.inFlight++;
        this.workers.execute(() -> {
            this.completions.add(work(dispatchedIn, first, last, batch));
            this.signal.run();
        });
    }

    /** The next completion, or null; one of this generation counts as no longer in flight. */
    Completion poll() {
        return counted(this.completions.poll());
    }

    /** The next completion within the timeout, or null. */
    Completion poll(long timeout, TimeUnit unit) throws InterruptedException {
        return counted(this.completions.poll(timeout, unit));
    }

    /** Whether a completion waits to be taken. */
    boolean hasCompletions() {
        return !this.completions.isEmpty();
    }

    /** Whether a completion belongs to the current generation. */
    boolean current(Completion completion) {
        return completion.generation() == this.generation;
    }

    /**
     * Closes every connection (the batches in flight fail with them) and starts a new generation;
     * the caller takes the completions first.
     */
    void closeConnections() {
        this.connections.forEach(Jdbc::closeQuietly);
        this.connections.clear();
        this.idle.clear();
    }

    /** The batches of this generation that did not report are given up; a new generation starts. */
    void nextGeneration() {
        this.generation++;
        this.inFlight = 0;
    }

    void shutdown() {
        this.workers.shutdownNow();
    }

    private Completion counted(Completion completion) {
        if (completion != null && current(completion)) {
            this.inFlight--;
        }
        return completion;
    }

    /** One batch, on a worker thread and its own connection. */
    private Completion work(long dispatchedIn, long first, long last, List<SpooledSample> batch) {
        Connection connection;
        try {
            connection = this.idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Completion(dispatchedIn, first, last, new LongRanges(), WriteFailure.stopping());
        }
        LongRanges committed = new LongRanges();
        try {
            this.writer.write(connection, batch, committed);
            return new Completion(dispatchedIn, first, last, committed, null);
        } catch (WriteFailure e) {
            Jdbc.rollbackQuietly(connection);
            return new Completion(dispatchedIn, first, last, committed, e);
        } finally {
            if (!Jdbc.isClosed(connection)) {
                this.idle.add(connection);
            }
        }
    }
}
