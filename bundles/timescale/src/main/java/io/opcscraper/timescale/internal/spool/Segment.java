package io.opcscraper.timescale.internal.spool;

import java.nio.file.Path;

/**
 * What the spool knows of one segment file: its sequence range and sizes, never its records.
 * Fields are guarded by the spool's lock, except {@link #corruptAt}.
 */
final class Segment {

    final Path path;
    final long firstSequence;
    /** firstSequence - 1 while it holds no record. */
    long lastSequence;
    /** Bytes of sound, durable records (from 0, the header included): readers stop here. */
    long end;
    long fileSize;
    /** Set when a read finds a record damaged after recovery: readers stop here. */
    volatile long corruptAt = Long.MAX_VALUE;

    // Found by recovery, used once while opening.
    boolean headerBad;
    long damageAt = -1;
    boolean damageAtTail;
    String damage;

    Segment(Path path, long firstSequence) {
        this.path = path;
        this.firstSequence = firstSequence;
        this.lastSequence = firstSequence - 1;
    }

    boolean hasRecords() {
        return this.lastSequence >= this.firstSequence;
    }

    long readLimit() {
        return Math.min(this.end, this.corruptAt);
    }

    @Override
    public String toString() {
        return this.path.getFileName() + " [" + this.firstSequence + ".." + this.lastSequence + "]";
    }
}
