package io.opcscraper.bench;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Samples a process's resident memory (VmRSS) every second and keeps the peak, from start until closed. */
final class RssMonitor implements AutoCloseable {

    private final long pid;
    private final AtomicLong peakKb = new AtomicLong();
    private final AtomicLong lastKb = new AtomicLong();
    private final ScheduledExecutorService timer;

    RssMonitor(long pid) {
        this.pid = pid;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "bench-rss-" + pid);
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    private void sample() {
        long kb = ProcFs.rssKb(pid);
        if (kb > 0) {
            lastKb.set(kb);
            peakKb.accumulateAndGet(kb, Math::max);
        }
    }

    /** The highest VmRSS sampled so far, in MB. */
    double peakMb() {
        return peakKb.get() / 1024.0;
    }

    double lastMb() {
        return lastKb.get() / 1024.0;
    }

    /** The kernel's own peak (VmHWM), in MB: covers the moments between samples. */
    double highWaterMb() {
        return ProcFs.peakRssKb(pid) / 1024.0;
    }

    @Override
    public void close() {
        sample();
        timer.shutdownNow();
    }
}
