package io.opcscraper.timescale.internal.status;

import java.time.Instant;
import java.util.SortedSet;

/**
 * A writer's figures at one moment, since it started ({@link StatusIdentity#startedAt()}).
 *
 * @param accepted samples its spool acknowledged (what the gateway's pollers read and handed to it)
 * @param written samples committed to the database
 * @param spooled samples in its spool not committed yet
 * @param dropped samples the spool's size bound dropped unwritten
 * @param quarantined samples the database refused for their data
 * @param clientIds the clientids of the samples it wrote
 * @param problem what is wrong now (a job of the database that is unhealthy), or null
 * @param lastError the latest problem it had, current or not, or null
 * @param lastErrorAt when that problem began (the gateway's clock), or null
 */
public record StatusFigures(long accepted, long written, long spooled, long dropped, long quarantined,
        SortedSet<String> clientIds, String problem, String lastError, Instant lastErrorAt) {
}
