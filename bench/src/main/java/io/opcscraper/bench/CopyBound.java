package io.opcscraper.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import io.opcscraper.timescale.tooling.WriterTable;

/**
 * Raw bound A: how many rows a second binary COPY puts into the run's table when nothing else is in the
 * way. The writer's defaults: batches of {@value #BATCH_SIZE} rows, {@value #IN_FLIGHT} at once, each on
 * its own connection in its own transaction (one COPY + commit), the same COPY statement and encoder
 * ({@link WriterTable#encodeCopy}). The rows are the plant's (same node ids, names, one value each, every tag once per
 * period), encoded before the clock starts ({@link CopyRows}: only their timestamps are moved on when a batch is
 * reused); there is no spool and no progress bookkeeping.
 */
final class CopyBound {

    /** The writer's default batch.size (metatype io.opcscraper.timescale.Writer). */
    static final int BATCH_SIZE = 5000;
    /** The writer's default batches.in.flight. */
    static final int IN_FLIGHT = 2;

    /** Rows committed, over how long, and the CPU used meanwhile (PostgreSQL: the COPY sessions, all of it). */
    record Result(long rows, double seconds, CpuUsage cpu, String io) {
        double rowsPerSecond() {
            return rows / seconds;
        }
    }

    private CopyBound() {
    }

    static Result measure(Database db, BenchTable table, int tags, double rateHz, long simulatorPid, Duration duration)
            throws SQLException, InterruptedException {
        CopyRows batches = new CopyRows(tags, BATCH_SIZE, rateHz);
        String sql = table.copyStatement();
        List<Connection> connections = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
        try (Connection stats = db.connect("stats")) {
            Set<Long> backends = new HashSet<>();
            for (int i = 0; i < IN_FLIGHT; i++) {
                Connection c = db.connect("copy-bound");
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
                    r.next();
                    backends.add(r.getLong(1));
                }
                c.setAutoCommit(false);
                connections.add(c);
            }
            // Warm-up: one batch per connection, not counted.
            AtomicLong next = new AtomicLong();
            for (Connection c : connections) {
                long n = next.getAndIncrement();
                copy(c, sql, batches.batch(n, new byte[batches.length(n)]));
            }
            AtomicLong rows = new AtomicLong();
            DbStats io = DbStats.take(stats);
            CpuSnapshot before = CpuSnapshot.take(-1, simulatorPid, backends);
            long start = System.nanoTime();
            long deadline = start + duration.toNanos();
            List<Future<Long>> ends = new ArrayList<>();
            for (Connection c : connections) {
                ends.add(pool.submit(() -> {
                    byte[] buffer = new byte[0];
                    while (System.nanoTime() < deadline) {
                        long n = next.getAndIncrement();
                        if (buffer.length != batches.length(n)) {
                            buffer = new byte[batches.length(n)];
                        }
                        copy(c, sql, batches.batch(n, buffer));
                        rows.addAndGet(BATCH_SIZE);
                    }
                    return System.nanoTime();
                }));
            }
            long end = start;
            for (Future<Long> f : ends) {
                try {
                    end = Math.max(end, f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new SQLException("COPY bound failed: " + e.getCause(), e.getCause());
                }
            }
            CpuUsage cpu = CpuUsage.between(before, CpuSnapshot.take(-1, simulatorPid, backends));
            return new Result(rows.get(), (end - start) / 1e9, cpu, DbStats.perRow(io, DbStats.take(stats), rows.get()));
        } finally {
            pool.shutdownNow();
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    private static void copy(Connection c, String sql, byte[] batch) throws SQLException {
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        try {
            copy.copyIn(sql, new ByteArrayInputStream(batch));
        } catch (IOException e) {
            throw new SQLException("COPY stream failed: " + e.getMessage(), "08006", e);
        }
        c.commit();
    }

}
