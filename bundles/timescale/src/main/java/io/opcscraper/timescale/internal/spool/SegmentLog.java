package io.opcscraper.timescale.internal.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/**
 * The spool's segment files, as a list: their size on disk, what release deletes, the bound (the
 * oldest segments deleted beyond {@code maxBytes}, their unreleased samples counted as dropped and
 * kept for the writer), and the first sequence they hold. Knows nothing of records. The spool's
 * lock guards it: its write lock around every change, its read lock around {@link #segments()}.
 */
final class SegmentLog {

    private final Path dir;
    private final Logger log;
    private final long maxBytes;
    private final List<Segment> segments = new ArrayList<>();
    private volatile long sizeBytes;
    /** Everything at or below it committed: the bound does not count it as dropped. */
    private long releasedUpTo;
    private final AtomicLong dropped = new AtomicLong();
    /** Sequences dropped for the bound since the last {@link #takeDrops}. */
    private final LongRanges drops = new LongRanges();

    SegmentLog(Path dir, Logger log, long maxBytes) {
        this.dir = dir;
        this.log = log;
        this.maxBytes = maxBytes;
    }

    /** The segments recovery found, in order; the committed watermark of the local record. */
    void recovered(List<Segment> found, long committed) {
        this.segments.addAll(found);
        long size = 0;
        for (Segment segment : found) {
            size += segment.fileSize;
        }
        this.sizeBytes = size;
        this.releasedUpTo = committed;
    }

    /** The segments in order (read lock held). */
    List<Segment> segments() {
        return this.segments;
    }

    /** The last segment, or null. */
    Segment last() {
        return this.segments.isEmpty() ? null : this.segments.get(this.segments.size() - 1);
    }

    /** Lists a new (empty) segment; an old one that held nothing goes, the new one's name carries the sequence on. */
    void rolled(Segment segment) {
        Segment previous = last();
        this.segments.add(segment);
        this.sizeBytes += Segment.HEADER;
        if (previous != null && !previous.hasRecords()) {
            try {
                Files.deleteIfExists(previous.path);
                this.segments.remove(previous);
                this.sizeBytes -= previous.fileSize;
            } catch (IOException e) {
                this.log.warn("spool {}: cannot delete the empty segment {}: {}", this.dir,
                        previous.path.getFileName(), e.toString());
            }
        }
    }

    /** Records of {@code grown} bytes became durable in the active segment. */
    void grown(long grown) {
        this.sizeBytes += grown;
    }

    /**
     * Everything up to {@code upTo} committed: the segments whose samples are all at or below it
     * are deleted, except {@code active} (it goes once it is rolled and released). Returns the
     * committed watermark (it never goes back).
     */
    long release(long upTo, Segment active) throws IOException {
        this.releasedUpTo = Math.max(this.releasedUpTo, upTo);
        while (!this.segments.isEmpty()) {
            Segment segment = this.segments.get(0);
            if (segment == active || segment.lastSequence > upTo) {
                break;
            }
            Files.deleteIfExists(segment.path);
            this.segments.remove(0);
            this.sizeBytes -= segment.fileSize;
        }
        return this.releasedUpTo;
    }

    /**
     * Beyond {@code maxBytes} the oldest segments (never {@code active}) are deleted until it fits;
     * their unreleased samples are counted and kept for {@link #takeDrops}. Not logged beyond DEBUG:
     * some of them may be in a batch in flight or committed beyond the released point; the writer
     * decides which were lost, and logs those.
     */
    void enforceBound(Segment active) {
        if (this.sizeBytes <= this.maxBytes) {
            return;
        }
        long count = 0;
        long from = -1;
        long to = -1;
        int files = 0;
        while (this.sizeBytes > this.maxBytes && this.segments.size() > 1 && this.segments.get(0) != active) {
            Segment segment = this.segments.get(0);
            try {
                Files.deleteIfExists(segment.path);
            } catch (IOException e) {
                this.log.error("spool {}: beyond its bound, but cannot delete {}: {}", this.dir,
                        segment.path.getFileName(), e.toString());
                break;
            }
            this.segments.remove(0);
            this.sizeBytes -= segment.fileSize;
            files++;
            long a = Math.max(segment.firstSequence, this.releasedUpTo + 1);
            if (segment.lastSequence >= a) {
                count += segment.lastSequence - a + 1;
                this.drops.add(a, segment.lastSequence);
                if (from < 0) {
                    from = a;
                }
                to = segment.lastSequence;
            }
        }
        if (count > 0) {
            this.dropped.addAndGet(count);
            this.log.debug("spool {}: beyond {} bytes: {} segment(s) deleted, {} unreleased samples (seq {}..{}); {} "
                    + "since open", this.dir, this.maxBytes, files, count, from, to, this.dropped.get());
        }
    }

    /** The first sequence a segment holds readers can see, or -1 when none does. */
    long firstVisible() {
        for (Segment segment : this.segments) {
            if (segment.hasRecords() && segment.end > Segment.HEADER) {
                return segment.firstSequence;
            }
        }
        return -1;
    }

    /** The sequences dropped for the bound since the last call (write lock held). */
    LongRanges takeDrops() {
        LongRanges taken = this.drops.copy();
        this.drops.clear();
        return taken;
    }

    long sizeBytes() {
        return this.sizeBytes;
    }

    long droppedSamples() {
        return this.dropped.get();
    }

    int count() {
        return this.segments.size();
    }
}
