package io.opcscraper.timescale.internal.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

import io.opcscraper.timescale.internal.spool.RecordReader.Status;

/**
 * Reads samples out of the spool's segments, a page at a time through one bounded buffer, and
 * remembers where the record after the last sequence of a page starts, so reading on does not
 * rescan the segment. A record found damaged is logged at ERROR once and the rest of its segment
 * is skipped. Called by {@link Spool#read} under the spool's read lock; thread-safe.
 */
final class SegmentReader {

    private static final int READ_BUFFER = 128 << 10;
    private static final int CURSORS = 8;

    private final Path dir;
    private final Logger log;
    private final AtomicLong corrupt;

    /** Where the record after a sequence a read returned last starts. */
    @SuppressWarnings("serial")
    private final Map<Long, Cursor> cursors = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Cursor> eldest) {
            return size() > CURSORS;
        }
    };

    private record Cursor(Segment segment, long offset) {
    }

    SegmentReader(Path dir, Logger log, AtomicLong corrupt) {
        this.dir = dir;
        this.log = log;
        this.corrupt = corrupt;
    }

    /** Samples after afterSequence (and at most last) from the segments, in order, within the budget. */
    List<SpooledSample> read(List<Segment> segments, long afterSequence, long last, int max, ReadBudget budget)
            throws IOException {
        List<SpooledSample> out = new ArrayList<>((int) Math.min(max, Math.min(last - afterSequence, 8192)));
        Cursor cursor;
        synchronized (this.cursors) {
            cursor = this.cursors.get(afterSequence);
        }
        long after = afterSequence;
        Segment lastSegment = null;
        long lastEnd = -1;
        for (int i = indexFor(segments, after + 1); i < segments.size() && !budget.spent(); i++) {
            Segment segment = segments.get(i);
            if (!segment.hasRecords() || segment.lastSequence <= after) {
                continue;
            }
            long start = cursor != null && cursor.segment() == segment ? cursor.offset() : Segment.HEADER;
            long end = readSegment(segment, start, after, budget, out);
            if (end >= 0) {
                lastSegment = segment;
                lastEnd = end;
                after = out.get(out.size() - 1).sequence();
            }
        }
        if (lastSegment != null) {
            synchronized (this.cursors) {
                this.cursors.put(after, new Cursor(lastSegment, lastEnd));
            }
        }
        return out;
    }

    /** The index of the last segment starting at or before seq (0 if none). */
    private static int indexFor(List<Segment> segments, long seq) {
        int lo = 0;
        int hi = segments.size() - 1;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (segments.get(mid).firstSequence <= seq) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Reads records after {@code after} into out; returns the end of the last one added, or -1. */
    private long readSegment(Segment segment, long start, long after, ReadBudget budget, List<SpooledSample> out)
            throws IOException {
        long end = -1;
        FileChannel channel;
        try {
            channel = FileChannel.open(segment.path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            corruptOnRead(segment, 0, "file missing");
            return -1;
        }
        try (channel) {
            RecordReader reader = new RecordReader(channel, start, segment.readLimit(), READ_BUFFER);
            while (!budget.spent()) {
                Status status = reader.next();
                if (status == Status.END) {
                    break;
                }
                if (status != Status.OK) {
                    corruptOnRead(segment, reader.recordOffset(), status.describe());
                    break;
                }
                long seq = reader.sequence();
                if (seq <= after) {
                    continue;
                }
                int size = (int) (reader.recordEnd() - reader.recordOffset());
                if (!budget.fits(size)) {
                    break;
                }
                // The payload is copied out of the reader's buffer (read again for the next records)
                // and checked once here, so the writer can copy its text into a COPY row as it is.
                byte[] payload = Arrays.copyOfRange(reader.array(), reader.payloadOffset(),
                        reader.payloadOffset() + reader.payloadLength());
                try {
                    SampleCodec.checkReadable(payload, 0, payload.length);
                } catch (RuntimeException e) {
                    corruptOnRead(segment, reader.recordOffset(), "malformed record: " + e);
                    break;
                }
                out.add(new SpooledSample(seq, payload, 0, payload.length));
                budget.take(size);
                end = reader.recordEnd();
            }
        }
        return end;
    }

    private void corruptOnRead(Segment segment, long offset, String what) {
        synchronized (segment) {
            if (offset >= segment.corruptAt) {
                return;
            }
            segment.corruptAt = offset;
        }
        this.corrupt.incrementAndGet();
        this.log.error("spool {}: {} at offset {} of {}: the rest of that segment (up to sequence {}) is skipped",
                this.dir, what, offset, segment.path.getFileName(), segment.lastSequence);
    }
}
