package io.opcscraper.launcher.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the local gateway the way that loses nothing: the OPC UA side first (the poller hands
 * what waits in memory to the writer as it deactivates), then the writer gets up to
 * {@code flushSeconds} to commit its spool (what is left stays on disk and is replayed at the
 * next start), then the other bundles of the deployment package stop (the writer closes its
 * spool), the summary is printed and the process exits with code 0 (2 after a refused
 * configuration, see {@link #begin(String, int)}). The framework itself is not
 * stopped: bnd's launcher would then exit with its own code, and nothing of ours runs any more.
 */
final class OrderlyStop {

    private static final Logger LOG = LoggerFactory.getLogger(OrderlyStop.class);
    static final String SOURCES_BUNDLE = "io.opcscraper.opcua";

    private volatile StatusBoard board;
    private volatile List<Bundle> product = List.of();
    private final int flushSeconds;
    private final PrintStream out;
    private final AtomicBoolean started = new AtomicBoolean();

    OrderlyStop(int flushSeconds, PrintStream out) {
        this.flushSeconds = flushSeconds;
        this.out = out;
    }

    /** The counters to flush and summarize; none before the deployment package is installed. */
    void watch(StatusBoard statusBoard, List<Bundle> productBundles) {
        this.product = List.copyOf(productBundles);
        this.board = statusBoard;
    }

    /** Starts the stop on its own (non-daemon) thread; a second call while it runs does nothing. */
    boolean begin(String why) {
        return begin(why, 0);
    }

    /**
     * Like {@link #begin(String)}, but the process exits with {@code exitCode} (2: the
     * configuration was refused, as ./run exits for a bad option).
     */
    boolean begin(String why, int exitCode) {
        if (!this.started.compareAndSet(false, true)) {
            return false;
        }
        Thread thread = new Thread(() -> run(why, exitCode), "opcscraper-orderly-stop");
        thread.setDaemon(false);
        thread.start();
        return true;
    }

    private void run(String why, int exitCode) {
        StatusBoard counters = this.board;
        if (counters == null) {
            this.out.println("stopping (" + why + ") before the deployment package was installed");
            this.out.flush();
            Runtime.getRuntime().halt(exitCode);
            return;
        }
        stopWatching(why, counters, exitCode);
    }

    private void stopWatching(String why, StatusBoard counters, int exitCode) {
        long start = System.nanoTime();
        this.out.println("stopping (" + why + "): OPC UA side first, then the writer flushes its spool (up to "
                + this.flushSeconds + " s)");
        stopSources();
        Totals before = counters.totals();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(this.flushSeconds);
        Totals now = before;
        // A wait loop in production code: the writer's own thread drains the spool; we only watch.
        while (now.spool() > 0 && System.nanoTime() < deadline && writerHealthy(now)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            now = counters.totals();
        }
        if (now.spool() > 0) {
            this.out.println("stopping: " + now.spool() + " samples stay in the spool on disk"
                    + (writerHealthy(now) ? " (flush time is up)" : " (" + now.writerError() + ")")
                    + "; they are written at the next start");
        }
        stopProduct();
        // The writer is stopped now; the board kept its last counters.
        Totals last = counters.totals();
        String summary = last.summary() + " stop_ms=" + (System.nanoTime() - start) / 1_000_000;
        this.out.println(summary);
        this.out.flush();
        counters.close();
        // bnd's launcher would exit with the framework's stop reason; a clean stop is success
        // (unless the stop was begun for a refused configuration).
        Runtime.getRuntime().halt(exitCode);
    }

    private static boolean writerHealthy(Totals totals) {
        return totals.writerError() == null;
    }

    private void stopSources() {
        this.product.stream().filter(b -> SOURCES_BUNDLE.equals(b.getSymbolicName())).forEach(OrderlyStop::stop);
    }

    /** The deployment package's bundles in reverse order (SCR deactivates their components synchronously). */
    private void stopProduct() {
        List<Bundle> reverse = new ArrayList<>(this.product);
        Collections.reverse(reverse);
        reverse.forEach(OrderlyStop::stop);
    }

    private static void stop(Bundle bundle) {
        if (bundle.getState() != Bundle.ACTIVE) {
            return;
        }
        try {
            bundle.stop(Bundle.STOP_TRANSIENT);
        } catch (BundleException | IllegalStateException e) {
            Say.warn(LOG, "stopping {} failed: {}", bundle.getSymbolicName(), e.toString());
        }
    }
}
