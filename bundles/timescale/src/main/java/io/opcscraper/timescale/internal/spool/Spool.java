package io.opcscraper.timescale.internal.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.api.Sample;

/**
 * The writer's durable spool: every sample the writer accepts is appended here, forced to disk,
 * and only then acknowledged; it leaves when its batch has committed to the database
 * ({@link #release}). Format and guarantees: {@code docs/spool.md}.
 *
 * <h2>Layout</h2>
 * A directory of append-only segment files {@code seg-<first sequence, 20 digits>.spool} (other
 * files there are left alone). A segment starts with a 16-byte header (magic {@code SPOL},
 * version 1, its first sequence; little-endian) followed by records, each length-prefixed,
 * CRC32C-checked and carrying its sequence ({@link SampleCodec}). Sequences within a segment are
 * contiguous. A segment is rolled when the next batch would take it past
 * {@code clamp(maxBytes / 8, 64 KiB, 8 MiB)}; a batch is never split across segments, so a batch
 * larger than that makes a segment of its own. In memory the spool keeps only each segment's
 * sequence range and sizes.
 *
 * <h2>fsync policy</h2>
 * <ul>
 * <li>{@link #append}: the whole batch is written with one positional write, then
 * {@code FileChannel.force(false)} (fdatasync: data and the file size) before it returns. Its
 * return is the acknowledgement; an exception means nothing of the batch is acknowledged (and the
 * file is truncated back).</li>
 * <li>Readers only ever see records that have been forced.</li>
 * <li>A new segment: its header is written and forced ({@code force(true)}), then the directory
 * is forced, before a record goes into it.</li>
 * <li>Recovery truncations are forced.</li>
 * <li>{@link #release} and the bound delete whole files without forcing the directory: a deletion
 * lost to a crash only brings back samples that had already committed (the writer's progress
 * marker skips them) or were dropped.</li>
 * </ul>
 *
 * <h2>Recovery</h2>
 * {@link #open} checks every record of every segment ({@link SpoolRecovery}): damage a crash left
 * in the last segment is truncated, damage elsewhere skipped, counted ({@link #corruptRecords}) and
 * logged. Bad data never makes {@code open} throw.
 *
 * <h2>The local record of what left</h2>
 * {@link #release} moves the committed watermark (every sequence at or below it was committed to a
 * database); {@link #reserve} moves the sent watermark (no sequence above it was ever sent to one)
 * <em>before</em> the writer sends beyond it. Both are kept in the file {@code watermark}
 ({@link Watermark}, which says when each reaches the disk).
 *
 * <h2>Bound</h2>
 * After an append that takes the spool beyond {@code maxBytes}, the oldest segments (never the one
 * being written) are deleted until it is within the bound; the unreleased samples they held are
 * counted ({@link #droppedSamples}) and their sequences handed to the owner ({@link #takeDrops}).
 * The spool does not log them: some of them may be in a batch in flight or already committed
 * beyond the released point, so only the writer knows which were lost, and it logs those.
 *
 * <h2>Threads</h2>
 * Thread-safe. Appends are serialized; reads run concurrently with each other and with the write
 * and force of an append. An interrupted appender gets {@code ClosedByInterruptException} (not
 * acknowledged); the spool reopens its file on the next append.
 */
public final class Spool implements AutoCloseable {

    static final long MIN_SEGMENT_BYTES = 64L << 10;
    static final long MAX_SEGMENT_BYTES = 8L << 20;


    private final Logger log = LoggerFactory.getLogger(Spool.class);
    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;

    /** Serializes appends (and everything that changes the segment being written). */
    private final ReentrantLock appendLock = new ReentrantLock();
    /** Guards the segment list and each segment's fields: readers share it, changes take it alone. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    private final List<Segment> segments = new ArrayList<>();
    private Segment active;
    private FileChannel activeChannel;
    /** Sequences up to this may sit, unacknowledged, past the active segment's end. */
    private long dirtyUpTo;
    private final BatchEncoder encoder = new BatchEncoder();
    /** The committed watermark in memory (it may be ahead of the record on disk). Guarded by the write lock. */
    private long releasedUpTo;
    /** The local record of what was committed and sent (thread-safe itself). */
    private Watermark watermark;

    private volatile long lastSequence;
    private volatile long firstSequence = 1;
    private volatile long sizeBytes;
    private volatile boolean closed;
    private final AtomicLong dropped = new AtomicLong();
    /** Sequences dropped for the bound since the last {@link #takeDrops}. Guarded by the write lock. */
    private final LongRanges drops = new LongRanges();
    private final AtomicLong corrupt = new AtomicLong();
    private final SegmentReader reader;

