package io.opcscraper.timescale.internal.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * What the spool knows of one segment file: its sequence range and sizes, never its records.
 * Fields are guarded by the spool's lock, except {@link #corruptAt}.
 */
final class Segment {

    /** The header: magic, version, first sequence (16 bytes, little-endian). */
    static final int HEADER = 16;
    /** "SPOL" as little-endian bytes. */
    static final int MAGIC = 0x4C4F5053;
    static final int VERSION = 1;

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

    /** Writes the header of a segment whose first sequence is {@code first} at the start of the file. */
    static void writeHeader(FileChannel channel, long first) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(MAGIC).putInt(VERSION).putLong(first).flip();
        while (header.hasRemaining()) {
            channel.write(header, header.position());
        }
    }
}
