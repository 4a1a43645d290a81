package io.opcscraper.api;

import java.util.Map;
import java.util.Objects;

/**
 * What one component instance reports about itself: a state, counters since it started and its
 * latest problem. Counters only grow while the instance lives (a configuration change does not
 * reset them), so a reader computes rates from two snapshots.
 *
 * @param instance the instance name ({@code kura.service.pid})
 * @param factoryPid the component's factory PID
 * @param state a short word: {@code connected}, {@code waiting}, {@code running}, {@code idle}, ...
 * @param counters named counters, see the constants; a component reports the ones it has
 * @param lastError the latest problem in one line (never a secret), or {@code null} when none
 *        is current
 */
public record ComponentStatus(String instance, String factoryPid, String state, Map<String, Long> counters,
        String lastError) {

    /** Variables in the catalog (Discovery). */
    public static final String NODES = "nodes";
    /** Values read from the server and turned into samples (Poller). */
    public static final String SAMPLES_READ = "samples.read";
    /**
     * Values read from the server's history to fill a gap in the collection, and handed to the
     * writer (Poller; counted in {@link #SAMPLES_READ} too). Since 1.2.
     */
    public static final String SAMPLES_BACKFILLED = "samples.backfilled";
    /** Samples waiting in the poller's memory because the writer does not take them (Poller). */
    public static final String SAMPLES_PENDING = "samples.pending";
    /** Samples acknowledged by the writer's spool (Writer). */
    public static final String SAMPLES_ACCEPTED = "samples.accepted";
    /** Samples committed to the database (Writer). */
    public static final String SAMPLES_WRITTEN = "samples.written";
    /** Samples in the spool that are not committed yet (Writer). */
    public static final String SPOOL_DEPTH = "spool.depth";
    /** Samples dropped, counted and logged: a full spool or a full pending buffer. */
    public static final String SAMPLES_DROPPED = "samples.dropped";
    /** Samples the database refused for good, kept in the quarantine file (Writer). */
    public static final String SAMPLES_QUARANTINED = "samples.quarantined";
    /**
     * Structure types the catalog uses that cannot be decoded: no description, a description that
     * does not parse or uses what the decoder does not support (Discovery; the current number).
     */
    public static final String STRUCTURE_TYPES_FAILED = "structure.types.failed";
    /** Structured values read but not decoded, so no rows: their type could not be decoded (Poller). */
    public static final String VALUES_UNDECODED = "values.undecoded";

    public ComponentStatus {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(factoryPid, "factoryPid");
        Objects.requireNonNull(state, "state");
        counters = Map.copyOf(counters);
    }

    /** A counter's value, 0 when this component does not report it. */
    public long counter(String name) {
        return this.counters.getOrDefault(name, 0L);
    }
}
