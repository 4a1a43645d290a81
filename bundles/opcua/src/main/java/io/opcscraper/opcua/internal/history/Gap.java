package io.opcscraper.opcua.internal.history;

/**
 * A node's gap in the collection, in microseconds since the epoch (see {@link GapRule}).
 *
 * @param nodeId the node id as in the catalog and the samples
 * @param from the newest timestamp stored before the gap, {@link GapRule#UNKNOWN} until the writer tells
 * @param to the timestamp of the node's first sample after the gap
 */
record Gap(String nodeId, long from, long to) {

    boolean fromKnown() {
        return this.from != GapRule.UNKNOWN;
    }

    /** The same gap, starting at {@code newFrom} (what was filled of it already, or the writer's answer). */
    Gap from(long newFrom) {
        return new Gap(this.nodeId, newFrom, this.to);
    }

    /** Seconds between from and to. */
    long seconds() {
        return (this.to - this.from) / 1_000_000L;
    }
}
