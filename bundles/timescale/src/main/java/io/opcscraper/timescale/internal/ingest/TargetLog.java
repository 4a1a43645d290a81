package io.opcscraper.timescale.internal.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.timescale.internal.ledger.ProgressLedger;
import io.opcscraper.timescale.internal.spool.Spool;

/** Says, at a connect, what a database that does not hold this writer's latest progress receives, and why. */
final class TargetLog {

    private static final Logger LOG = LoggerFactory.getLogger(TargetLog.class);

    private TargetLog() {
    }

    static void log(String name, ProgressLedger.Start start, Spool spool, String jdbcUrl, String table, long waiting) {
        long spoolStart = spool.firstSequence() - 1;
        if (start.sameTarget()) {
            if (start.database().marker() < spoolStart) {
                LOG.info("{}: the database's progress marker of this writer is {}; the spool starts after {}: "
                        + "writing from there", name, start.database().marker(), spoolStart);
            }
            return;
        }
        if (start.localCommitted() > 0) {
            LOG.info("{}: {} table \"{}\" {}: it receives only what no database committed, the samples after "
                    + "sequence {} ({} waiting in the spool), then the live data; the samples up to {} were committed "
                    + "to a database before (local record {})", name, jdbcUrl, table,
                    start.database().present()
                            ? "holds this writer's progress only up to " + start.database().marker()
                                    + " (a database it wrote to earlier, or restored from a backup)"
                            : "has no progress of this writer (a new database)",
                    start.marker(), waiting, start.localCommitted(), spool.watermarkFile());
        } else if (start.marker() > 0) {
            LOG.info("{}: the database's progress marker of this writer is absent; the spool starts after {}: "
                    + "writing from there", name, start.marker());
        }
        if (!start.inDoubt().isEmpty()) {
            LOG.warn("{}: {} samples (seq {}..{}) were sent to the previous database without an answer (a crash or "
                    + "an outage cut it off): they are written here, and that database may hold them too",
                    name, start.inDoubt().count(), start.inDoubt().first(), start.inDoubt().last());
        }
    }
}
