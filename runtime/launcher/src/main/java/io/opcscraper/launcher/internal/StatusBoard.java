package io.opcscraper.launcher.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.api.ComponentStatus;
import io.opcscraper.api.StatusSource;

/**
 * Sums what every {@link StatusSource} reports and prints one status line every
 * {@value #INTERVAL_PROPERTY} seconds (default 5) on standard output:
 * {@code status: nodes=N read=R/s written=W/s spool=S dropped=D backfilled=B last_error=...}. The last
 * snapshot of an instance that went away is kept, so totals survive the orderly stop.
 *
 * <p>Created after the deployment package is installed: the API package comes with it, and the
 * launcher bundle imports it dynamically (it resolves before the package exists).
 */
final class StatusBoard implements AutoCloseable {

    static final String INTERVAL_PROPERTY = "opcscraper.status.interval.s";
    private static final Logger LOG = LoggerFactory.getLogger(StatusBoard.class);

    private final List<StatusSource> sources = new CopyOnWriteArrayList<>();
    private final ServiceTracker<StatusSource, StatusSource> tracker;
    private final Map<String, ComponentStatus> last = new ConcurrentHashMap<>();
    /** Sources whose service went away: asked once more by {@link #totals()}, for their final counters. */
    private final List<StatusSource> departed = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;
    /** Counts the sources that arrived, under its own lock: {@link #awaitStatus} waits on it. */
    private final Object arrivals = new Object();
    private long arrived;
    private final PrintStream out = System.out;
    private Totals previous;
    private long previousNanos;

    StatusBoard(BundleContext context) {
        int seconds = 5;
        String value = context.getProperty(INTERVAL_PROPERTY);
        if (value == null) {
            value = System.getProperty(INTERVAL_PROPERTY);
        }
        if (value != null) {
            try {
                seconds = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                LOG.warn("{}={} is not a whole number of seconds; using 5", INTERVAL_PROPERTY, value);
            }
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "opcscraper-status");
            thread.setDaemon(true);
            return thread;
        });
        this.tracker = new ServiceTracker<>(context, StatusSource.class, null) {
            @Override
            public StatusSource addingService(ServiceReference<StatusSource> reference) {
                StatusSource source = super.addingService(reference);
                if (source != null) {
                    StatusBoard.this.sources.add(source);
                    synchronized (StatusBoard.this.arrivals) {
                        StatusBoard.this.arrived++;
                        StatusBoard.this.arrivals.notifyAll();
                    }
                }
                return source;
            }

            @Override
            public void removedService(ServiceReference<StatusSource> reference, StatusSource source) {
                // The service goes away before the component deactivates (SCR's order): what it still
                // reads or writes while stopping is counted by asking the object again later. Our
                // components keep their counters after deactivation, so the summary is final.
                remember(source);
                StatusBoard.this.sources.remove(source);
                StatusBoard.this.departed.add(source);
                super.removedService(reference, source);
            }
        };
        this.tracker.open();
        if (seconds > 0) {
            this.timer.scheduleAtFixedRate(this::print, seconds, seconds, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        this.timer.shutdownNow();
    }

    /** The totals now, over the live sources and the last snapshot of those that went away. */
    Totals totals() {
        this.departed.forEach(this::remember);
        this.sources.forEach(this::remember);
        return Totals.of(List.copyOf(this.last.values()));
    }

    /**
     * The status of one component instance, as soon as its {@link StatusSource} is registered
     * (SCR registers it once the instance has taken its configuration), or empty if it is not
     * registered within {@code timeout}.
     */
    Optional<ComponentStatus> awaitStatus(String factoryPid, String instance, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long seen;
            synchronized (this.arrivals) {
                seen = this.arrived;
            }
            for (StatusSource source : this.sources) {
                Optional<ComponentStatus> status = ask(source)
                        .filter(s -> s.factoryPid().equals(factoryPid) && s.instance().equals(instance));
                if (status.isPresent()) {
                    return status;
                }
            }
            synchronized (this.arrivals) {
                long left;
                while (this.arrived == seen && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(this.arrivals, left);
                }
                if (this.arrived == seen) {
                    return Optional.empty();
                }
            }
        }
    }

    private void remember(StatusSource source) {
        ask(source).ifPresent(status -> this.last.put(status.factoryPid() + "/" + status.instance(), status));
    }

    private static Optional<ComponentStatus> ask(StatusSource source) {
        try {
            return Optional.of(source.status());
        } catch (RuntimeException e) {
            LOG.warn("a status source failed: {}", e.toString());
            return Optional.empty();
        }
    }

    private synchronized void print() {
        try {
            Totals now = totals();
            long nanos = System.nanoTime();
            double seconds = this.previous == null ? 0 : (nanos - this.previousNanos) / 1e9;
            this.out.println(now.line(this.previous, seconds));
            this.previous = now;
            this.previousNanos = nanos;
        } catch (RuntimeException e) {
            LOG.warn("printing the status failed: {}", e.toString());
        }
    }
}
