package io.opcscraper.timescale.internal.spool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.api.Sample;

/**
 * The writer's spool: every sample the writer accepts gets a sequence number here and waits until
 * its batch has committed to the database ({@link #release}). Format and guarantees:
 * {@code docs/spool.md}.
 *
 * <h2>Two modes ({@link SpoolPolicy})</h2>
 * <ul>
 * <li>{@link SpoolPolicy.Mode#ALWAYS}: an append is on disk (written and forced) before it returns, its return
 * is the acknowledgement. Appends wait for a shared force ({@link GroupCommit}): at most one force
 * per {@value SpoolPolicy#GROUP_COMMIT_INTERVAL_MS} ms whatever the rate.</li>
 * <li>{@link SpoolPolicy.Mode#ON_BACKLOG}: while the database keeps up an append stays in memory
 * ({@link MemoryTail}) and returns at once; what commits leaves without ever being written. The
 * samples go to disk (written and forced) when one has waited longer than the policy's window, when
 * memory holds more than its bound, when the writer says the database is gone or behind
 * ({@link #spill}), and at {@link #close}; from then on appends go to disk as in {@code ALWAYS} until
 * the writer says the backlog is gone ({@link #backlogCleared}). A crash while samples are only in
 * memory loses them: at most the window's worth.</li>
 * </ul>
 *
 * <h2>Layout</h2>
 * A directory of append-only segment files {@code seg-<first sequence, 20 digits>.spool}, each a
 * 16-byte header and CRC-checked records ({@link Segment}, {@link SampleCodec}); sequences within a
 * segment are contiguous. A segment is rolled when the next write would take it past
 * {@code clamp(maxBytes / 8, 64 KiB, 8 MiB)}, and when the sequences would not follow on. Readers
 * only see forced records ({@link SegmentReader}) and memory.
 *
 * <h2>fsync policy</h2>
 * Records: forced before they are acknowledged ({@code ALWAYS}) or before they leave memory
 * ({@code ON_BACKLOG}). A new segment: header and directory forced before a record goes in; the
 * previous segment forced before it is left. Recovery truncations are forced. {@link #release} and
 * the bound delete whole files without forcing the directory: a deletion lost to a crash only brings
 * back samples that had already committed (the progress marker skips them) or were dropped. The
 * local record of what was committed and sent: {@link Watermark}.
 *
 * <h2>Recovery, bound</h2>
 * {@link #open} checks every record ({@link SpoolRecovery}). Beyond {@code maxBytes} on disk the
 * oldest segments (never the one being written) are deleted; their unreleased samples are counted
 * ({@link #droppedSamples}) and handed to the writer ({@link #takeDrops}), which decides which were
 * lost.
 *
 * <h2>Threads</h2>
 * Thread-safe. Appends are serialized (the append lock, held while records are written, forced or
 * moved from memory to disk); reads run concurrently with each other and with appends.
 */
public final class Spool implements AutoCloseable {

    static final long MIN_SEGMENT_BYTES = 64L << 10;
    static final long MAX_SEGMENT_BYTES = 8L << 20;

    private final Logger log = LoggerFactory.getLogger(Spool.class);
    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final SpoolPolicy policy;

    /** Serializes appends and everything that writes, forces or moves records. */
    private final ReentrantLock appendLock = new ReentrantLock();
    /** Guards the segment list, each segment's fields and the memory tail: readers share it. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    private final SegmentLog segments;
    private final SegmentWriter writer;
    private final GroupCommit commit;
    private final MemoryTail tail = new MemoryTail();
    private final BatchEncoder encoder = new BatchEncoder();
    private final SegmentReader reader;
    /** The local record of what was committed and sent (thread-safe itself). */
    private Watermark watermark;

    // Append lock: what was handed out and written.
    /** The highest sequence handed out (in memory, written or forced). */
    private long assignedUpTo;
    /** The highest sequence written to disk (maybe not forced yet). */
    private long writtenUpTo;
    /** The highest sequence forced to disk. */
    private long durableUpTo;
    /** Sequences up to this may sit, unacknowledged, past the active segment's end (a failed cut-back). */
    private long dirtyUpTo;
    /** Disk writes so far: the tickets of the group commit. */
    private long writes;
    /** The last sequence the segments held when the spool was opened (before any skip). */
    private long recoveredLast;
    /** Appends go to disk until the backlog is gone ({@code ON_BACKLOG}). */
    private volatile boolean spilling;

