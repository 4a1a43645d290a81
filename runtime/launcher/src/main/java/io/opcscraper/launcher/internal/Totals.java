package io.opcscraper.launcher.internal;

import java.util.Comparator;
import java.util.List;

import io.opcscraper.api.ComponentStatus;

/** The pipeline's counters summed over all instances, and the most pressing error. */
record Totals(long nodes, long read, long written, long spool, long pending, long dropped, long quarantined,
        long backfilled, String lastError, String writerError) {

    private static final String WRITER = "io.opcscraper.timescale.Writer";

    static Totals of(List<ComponentStatus> statuses) {
        long nodes = 0;
        long read = 0;
        long written = 0;
        long spool = 0;
        long pending = 0;
        long dropped = 0;
        long quarantined = 0;
        long backfilled = 0;
        for (ComponentStatus s : statuses) {
            nodes += s.counter(ComponentStatus.NODES);
            read += s.counter(ComponentStatus.SAMPLES_READ);
            written += s.counter(ComponentStatus.SAMPLES_WRITTEN);
            spool += s.counter(ComponentStatus.SPOOL_DEPTH);
            pending += s.counter(ComponentStatus.SAMPLES_PENDING);
            dropped += s.counter(ComponentStatus.SAMPLES_DROPPED);
            quarantined += s.counter(ComponentStatus.SAMPLES_QUARANTINED);
            backfilled += s.counter(ComponentStatus.SAMPLES_BACKFILLED);
        }
        // Upstream first: a connection that is down explains everything after it.
        String error = statuses.stream().filter(s -> s.lastError() != null)
                .sorted(Comparator.comparingInt(Totals::stage).thenComparing(ComponentStatus::instance))
                .map(s -> s.instance() + ": " + s.lastError()).findFirst().orElse(null);
        String writerError = statuses.stream().filter(s -> WRITER.equals(s.factoryPid()) && s.lastError() != null)
                .map(s -> s.instance() + ": " + s.lastError()).findFirst().orElse(null);
        return new Totals(nodes, read, written, spool, pending, dropped, quarantined, backfilled, error, writerError);
    }

    private static int stage(ComponentStatus status) {
        switch (status.factoryPid()) {
        case "io.opcscraper.opcua.Connection":
            return 0;
        case "io.opcscraper.opcua.Discovery":
            return 1;
        case "io.opcscraper.opcua.Poller":
            return 2;
        case WRITER:
            return 3;
        default:
            return 4;
        }
    }

    /**
     * {@code status: nodes=N read=R/s written=W/s spool=S dropped=D backfilled=B last_error=...}; rates against
     * {@code before}; backfilled: values read from the servers' history to fill gaps, in all.
     */
    String line(Totals before, double seconds) {
        long readRate = before == null || seconds <= 0 ? 0 : Math.round((this.read - before.read) / seconds);
        long writtenRate = before == null || seconds <= 0 ? 0 : Math.round((this.written - before.written) / seconds);
        return "status: nodes=" + this.nodes + " read=" + Math.max(0, readRate) + "/s written=" + Math.max(0, writtenRate)
                + "/s spool=" + this.spool + " dropped=" + this.dropped + " backfilled=" + this.backfilled + " last_error="
                + (this.lastError == null ? "none" : this.lastError.replace('\n', ' '));
    }

    /** {@code summary: read=N written=N spooled=N dropped=N quarantined=N backfilled=N}: what the orderly stop prints. */
    String summary() {
        return "summary: read=" + this.read + " written=" + this.written + " spooled=" + this.spool + " dropped="
                + this.dropped + " quarantined=" + this.quarantined + " backfilled=" + this.backfilled;
    }
}
