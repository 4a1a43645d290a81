package io.opcscraper.opcua.internal.poller;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.api.Sample;

/**
 * The values a subscription delivered since the sampler's last tick: Milo's threads add, the tick
 * drains. Bounded in bytes ({@link SampleBytes}): values that would pass the bound within one
 * interval are dropped, counted, and said once per overflow (the next drain ends it), so a server
 * that floods the gateway cannot take its heap.
 */
final class ArrivalBuffer {

    /** 32 MiB: about 200,000 samples of plain variables, over four intervals' worth at 50,000 tags. */
    static final long MAX_BYTES = 32L * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ArrivalBuffer.class);

    private final String owner;
    private final long maxBytes;
    private final ConcurrentLinkedQueue<Sample> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean overflowing = new AtomicBoolean();

    ArrivalBuffer(String owner, long maxBytes) {
        this.owner = owner;
        this.maxBytes = maxBytes;
    }

    /** Adds the rows of one value, all or none: none when they would pass the bound. */
    boolean add(List<Sample> rows) {
        long size = 0;
        for (Sample row : rows) {
            size += SampleBytes.of(row);
        }
        long held;
        do {
            held = this.bytes.get();
        } while (held + size <= this.maxBytes && !this.bytes.compareAndSet(held, held + size));
        if (held + size > this.maxBytes) {
            this.dropped.addAndGet(rows.size());
            if (this.overflowing.compareAndSet(false, true)) {
                LOG.error("{}: more than {} of values arrived within one interval; dropping the excess (counted,"
                        + " {} dropped in all so far)", this.owner, SampleBytes.describe(this.maxBytes), this.dropped.get());
            }
            return false;
        }
        this.queue.addAll(rows);
        return true;
    }

    /** Queues a marker between values (a lost session), outside the bound: it holds no data. */
    void mark(Sample marker) {
        this.bytes.addAndGet(SampleBytes.of(marker));
        this.queue.add(marker);
    }

    /** The oldest value or marker, or {@code null} when empty; a drain to empty ends an overflow. */
    Sample poll() {
        Sample next = this.queue.poll();
        if (next == null) {
            this.overflowing.set(false);
            return null;
        }
        this.bytes.addAndGet(-SampleBytes.of(next));
        return next;
    }

    long bytes() {
        return this.bytes.get();
    }

    long dropped() {
        return this.dropped.get();
    }
}