    // Write lock: what readers see.
    private volatile long lastSequence;
    private volatile long firstSequence = 1;
    private volatile boolean closed;
    private final AtomicLong diskWrites = new AtomicLong();
    private final AtomicLong corrupt = new AtomicLong();

    private final LongSupplier nanoTime;

    private Spool(Path dir, long maxBytes, SpoolPolicy policy, LongSupplier nanoTime) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.policy = policy;
        this.nanoTime = nanoTime;
        this.segmentBytes = Math.max(MIN_SEGMENT_BYTES, Math.min(MAX_SEGMENT_BYTES, maxBytes / 8));
        this.reader = new SegmentReader(dir, this.log, this.corrupt);
        this.segments = new SegmentLog(dir, this.log, maxBytes);
        this.writer = new SegmentWriter(dir);
        this.commit = new GroupCommit(policy.forceIntervalMillis(), nanoTime);
    }

    /** {@link #open(Path, long, SpoolPolicy)} in mode {@link SpoolPolicy.Mode#ALWAYS}. */
    public static Spool open(Path dir, long maxBytes) throws IOException {
        return open(dir, maxBytes, SpoolPolicy.ALWAYS);
    }

    /**
     * Opens (creating) the spool in dir, recovering what is there; maxBytes bounds its size on disk.
     *
     * @throws IOException if the directory cannot be created, listed, read or written (never
     *         because of what the files hold)
     */
    public static Spool open(Path dir, long maxBytes, SpoolPolicy policy) throws IOException {
        return open(dir, maxBytes, policy, System::nanoTime);
    }

    /** {@link #open(Path, long, SpoolPolicy)} with a clock of its own (tests of the memory window). */
    static Spool open(Path dir, long maxBytes, SpoolPolicy policy, LongSupplier nanoTime) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(policy, "policy");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        Spool spool = new Spool(dir, maxBytes, policy, nanoTime);
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
        this.watermark = Watermark.open(this.dir);
        this.segments.recovered(found.segments(), this.watermark.committed());
        if (this.segments.last() == null) {
            listRolled(this.writer.roll(1));
        } else {
            Segment last = this.segments.last();
            this.writer.resume(last);
            this.assignedUpTo = last.lastSequence;
            this.writtenUpTo = last.lastSequence;
            this.durableUpTo = last.lastSequence;
            this.lastSequence = last.lastSequence;
            this.recoveredLast = last.lastSequence;
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
        this.log.info("spool {}: opened, {} segment(s), {} bytes, sequences {}..{}; committed up to {}, sent up to {}"
                + "; mode {}", this.dir, this.segments.count(), this.segments.sizeBytes(), this.firstSequence,
                this.lastSequence, this.watermark.committed(), this.watermark.sent(), this.policy.mode());
    }

    /**
     * Takes the samples and returns the sequence number of the last one (of the last taken before,
     * if the list is empty). Sequence numbers start at 1, grow by one per sample, never repeat and
     * survive restarts. In {@code ALWAYS} mode (and while spilling) they are on disk when this
     * returns; in {@code ON_BACKLOG} mode they may be in memory only (see the class comment).
     *
     * @throws IOException if they could not be stored (disk full, I/O error, closed, interrupted):
     *         then none of them is acknowledged
     * @throws IllegalArgumentException if a sample encodes to more than 16 MiB (nothing is stored)
     */
    public long append(List<Sample> samples) throws IOException {
        Objects.requireNonNull(samples, "samples");
        long ticket;
        long last;
        this.appendLock.lock();
        try {
            ensureOpen();
            if (samples.isEmpty()) {
                return this.assignedUpTo;
            }
            if (this.dirtyUpTo > this.assignedUpTo) {
                advance(this.dirtyUpTo);
            }
            long first = this.assignedUpTo + 1;
            last = first + samples.size() - 1;
            try {
                this.encoder.encode(samples, first);
                if (this.policy.mode() == SpoolPolicy.Mode.ON_BACKLOG && !this.spilling) {
                    keepInMemory(first, last);
                    return last;
                }
                flushTail();
                ticket = writeToDisk(this.encoder.array(), this.encoder.length(), first, last);
                this.commit.enter();
            } finally {
                this.encoder.trim();
            }
        } finally {
            this.appendLock.unlock();
        }
        this.commit.await(ticket, this::forceAndPublish);
        return last;
    }

    /**
     * {@code ON_BACKLOG}: the database is gone or falls behind: what waits in memory goes to disk
     * now (forced), and appends go to disk until {@link #backlogCleared}. Nothing in {@code ALWAYS}.
     */
    public void spill() throws IOException {
        if (this.policy.mode() != SpoolPolicy.Mode.ON_BACKLOG) {
            return;
        }
        this.appendLock.lock();
        try {
            ensureOpen();
            if (!this.spilling) {
                this.spilling = true;
                this.log.debug("spool {}: spilling to disk ({} bytes in memory)", this.dir, this.tail.bytes());
            }
            flushTail();
        } finally {
            this.appendLock.unlock();
        }
    }

    /** {@code ON_BACKLOG}: the writer has caught up: appends stay in memory again. */
    public void backlogCleared() {
        if (this.spilling) {
            this.spilling = false;
            this.log.debug("spool {}: the backlog is gone: samples stay in memory again", this.dir);
        }
    }

    /** Whether appends go to disk now (always in {@code ALWAYS} mode). */
    public boolean spilling() {
        return this.policy.mode() == SpoolPolicy.Mode.ALWAYS || this.spilling;
    }

    /**
     * {@code ON_BACKLOG}: what has waited in memory longer than the window goes to disk now (the
     * writer calls it on its schedule, so the window holds even when no append comes).
     */
    public void flushAged() throws IOException {
        if (this.policy.mode() != SpoolPolicy.Mode.ON_BACKLOG) {
            return;
        }
        this.appendLock.lock();
        try {
            if (!this.closed && isAged()) {
                this.spilling = true;
                flushTail();
            }
        } finally {
            this.appendLock.unlock();
        }
    }

    /** {@link #read(long, int, long)} without a bound in bytes. */
    public List<SpooledSample> read(long afterSequence, int max) throws IOException {
        return read(afterSequence, max, Long.MAX_VALUE);
    }

    /**
     * Up to max samples with sequence greater than afterSequence, and at most maxBytes of them
     * encoded (but at least one), in sequence order (it does not remove them): from disk, then from
     * memory. Reading on from the last sequence a read returned does not rescan the segment.
     */
    public List<SpooledSample> read(long afterSequence, int max, long maxBytes) throws IOException {
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
            ReadBudget budget = new ReadBudget(max, maxBytes);
            List<SpooledSample> out = this.reader.read(this.segments.segments(), afterSequence, last, max, budget);
            if (!budget.spent() && !this.tail.isEmpty()) {
                long after = out.isEmpty() ? afterSequence : out.get(out.size() - 1).sequence();
                this.tail.read(after, budget, out);
            }
            return out;
        } finally {
            this.lock.readLock().unlock();
        }
    }

    /**
     * Everything up to and including upToSequence is committed to a database: the committed
     * watermark moves there ({@link Watermark} says when it reaches the disk), what memory holds up to
     * it leaves without being written, and the segments whose samples are all at or below it are
     * deleted, except the one being written (it goes once it is rolled and released).
     */
    public void release(long upToSequence) throws IOException {
        long committed;
        this.lock.writeLock().lock();
        try {
            ensureOpen();
            committed = this.segments.release(upToSequence, this.writer.active());
            this.tail.releaseUpTo(upToSequence);
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
     * The writer is about to send a batch ending at {@code last}; the record says so before it goes.
     * {@code ALWAYS}: every sample sent is on disk, so the spool never hands its sequence out again;
     * the record only has to say that something beyond the committed watermark may have been sent
     * (once after each settled state). {@code ON_BACKLOG}: a sample sent from memory can be lost in a
     * crash while the database holds it, so the sent watermark must cover it before it goes: it moves
     * up to {@code lookAhead} beyond, but never past what exists, so a crash leaves no gap of
     * sequences that were never handed out.
     */
    public void sending(long last, long lookAhead) throws IOException {
        ensureOpen();
        if (this.policy.mode() == SpoolPolicy.Mode.ALWAYS) {
            if (this.watermark.sent() <= this.watermark.committed()) {
                this.watermark.reserve(Math.max(last, this.watermark.committed() + 1));
            }
        } else if (last > this.watermark.sent()) {
            this.watermark.reserve(Math.max(last, Math.min(last + lookAhead, this.lastSequence)));
        }
    }

    /** The last sequence the segments held at open, before any skip (0 for none). */
    public long lastRecovered() {
        return this.recoveredLast;
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
            if (sequence > this.assignedUpTo) {
                flushTail();
                advance(sequence);
            }
        } finally {
            this.appendLock.unlock();
        }
    }

    /** The highest sequence a reader can read (0 if none ever). */
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
        return this.segments.sizeBytes();
    }

    /** The encoded bytes held in memory ({@code ON_BACKLOG}). */
    public long memoryBytes() {
        this.lock.readLock().lock();
        try {
            return this.tail.bytes();
        } finally {
            this.lock.readLock().unlock();
        }
    }

    /** The policy it was opened with. */
    public SpoolPolicy policy() {
        return this.policy;
    }

    /** Writes of records to disk so far (a write is one batch or one move from memory). */
    public long diskWrites() {
        return this.diskWrites.get();
    }

    /** Forces of records so far (the group commit's; segment headers and the local record not counted). */
    public long recordForces() {
        return this.commit.forces();
    }

    /** Samples dropped because of maxBytes, since open (already released ones are not counted). */
    public long droppedSamples() {
        return this.segments.droppedSamples();
    }

    /**
     * The sequences dropped for the bound since the last call (released ones are not among them),
     * with the spool's first sequence at the same moment: every sequence dropped later is at or
     * above it.
     */
    public Drops takeDrops() {
        this.lock.writeLock().lock();
        try {
            return new Drops(this.segments.takeDrops(), this.firstSequence);
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
            return this.segments.count();
        } finally {
            this.lock.readLock().unlock();
        }
    }

    /** What memory holds goes to disk first (nothing is lost at a stop, even with the database away). */
    @Override
    public void close() throws IOException {
        this.appendLock.lock();
        try {
            if (this.closed) {
                return;
            }
            try {
                flushTail();
            } finally {
                this.lock.writeLock().lock();
                try {
                    this.closed = true;
                    this.writer.close();
                } finally {
                    this.lock.writeLock().unlock();
                }
                if (this.watermark != null) {
                    this.watermark.close();
                }
            }
        } finally {
            this.appendLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Spool[" + this.dir + ", sequences " + this.firstSequence + ".." + this.lastSequence + ", "
                + this.segments.sizeBytes() + " bytes, " + this.policy.mode() + "]";
    }

    // ---- memory (append lock held)

    private void keepInMemory(long first, long last) throws IOException {
        byte[] records = Arrays.copyOf(this.encoder.array(), this.encoder.length());
        this.lock.writeLock().lock();
        try {
            this.tail.add(new MemoryTail.Chunk(first, last, records, this.nanoTime.getAsLong()));
            this.assignedUpTo = last;
            this.lastSequence = last;
            refreshFirst();
        } finally {
            this.lock.writeLock().unlock();
        }
        if (this.tail.bytes() > this.policy.memoryMaxBytes() || isAged()) {
            // Behind: the samples that wait go to disk, and the next ones too until the writer catches up.
            this.spilling = true;
            flushTail();
        }
    }

    private boolean isAged() {
        return !this.tail.isEmpty() && this.nanoTime.getAsLong() - this.tail.oldestNanos()
                > TimeUnit.MILLISECONDS.toNanos(this.policy.windowMillis());
    }

    /** Writes what memory holds to disk, forces it, and lets it leave memory. */
    private void flushTail() throws IOException {
        if (this.tail.isEmpty()) {
            return;
        }
        List<MemoryTail.Chunk> chunks;
        this.lock.readLock().lock();
        try {
            chunks = this.tail.chunks();
        } finally {
            this.lock.readLock().unlock();
        }
        for (MemoryTail.Chunk chunk : chunks) {
            writeToDisk(chunk.records(), chunk.records().length, chunk.first(), chunk.last());
        }
        forceAndPublishNow();
    }

    // ---- disk (append lock held)

    /** Writes records first..last to the active segment (rolling it when needed); returns the ticket. */
    private long writeToDisk(byte[] records, int n, long first, long last) throws IOException {
        Segment segment = this.writer.active();
        boolean follows = segment.hasRecords() ? segment.lastSequence == first - 1 : segment.firstSequence == first;
        if (!follows || segment.corruptAt != Long.MAX_VALUE || segment.hasRecords()
                && segment.fileSize + n > this.segmentBytes) {
            rollTo(first);
            segment = this.writer.active();
        }
        long start = segment.fileSize;
        try {
            this.writer.write(records, n);
        } catch (IOException | RuntimeException e) {
            if (!this.writer.cutBack(start, e)) {
                this.dirtyUpTo = Math.max(this.dirtyUpTo, last);
                this.log.error("spool {}: a failed append could not be cut back in {} ({}); appends go on in a new "
                        + "segment after sequence {}", this.dir, segment.path.getFileName(), e, last);
            }
            throw e;
        }
        segment.lastSequence = last;
        this.writtenUpTo = last;
        this.assignedUpTo = Math.max(this.assignedUpTo, last);
        this.diskWrites.incrementAndGet();
        return ++this.writes;
    }

    /** Starts segment {@code first}: what the previous one holds is forced and published first. */
    private void rollTo(long first) throws IOException {
        Segment old = this.writer.active();
        if (old != null && old.fileSize > old.end) {
            forceAndPublishNow();
        }
        listRolled(this.writer.roll(first));
    }

    /** Lists a new (empty) segment; an old one that held nothing goes. */
    private void listRolled(Segment segment) {
        this.lock.writeLock().lock();
        try {
            this.segments.rolled(segment);
            refreshFirst();
        } finally {
            this.lock.writeLock().unlock();
        }
    }

    /** The group commit's force: takes the append lock, forces, publishes (or cuts back). */
    private long forceAndPublish() throws GroupCommit.Failed {
        this.appendLock.lock();
        try {
            try {
                return forceAndPublishNow();
            } catch (IOException e) {
                throw new GroupCommit.Failed(this.writes, e);
            }
        } finally {
            this.appendLock.unlock();
        }
    }

    /**
     * Forces what was written and makes it visible (append lock held); on a failure cuts the active
     * segment back to what was forced before, so none of it is acknowledged. Returns the ticket covered.
     */
    private long forceAndPublishNow() throws IOException {
        Segment segment = this.writer.active();
        long covered = this.writes;
        long upTo = this.writtenUpTo;
        if (segment.fileSize > segment.end) {
            try {
                this.writer.force();
            } catch (IOException | RuntimeException e) {
                long durableLast = Math.max(segment.firstSequence - 1, this.durableUpTo);
                if (!this.writer.cutBack(segment.end, e)) {
                    this.dirtyUpTo = Math.max(this.dirtyUpTo, upTo);
                    this.log.error("spool {}: a failed force could not be cut back in {} ({}); appends go on in a new "
                            + "segment after sequence {}", this.dir, segment.path.getFileName(), e, upTo);
                }
                segment.lastSequence = durableLast;
                this.writtenUpTo = durableLast;
                this.assignedUpTo = Math.max(durableLast, this.tail.isEmpty() ? durableLast : this.tail.last());
                throw e instanceof IOException ? (IOException) e : new IOException(e);
            }
        }
        publish(segment, upTo);
        return covered;
    }

    /** What was forced becomes visible; what memory held of it leaves memory; the bound applies. */
    private void publish(Segment segment, long upTo) {
        this.durableUpTo = Math.max(this.durableUpTo, upTo);
        this.lock.writeLock().lock();
        try {
            this.segments.grown(segment.fileSize - segment.end);
            segment.end = segment.fileSize;
            this.tail.releaseUpTo(upTo);
            this.lastSequence = Math.max(this.lastSequence, upTo);
            this.segments.enforceBound(this.writer.active());
            refreshFirst();
        } finally {
            this.lock.writeLock().unlock();
        }
    }

    /** Makes the next sequence {@code sequence + 1}, durably (a new segment carries it). */
    private void advance(long sequence) throws IOException {
        if (sequence <= this.assignedUpTo) {
            return;
        }
        rollTo(sequence + 1);
        this.assignedUpTo = sequence;
        this.writtenUpTo = sequence;
        this.durableUpTo = sequence;
        this.lock.writeLock().lock();
        try {
            this.lastSequence = Math.max(this.lastSequence, sequence);
            refreshFirst();
        } finally {
            this.lock.writeLock().unlock();
        }
    }

    // ---- state

    /** Holding the write lock. */
    private void refreshFirst() {
        long first = this.segments.firstVisible();
        if (first >= 0) {
            this.firstSequence = first;
            return;
        }
        this.firstSequence = this.tail.isEmpty() ? this.lastSequence + 1 : this.tail.first();
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
}
