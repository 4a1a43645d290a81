package io.opcscraper.timescale.internal.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The spool's local record of what left it, in the file {@code watermark} of the spool directory:
 * <ul>
 * <li><b>committed</b>: every sequence at or below it was committed to a database (or dropped for
 * the bound); no database is ever sent one of them again;</li>
 * <li><b>sent</b>: no sequence above it was ever sent to a database. Sequences in
 * (committed, sent] may have reached a database whose answer was not heard (a crash, a lost reply):
 * only that database can tell.</li>
 * </ul>
 *
 * <p>Two slots of {@value #SLOT} bytes, written in turn, each with a generation and a CRC32C, each
 * write forced ({@code fdatasync}) before it returns: a write a crash tears spoils only its own
 * slot, and the other still holds the previous record. The slot with the highest sound generation
 * is the record; no sound slot (a missing file, a first start) reads as 0 and 0.
 *
 * <p>The sent watermark is forced before {@link #reserve} returns: the writer sends nothing beyond
 * it before. The committed one is forced at most once every {@value #COMMITTED_FORCE_INTERVAL_MS}
 * ms (and by {@link #flush} and {@link #close}): the database's own marker is the authority whenever
 * the writer meets that database again; the record decides only what another database receives.
 * Thread-safe.
 */
final class Watermark implements AutoCloseable {

    static final String FILE = "watermark";
    /** The committed watermark reaches the disk at most this often (and at flush and close). */
    static final long COMMITTED_FORCE_INTERVAL_MS = 1000;
    static final int SLOT = 40;
    /** "SPWM" as little-endian bytes. */
    private static final int MAGIC = 0x4D575053;
    private static final short VERSION = 1;
    /** magic, version, pad, generation, committed, sent: the CRC covers these. */
    private static final int BODY = 4 + 2 + 2 + 8 + 8 + 8;

    private final Path file;
    private final FileChannel channel;
    private long generation;
    /** What the slot on disk says. */
    private long committed;
    private long sent;
    /** The committed watermark in memory: at or ahead of the record on disk. */
    private long committedNow;
    private long forcedNanos = System.nanoTime();

    private Watermark(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens (creating) the record in {@code dir} and reads it. */
    static Watermark open(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        Watermark watermark = new Watermark(file, channel);
        try {
            watermark.read();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return watermark;
    }

    /** Every sequence at or below it was committed to a database (as far as this record was told). */
    synchronized long committed() {
        return this.committedNow;
    }

    /** No sequence above it was ever sent to a database; at least {@link #committed()}. */
    synchronized long sent() {
        return Math.max(this.sent, this.committedNow);
    }

    /** Raises the committed watermark; forced to disk if the last force is older than the interval. */
    synchronized void commit(long upTo) throws IOException {
        if (upTo <= this.committedNow) {
            return;
        }
        this.committedNow = upTo;
        if (System.nanoTime() - this.forcedNanos >= COMMITTED_FORCE_INTERVAL_MS * 1_000_000L) {
            write(this.committedNow, this.sent);
        }
    }

    /** Raises the sent watermark and forces it (with the committed one) to disk before returning. */
    synchronized void reserve(long upTo) throws IOException {
        if (upTo > this.sent) {
            write(this.committedNow, upTo);
        }
    }

    /** Brings the sent watermark down to the committed one: nothing sent is in doubt any more. */
    synchronized void settleSent() throws IOException {
        if (this.sent > this.committedNow || this.committed < this.committedNow) {
            write(this.committedNow, this.committedNow);
        }
    }

    /** Forces the committed watermark to disk if it moved since the last write. */
    synchronized void flush() throws IOException {
        if (this.committed < this.committedNow) {
            write(this.committedNow, this.sent);
        }
    }

    Path file() {
        return this.file;
    }

    /** Writes a new record and forces it to disk; {@code sent} is raised to at least {@code committed}. */
    private void write(long newCommitted, long newSent) throws IOException {
        long nextGeneration = this.generation + 1;
        long writtenSent = Math.max(newSent, newCommitted);
        ByteBuffer slot = encode(nextGeneration, newCommitted, writtenSent);
        long position = (nextGeneration & 1) * SLOT;
        while (slot.hasRemaining()) {
            position += this.channel.write(slot, position);
        }
        this.channel.force(false);
        this.generation = nextGeneration;
        this.committed = newCommitted;
        this.sent = writtenSent;
        this.forcedNanos = System.nanoTime();
    }

    /** Flushes, then closes the file. */
    @Override
    public synchronized void close() throws IOException {
        if (!this.channel.isOpen()) {
            return;
        }
        try {
            flush();
        } finally {
            this.channel.close();
        }
    }

    private void read() throws IOException {
        ByteBuffer both = ByteBuffer.allocate(2 * SLOT).order(ByteOrder.LITTLE_ENDIAN);
        while (both.hasRemaining()) {
            if (this.channel.read(both, both.position()) < 0) {
                break;
            }
        }
        for (int i = 0; i < 2; i++) {
            int at = i * SLOT;
            if (both.position() < at + SLOT || !sound(both, at)) {
                continue;
            }
            long slotGeneration = both.getLong(at + 8);
            if (slotGeneration > this.generation) {
                this.generation = slotGeneration;
                this.committed = both.getLong(at + 16);
                this.sent = both.getLong(at + 24);
            }
        }
        this.committedNow = this.committed;
    }

    private static boolean sound(ByteBuffer buffer, int at) {
        if (buffer.getInt(at) != MAGIC || buffer.getShort(at + 4) != VERSION) {
            return false;
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), at, BODY);
        return (int) crc.getValue() == buffer.getInt(at + BODY) && buffer.getLong(at + 16) >= 0
                && buffer.getLong(at + 24) >= buffer.getLong(at + 16);
    }

    private static ByteBuffer encode(long generation, long committed, long sent) {
        ByteBuffer slot = ByteBuffer.allocate(SLOT).order(ByteOrder.LITTLE_ENDIAN);
        slot.putInt(MAGIC).putShort(VERSION).putShort((short) 0).putLong(generation).putLong(committed).putLong(sent);
        CRC32C crc = new CRC32C();
        crc.update(slot.array(), 0, BODY);
        slot.putInt((int) crc.getValue());
        slot.position(0);
        return slot;
    }
}
