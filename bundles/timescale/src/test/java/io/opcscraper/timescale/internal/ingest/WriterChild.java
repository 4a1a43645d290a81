package io.opcscraper.timescale.internal.ingest;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import io.opcscraper.api.Sample;
import io.opcscraper.timescale.TestDatabase;
import io.opcscraper.timescale.internal.WriterComponent;
import io.opcscraper.testing.kura.TestSystem;
import io.opcscraper.timescale.testing.PlainCrypto;
import io.opcscraper.timescale.testing.WriterTable;

/**
 * Run in a child JVM by {@link WriterCrashTest}: a {@link WriterComponent} outside OSGi that
 * accepts {@link #sample deterministic samples} in batches of {@value #BATCH} forever, until it
 * is killed.
 *
 * <p>Arguments: table name, spool directory, JDBC URL (the test's proxy), first index, and
 * optionally a rate in samples per second (batches are then started no faster than that, like a
 * poller's cycle; 0 or absent: as fast as {@code accept()} returns) and a {@code spool.mode}. The
 * database user and password come from the environment ({@link TestDatabase#fromEnvironment()}),
 * never from the command line.
 *
 * <p>Output, one line each, flushed: {@code TRY <last index>} before a batch is handed to
 * {@code accept()} (nothing beyond it can be in the spool), {@code ACK <last index>} after
 * {@code accept()} returned (everything up to it must reach the table), {@code FAIL <reason>} if
 * {@code accept()} threw (then the child exits with status 2).
 */
public final class WriterChild {

    public static final int BATCH = 500;
    public static final String CLIENT_ID = "crash";
    public static final Instant BASE = Instant.parse("2026-03-01T00:00:00Z");

    private WriterChild() {
    }

    /** Sample number k: clientid "crash", nodeid "n(k % 100)", timestamp BASE + k µs, value k. */
    public static Sample sample(long k) {
        return new Sample(BASE.plus(k, ChronoUnit.MICROS), "n" + (k % 100), CLIENT_ID, "sensor", "tag", (double) k, 0);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4 || args.length > 6) {
            System.err.println("usage: WriterChild <table> <spool dir> <jdbc url> <first index> [samples/s [spool.mode]]");
            System.exit(64);
        }
        String table = args[0];
        String spoolDir = args[1];
        String jdbcUrl = args[2];
        long next = Long.parseLong(args[3]);
        long rate = args.length >= 5 ? Long.parseLong(args[4]) : 0;
        String mode = args.length == 6 ? args[5] : "always";
        long batchNanos = rate > 0 ? 1_000_000_000L * BATCH / rate : 0;
        TestDatabase db = TestDatabase.fromEnvironment();

        Map<String, Object> properties = new WriterTable(db, table).writerProperties("crash-writer", jdbcUrl,
                Path.of(spoolDir));
        properties.put("batch.size", 1000);
        // No row cap: it would delete acknowledged samples the test then looks for.
        properties.put("max.rows", 0L);
        properties.put("spool.mode", mode);
        WriterComponent writer = new WriterComponent(new PlainCrypto(), TestSystem.unknown(), properties);

        PrintStream out = System.out;
        out.println("START " + next);
        out.flush();
        long due = System.nanoTime();
        while (true) {
            if (batchNanos > 0) {
                // The pace of a poller: the next batch is due one period after the previous one.
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                due += batchNanos;
            }
            List<Sample> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                batch.add(sample(next + i));
            }
            long last = next + BATCH - 1;
            out.println("TRY " + last);
            out.flush();
            try {
                writer.accept(batch);
            } catch (Exception e) {
                out.println("FAIL " + e.getMessage());
                out.flush();
                e.printStackTrace();
                System.exit(2);
            }
            out.println("ACK " + last);
            out.flush();
            next = last + 1;
        }
    }
}
