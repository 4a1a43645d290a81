package io.opcscraper.timescale.internal.ingest;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.timescale.internal.batch.Quarantine;

/** One INFO line a minute while the writer's counters move: what a user reads in the gateway log. */
final class StatusLog {

    private static final Logger LOG = LoggerFactory.getLogger(StatusLog.class);
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final String name;
    private final WriterStatus status;
    private final DropAccounting drops;
    private final Quarantine quarantine;
    private long nextNanos = System.nanoTime();
    private String last;

    StatusLog(String name, WriterStatus status, DropAccounting drops, Quarantine quarantine) {
        this.name = name;
        this.status = status;
        this.drops = drops;
        this.quarantine = quarantine;
    }

    /** Logs the counters if a minute has passed since the last line and they moved. */
    void reportIfDue(long waiting) {
        long now = System.nanoTime();
        if (now - this.nextNanos < 0) {
            return;
        }
        this.nextNanos = now + INTERVAL_NANOS;
        String line = "accepted " + this.status.accepted() + ", written " + this.status.written() + ", spooled "
                + waiting + ", dropped " + this.drops.lost() + ", quarantined " + this.quarantine.count();
        if (!line.equals(this.last)) {
            LOG.info("{}: {}", this.name, line);
            this.last = line;
        }
    }
}