    private Spool(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.max(MIN_SEGMENT_BYTES, Math.min(MAX_SEGMENT_BYTES, maxBytes / 8));
        this.reader = new SegmentReader(dir, this.log, this.corrupt);
    }

    /**
     * Opens (creating) the spool in dir, recovering what is there; maxBytes bounds its size on disk.
     *
     * @throws IOException if the directory cannot be created, listed, read or written (never
     *         because of what the files hold)
     */
    public static Spool open(Path dir, long maxBytes) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        Spool spool = new Spool(dir, maxBytes);
        boolean opened = false;
        try {
            spool.openFiles();
            opened = true;
            return spool;
        } finally {
            if (!opened) {
                spool.closeQuietly();
            }
        }
    }

    private void openFiles() throws IOException {
        SpoolRecovery.Recovered found = SpoolRecovery.recover(this.dir, this.log);
        this.corrupt.addAndGet(found.corrupt());
        this.segments.addAll(found.segments());
        long size = 0;
        for (Segment segment : this.segments) {
            size += segment.fileSize;
        }
        this.sizeBytes = size;
        this.watermark = Watermark.open(this.dir);
        this.releasedUpTo = this.watermark.committed();
        if (this.segments.isEmpty()) {
            roll(1);
        } else {
            Segment last = this.segments.get(this.segments.size() - 1);
            this.active = last;
            this.activeChannel = FileChannel.open(last.path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            this.lastSequence = last.lastSequence;
            if (found.gap() > 0) {
                advance(this.lastSequence + found.gap());
            }
        }
        // A sequence the record says was sent or committed is never handed out again, even if the
        // segments that held it are gone (an emptied directory keeps its watermark file).
        if (this.watermark.sent() > this.lastSequence) {
            advance(this.watermark.sent());
        }
        refreshFirst();
        this.log.info("spool {}: opened, {} segment(s), {} bytes, sequences {}..{}; committed up to {}, sent up to {}",
                this.dir, this.segments.size(), this.sizeBytes, this.firstSequence, this.lastSequence,
                this.releasedUpTo, this.watermark.sent());
    }

    /**
     * Appends the samples durably (one write, then forced to disk) and returns the sequence number
     * of the last one (of the last appended before, if the list is empty). Sequence numbers start
     * at 1, grow by one per sample, never repeat and survive restarts.
     *
     * @throws IOException if they could not be stored (disk full, I/O error, closed, interrupted):
     *         then none of them is acknowledged
     * @throws IllegalArgumentException if a sample encodes to more than 16 MiB (nothing is written)
     */
    public long append(List<Sample> samples) throws IOException {
        Objects.requireNonNull(samples, "samples");
        this.appendLock.lock();
        try {
            ensureOpen();
            if (samples.isEmpty()) {
                return this.lastSequence;
            }
            if (this.dirtyUpTo > this.lastSequence) {
                advance(this.dirtyUpTo);
            }
            long first = this.lastSequence + 1;
            this.encoder.encode(samples, first);
            int n = this.encoder.length();
            long last = first + samples.size() - 1;
            Segment segment = this.active;
            if (segment.corruptAt != Long.MAX_VALUE
                    || segment.hasRecords() && segment.fileSize + n > this.segmentBytes) {
                roll(first);
                segment = this.active;
            }
            long end = segment.fileSize;
            try {
                FileChannel channel = channel();
                ByteBuffer data = ByteBuffer.wrap(this.encoder.array(), 0, n);
                long position = end;
                while (data.hasRemaining()) {
                    position += channel.write(data, position);
                }
                channel.force(false);
            } catch (IOException | RuntimeException e) {
                undo(segment, end, last, e);
                throw e;
            }
            this.lock.writeLock().lock();
            try {
                segment.lastSequence = last;
                segment.fileSize = end + n;
                segment.end = end + n;
                this.sizeBytes += n;
                this.lastSequence = last;
                refreshFirst();
                enforceBound();
            } finally {
                this.lock.writeLock().unlock();
            }
            return last;
        } finally {
            this.encoder.trim();
            this.appendLock.unlock();
        }
    }

    /**
     * Up to max samples with sequence greater than afterSequence, in sequence order (it does not
     * remove them). Reading on from the last sequence a read returned does not rescan the segment.
     */
    public List<SpooledSample> read(long afterSequence, int max) throws IOException {
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative: " + max);
        }
        this.lock.readLock().lock();
        try {
            ensureOpen();
            long last = this.lastSequence;
            if (max == 0 || afterSequence >= last) {
                return List.of();
            }
            return this.reader.read(this.segments, afterSequence, last, max);
        } finally {
            this.lock.readLock().unlock();
        }
    }

    /**
     * Everything up to and including upToSequence is committed to a database: the committed
     * watermark moves there (recorded on disk within {@value #COMMITTED_FORCE_INTERVAL_MS} ms), and
     * the segments whose samples are all at or below it are deleted, except the one being written
     * (it goes once it is rolled and released).
     */
    public void release(long upToSequence) throws IOException {
        long committed;
        this.lock.writeLock().lock();
        try {
            ensureOpen();
            this.releasedUpTo = Math.max(this.releasedUpTo, upToSequence);
            committed = this.releasedUpTo;
            while (!this.segments.isEmpty()) {
                Segment segment = this.segments.get(0);
                if (segment == this.active || segment.lastSequence > upToSequence) {
                    break;
                }
                Files.deleteIfExists(segment.path);
                this.segments.remove(0);
                this.sizeBytes -= segment.fileSize;
            }
        } finally {
            refreshFirst();
            this.lock.writeLock().unlock();
        }
        this.watermark.commit(committed);
    }

    /**
     * The writer is about to send sequences up to {@code upToSequence} to a database: the sent
     * watermark moves there and is forced to disk before this returns (nothing when it is there
     * already).
     */
    public void reserve(long upToSequence) throws IOException {
        ensureOpen();
        this.watermark.reserve(upToSequence);
    }

    /**
     * Nothing sent beyond the committed watermark is in doubt any more (the writer heard back about
     * every batch it sent): the sent watermark comes down to the committed one.
     */
    public void settleSent() throws IOException {
        ensureOpen();
        this.watermark.settleSent();
    }

    /** Forces the committed watermark to disk now, if it moved since it was last recorded. */
    public void flushWatermark() throws IOException {
        this.watermark.flush();
    }

    /**
     * The committed watermark: every sequence at or below it was committed to a database (as far as
     * this spool was told, by this process or, through its record on disk, an earlier one).
     */
    public long committedUpTo() {
        return this.watermark.committed();
    }

    /** The sent watermark: no sequence above it was ever sent to a database. At least {@link #committedUpTo()}. */
    public long sentUpTo() {
        return this.watermark.sent();
    }

    /** The file of the local record, for messages. */
    public Path watermarkFile() {
        return this.watermark.file();
    }

    /**
     * Makes the next appended sequence at least {@code sequence + 1}, durably. For a writer whose
     * database progress marker is ahead of the spool (the spool directory was emptied or lost
     * data), so that new samples do not get sequence numbers the marker already covers.
     */
    public void advanceSequence(long sequence) throws IOException {
        this.appendLock.lock();
        try {
            ensureOpen();
            advance(sequence);
        } finally {
            this.appendLock.unlock();
        }
    }

    /** The highest sequence appended (0 if none ever). */
    public long lastSequence() {
        return this.lastSequence;
    }

    /**
     * The lowest sequence still in the spool (lastSequence() + 1 when it is empty). Released
     * samples stay until their whole segment goes, so this can be at or below what was released.
     */
    public long firstSequence() {
        return this.firstSequence;
    }

    /** The bound on its size on disk. */
    public long maxBytes() {
        return this.maxBytes;
    }

    /** The size of its segment files on disk. */
    public long sizeBytes() {
        return this.sizeBytes;
    }

    /** Samples dropped because of maxBytes, since open (already released ones are not counted). */
    public long droppedSamples() {
        return this.dropped.get();
    }

    /**
     * The sequences dropped for the bound since the last call (released ones are not among them),
     * with the spool's first sequence at the same moment: every sequence dropped later is at or
     * above it.
     */
    public Drops takeDrops() {
        this.lock.writeLock().lock();
        try {
            LongRanges taken = this.drops.copy();
            this.drops.clear();
            return new Drops(taken, this.firstSequence);
        } finally {
            this.lock.writeLock().unlock();
        }
    }

    /** What {@link #takeDrops} returns. */
    public record Drops(LongRanges sequences, long firstSequence) {
    }

    /** Damaged records found, at open and by reads, since open. */
    public long corruptRecords() {
        return this.corrupt.get();
    }

    public Path directory() {
        return this.dir;
    }

    long segmentBytes() {
        return this.segmentBytes;
    }

    int segmentCount() {
        this.lock.readLock().lock();
        try {
            return this.segments.size();
        } finally {
            this.lock.readLock().unlock();
        }
    }

    @Override
    public void close() throws IOException {
        if (this.watermark != null) {
            this.watermark.close();
        }
        this.appendLock.lock();
        try {
            this.lock.writeLock().lock();
            try {
                if (this.closed) {
                    return;
                }
                this.closed = true;
                FileChannel channel = this.activeChannel;
                this.activeChannel = null;
                if (channel != null) {
                    channel.close();
                }
            } finally {
                this.lock.writeLock().unlock();
            }
        } finally {
            this.appendLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Spool[" + this.dir + ", sequences " + this.firstSequence + ".." + this.lastSequence + ", "
                + this.sizeBytes + " bytes]";
    }

    // ---- writing

    /** Called holding appendLock. */
    private void advance(long sequence) throws IOException {
        if (sequence <= this.lastSequence) {
            return;
        }
        roll(sequence + 1);
        this.lock.writeLock().lock();
        try {
            this.lastSequence = sequence;
            refreshFirst();
        } finally {
            this.lock.writeLock().unlock();
        }
    }

    /** Starts a new segment at sequence first, durably. Called holding appendLock. */
    private void roll(long first) throws IOException {
        Path path = this.dir.resolve(SpoolRecovery.fileName(first));
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            Segment.writeHeader(channel, first);
            channel.force(true);
            forceDirectory();
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            try {
                Files.deleteIfExists(path);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        Segment segment = new Segment(path, first);
        segment.fileSize = Segment.HEADER;
        segment.end = Segment.HEADER;
        Segment old = this.active;
        FileChannel oldChannel = this.activeChannel;
        this.lock.writeLock().lock();
        try {
            this.segments.add(segment);
            this.sizeBytes += Segment.HEADER;
            this.active = segment;
            this.activeChannel = channel;
            if (old != null && !old.hasRecords()) {
                // It held nothing; the new segment's name carries the sequence on.
                try {
                    Files.deleteIfExists(old.path);
                    this.segments.remove(old);
                    this.sizeBytes -= old.fileSize;
                } catch (IOException e) {
                    this.log.warn("spool {}: cannot delete the empty segment {}: {}", this.dir, old.path.getFileName(),
                            e.toString());
                }
            }
            refreshFirst();
        } finally {
            this.lock.writeLock().unlock();
        }
        closeQuietly(oldChannel);
    }

    /** After a failed write or force: cut the segment back to its acknowledged end. */
    private void undo(Segment segment, long end, long last, Exception cause) {
        boolean interrupted = Thread.interrupted();
        try {
            FileChannel channel = channel();
            channel.truncate(end);
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
            this.dirtyUpTo = Math.max(this.dirtyUpTo, last);
            this.log.error("spool {}: a failed append could not be cut back in {} ({}); appends go on in a new "
                    + "segment after sequence {}", this.dir, segment.path.getFileName(), e.toString(), last);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The active segment's channel, reopened if an interrupt closed it. Called holding appendLock. */
    private FileChannel channel() throws IOException {
        FileChannel channel = this.activeChannel;
        if (channel == null || !channel.isOpen()) {
            channel = FileChannel.open(this.active.path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            this.activeChannel = channel;
        }
        return channel;
    }

    /** Called holding the write lock, after an append. */
    private void enforceBound() {
        if (this.sizeBytes <= this.maxBytes) {
            return;
        }
        long count = 0;
        long from = -1;
        long to = -1;
        int files = 0;
        while (this.sizeBytes > this.maxBytes && this.segments.size() > 1 && this.segments.get(0) != this.active) {
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
        refreshFirst();
        if (count > 0) {
            this.dropped.addAndGet(count);
            // The owner logs what it lost (takeDrops): some of these may be committed already.
            this.log.debug("spool {}: beyond {} bytes: {} segment(s) deleted, {} unreleased samples (seq {}..{}); {} "
                    + "since open", this.dir, this.maxBytes, files, count, from, to, this.dropped.get());
        }
    }

    private void forceDirectory() throws IOException {
        try (FileChannel directory = FileChannel.open(this.dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    // ---- state

    /** Holding the write lock. */
    private void refreshFirst() {
        for (Segment segment : this.segments) {
            if (segment.hasRecords()) {
                this.firstSequence = segment.firstSequence;
                return;
            }
        }
        this.firstSequence = this.lastSequence + 1;
    }

    private void ensureOpen() throws IOException {
        if (this.closed) {
            throw new IOException("spool " + this.dir + " is closed");
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            this.log.debug("spool {}: closing: {}", this.dir, e.toString());
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing more to do with it
            }
        }
    }
}
