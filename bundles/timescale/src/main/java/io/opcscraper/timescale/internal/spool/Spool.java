package io.opcscraper.timescale.internal.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.api.Sample;
import io.opcscraper.timescale.internal.spool.RecordReader.Status;

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
 * {@link #open} reads every segment in order and checks every record (length, CRC, sequence,
 * structure). In the last segment, damage (a write a crash interrupted) is truncated with a WARN
 * naming the file and offset; if the damage does not look like a torn write (a bad record with
 * more after it) it is counted and logged at ERROR, and the sequence numbers skip enough that none
 * that might have been used there is used again. Damage in an earlier segment: the rest of that
 * segment is skipped, counted ({@link #corruptRecords}) and logged at ERROR. Bad data never makes
 * {@code open} throw.
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

    static final int SEGMENT_HEADER = 16;
    /** "SPOL" as little-endian bytes. */
    static final int MAGIC = 0x4C4F5053;
    static final int VERSION = 1;
    static final long MIN_SEGMENT_BYTES = 64L << 10;
    static final long MAX_SEGMENT_BYTES = 8L << 20;

    private static final Pattern NAME = Pattern.compile("seg-(\\d{20})\\.spool");
    private static final int READ_BUFFER = 128 << 10;
    private static final int SCAN_BUFFER = 1 << 20;
    private static final int CURSORS = 8;

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
    private long releasedUpTo;

    private volatile long lastSequence;
    private volatile long firstSequence = 1;
    private volatile long sizeBytes;
    private volatile boolean closed;
    private final AtomicLong dropped = new AtomicLong();
    /** Sequences dropped for the bound since the last {@link #takeDrops}. Guarded by the write lock. */
    private final LongRanges drops = new LongRanges();
    private final AtomicLong corrupt = new AtomicLong();

    /** Where the record after a sequence a read returned last starts, so paging does not rescan. */
    @SuppressWarnings("serial")
    private final Map<Long, Cursor> cursors = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Cursor> eldest) {
            return size() > CURSORS;
        }
    };

    private record Cursor(Segment segment, long offset) {
    }

    private Spool(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.max(MIN_SEGMENT_BYTES, Math.min(MAX_SEGMENT_BYTES, maxBytes / 8));
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
            spool.recover();
            opened = true;
            return spool;
        } finally {
            if (!opened) {
                spool.closeQuietly();
            }
        }
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
            List<SpooledSample> out = new ArrayList<>((int) Math.min(max, Math.min(last - afterSequence, 8192)));
            Cursor cursor;
            synchronized (this.cursors) {
                cursor = this.cursors.get(afterSequence);
            }
            long after = afterSequence;
            Segment lastSegment = null;
            long lastEnd = -1;
            for (int i = indexFor(after + 1); i < this.segments.size() && out.size() < max; i++) {
                Segment segment = this.segments.get(i);
                if (!segment.hasRecords() || segment.lastSequence <= after) {
                    continue;
                }
                long start = cursor != null && cursor.segment() == segment ? cursor.offset() : SEGMENT_HEADER;
                long end = readSegment(segment, start, after, max, out);
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
        } finally {
            this.lock.readLock().unlock();
        }
    }

    /**
     * Everything up to and including upToSequence is stored in the database: the segments whose
     * samples are all at or below it are deleted, except the one being written (it goes once it is
     * rolled and released).
     */
    public void release(long upToSequence) throws IOException {
        this.lock.writeLock().lock();
        try {
            ensureOpen();
            this.releasedUpTo = Math.max(this.releasedUpTo, upToSequence);
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

    // ---- recovery

    private void recover() throws IOException {
        Files.createDirectories(this.dir);
        List<Segment> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(this.dir)) {
            for (Path path : files) {
                Matcher m = NAME.matcher(path.getFileName().toString());
                if (!m.matches() || !Files.isRegularFile(path)) {
                    continue;
                }
                long first;
                try {
                    first = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    first = 0;
                }
                if (first < 1) {
                    this.log.error("spool {}: ignoring {}: not a valid first sequence", this.dir, path.getFileName());
                    continue;
                }
                found.add(new Segment(path, first));
            }
        }
        found.sort(Comparator.comparingLong(s -> s.firstSequence));
        long highest = 0;
        for (Segment segment : found) {
            scan(segment);
            if (!this.segments.isEmpty() && segment.firstSequence <= highest) {
                setAside(segment, highest);
                continue;
            }
            this.segments.add(segment);
            highest = Math.max(highest, segment.lastSequence);
        }
        for (int i = 0; i < this.segments.size() - 1; i++) {
            reportSealed(this.segments.get(i));
        }
        long gap = 0;
        if (!this.segments.isEmpty()) {
            Segment last = this.segments.get(this.segments.size() - 1);
            gap = repairLast(last);
            this.active = last;
            this.activeChannel = FileChannel.open(last.path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            this.lastSequence = last.lastSequence;
        }
        long size = 0;
        for (Segment segment : this.segments) {
            size += segment.fileSize;
        }
        this.sizeBytes = size;
        if (this.segments.isEmpty()) {
            roll(1);
        } else if (gap > 0) {
            advance(this.lastSequence + gap);
        }
        refreshFirst();
        this.log.info("spool {}: opened, {} segment(s), {} bytes, sequences {}..{}", this.dir, this.segments.size(),
                this.sizeBytes, this.firstSequence, this.lastSequence);
    }

    /** Reads a segment through, recording its sound extent and the first damage. */
    private void scan(Segment segment) throws IOException {
        try (FileChannel channel = FileChannel.open(segment.path, StandardOpenOption.READ)) {
            long size = channel.size();
            segment.fileSize = size;
            segment.end = 0;
            if (size < SEGMENT_HEADER) {
                segment.headerBad = true;
                segment.damageAtTail = true;
                segment.damage = "header incomplete";
                return;
            }
            ByteBuffer header = ByteBuffer.allocate(SEGMENT_HEADER).order(ByteOrder.LITTLE_ENDIAN);
            while (header.hasRemaining()) {
                if (channel.read(header, header.position()) < 0) {
                    throw new IOException("segment " + segment.path + " shrank while it was read");
                }
            }
            if (header.getInt(0) != MAGIC || header.getInt(4) != VERSION || header.getLong(8) != segment.firstSequence) {
                segment.headerBad = true;
                segment.damageAtTail = allZero(channel, 0, size);
                segment.damage = "not a version " + VERSION + " segment header for sequence " + segment.firstSequence;
                return;
            }
            RecordReader reader = new RecordReader(channel, SEGMENT_HEADER, size, SCAN_BUFFER);
            long expected = segment.firstSequence;
            while (true) {
                Status status = reader.next();
                if (status == Status.END) {
                    break;
                }
                String damage = null;
                if (status != Status.OK) {
                    damage = describe(status);
                } else if (reader.sequence() != expected) {
                    damage = "sequence " + reader.sequence() + " where " + expected + " belongs";
                } else if (!SampleCodec.isWellFormed(reader.array(), reader.payloadOffset(), reader.payloadLength())) {
                    damage = "malformed record";
                }
                if (damage != null) {
                    segment.damage = damage;
                    segment.damageAt = reader.recordOffset();
                    segment.damageAtTail = status == Status.INCOMPLETE || reader.recordEnd() == size
                            || allZero(channel, reader.recordOffset(), size);
                    break;
                }
                expected++;
            }
            segment.lastSequence = expected - 1;
            segment.end = segment.damageAt >= 0 ? segment.damageAt : size;
        }
    }

    /** A segment before the last: damage there is not a torn write. */
    private void reportSealed(Segment segment) {
        if (segment.headerBad) {
            this.corrupt.incrementAndGet();
            this.log.error("spool {}: segment {} has a bad header ({}): its {} bytes are skipped", this.dir,
                    segment.path.getFileName(), segment.damage, segment.fileSize);
        } else if (segment.damageAt >= 0) {
            this.corrupt.incrementAndGet();
            this.log.error("spool {}: corrupt record in {} at offset {} ({}): the rest of that segment, {} bytes, "
                    + "is skipped; {} sound record(s) before it are kept (sequences {}..{})", this.dir,
                    segment.path.getFileName(), segment.damageAt, segment.damage, segment.fileSize - segment.damageAt,
                    segment.lastSequence - segment.firstSequence + 1, segment.firstSequence, segment.lastSequence);
        }
    }

    /**
     * The last segment is where a crash interrupts writes: its damage is truncated. Returns how
     * many sequences to skip so that none that might have been used in the discarded bytes is used
     * again (0 for a torn write: what it held was never acknowledged).
     */
    private long repairLast(Segment segment) throws IOException {
        if (segment.headerBad) {
            long lost = Math.max(0, segment.fileSize - SEGMENT_HEADER);
            if (segment.damageAtTail) {
                this.log.warn("spool {}: segment {} has a torn header ({} bytes: a crash while it was created); "
                        + "rewritten", this.dir, segment.path.getFileName(), segment.fileSize);
            } else {
                this.corrupt.incrementAndGet();
                this.log.error("spool {}: segment {} has a bad header ({}): its {} bytes are discarded and it is "
                        + "rewritten", this.dir, segment.path.getFileName(), segment.damage, segment.fileSize);
            }
            try (FileChannel channel = FileChannel.open(segment.path, StandardOpenOption.WRITE)) {
                channel.truncate(0);
                writeHeader(channel, segment.firstSequence);
                channel.force(true);
            }
            segment.fileSize = SEGMENT_HEADER;
            segment.end = SEGMENT_HEADER;
            segment.lastSequence = segment.firstSequence - 1;
            return segment.damageAtTail ? 0 : (lost + SampleCodec.MIN_RECORD - 1) / SampleCodec.MIN_RECORD;
        }
        if (segment.damageAt < 0) {
            return 0;
        }
        long lost = segment.fileSize - segment.damageAt;
        long gap = 0;
        if (segment.damageAtTail) {
            this.log.warn("spool {}: torn tail in {} at offset {} ({}): {} bytes truncated; a write a crash "
                    + "interrupted, never acknowledged", this.dir, segment.path.getFileName(), segment.damageAt,
                    segment.damage, lost);
        } else {
            this.corrupt.incrementAndGet();
            gap = (lost + SampleCodec.MIN_RECORD - 1) / SampleCodec.MIN_RECORD;
            this.log.error("spool {}: corrupt record in {} at offset {} ({}) with more data after it: {} bytes "
                    + "truncated; sequences {}..{} are skipped so that none is used twice", this.dir,
                    segment.path.getFileName(), segment.damageAt, segment.damage, lost, segment.lastSequence + 1,
                    segment.lastSequence + gap);
        }
        try (FileChannel channel = FileChannel.open(segment.path, StandardOpenOption.WRITE)) {
            channel.truncate(segment.damageAt);
            channel.force(true);
        }
        segment.fileSize = segment.damageAt;
        segment.end = segment.damageAt;
        return gap;
    }

    /** A segment whose sequences an earlier one already holds (not something the spool writes). */
    private void setAside(Segment segment, long highest) {
        this.corrupt.incrementAndGet();
        Path aside = segment.path.resolveSibling(segment.path.getFileName() + ".overlap");
        try {
            Files.move(segment.path, aside, StandardCopyOption.REPLACE_EXISTING);
            this.log.error("spool {}: segment {} starts at sequence {}, but earlier segments hold up to {}: set aside "
                    + "as {}", this.dir, segment.path.getFileName(), segment.firstSequence, highest,
                    aside.getFileName());
        } catch (IOException e) {
            this.log.error("spool {}: segment {} starts at sequence {}, but earlier segments hold up to {}: ignored "
                    + "(it could not be set aside: {})", this.dir, segment.path.getFileName(),
                    segment.firstSequence, highest, e.toString());
        }
    }

    private static boolean allZero(FileChannel channel, long from, long to) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 << 10);
        long position = from;
        while (position < to) {
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), to - position));
            int n = channel.read(buffer, position);
            if (n < 0) {
                return true;
            }
            byte[] a = buffer.array();
            for (int i = 0; i < n; i++) {
                if (a[i] != 0) {
                    return false;
                }
            }
            position += n;
        }
        return true;
    }

    private static String describe(Status status) {
        switch (status) {
            case INCOMPLETE:
                return "record incomplete";
            case BAD_LENGTH:
                return "impossible record length";
            case BAD_CRC:
                return "CRC mismatch";
            default:
                return status.toString();
        }
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
        Path path = this.dir.resolve(String.format("seg-%020d.spool", first));
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            writeHeader(channel, first);
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
        segment.fileSize = SEGMENT_HEADER;
        segment.end = SEGMENT_HEADER;
        Segment old = this.active;
        FileChannel oldChannel = this.activeChannel;
        this.lock.writeLock().lock();
        try {
            this.segments.add(segment);
            this.sizeBytes += SEGMENT_HEADER;
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

    private static void writeHeader(FileChannel channel, long first) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(SEGMENT_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(MAGIC).putInt(VERSION).putLong(first).flip();
        while (header.hasRemaining()) {
            channel.write(header, header.position());
        }
    }

    private void forceDirectory() throws IOException {
        try (FileChannel directory = FileChannel.open(this.dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    // ---- reading

    /** The index of the last segment starting at or before seq (0 if none). Holding the lock. */
    private int indexFor(long seq) {
        int lo = 0;
        int hi = this.segments.size() - 1;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (this.segments.get(mid).firstSequence <= seq) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Reads records after {@code after} into out; returns the end of the last one added, or -1. */
    private long readSegment(Segment segment, long start, long after, int max, List<SpooledSample> out)
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
            while (out.size() < max) {
                Status status = reader.next();
                if (status == Status.END) {
                    break;
                }
                if (status != Status.OK) {
                    corruptOnRead(segment, reader.recordOffset(), describe(status));
                    break;
                }
                long seq = reader.sequence();
                if (seq <= after) {
                    continue;
                }
                Sample sample;
                try {
                    sample = SampleCodec.decode(reader.array(), reader.payloadOffset(), reader.payloadLength());
                } catch (RuntimeException e) {
                    corruptOnRead(segment, reader.recordOffset(), "malformed record: " + e);
                    break;
                }
                out.add(new SpooledSample(seq, sample));
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
