package io.opcscraper.timescale.internal.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The segment file being written: creating a segment durably (header forced, then the directory),
 * writing records at its end without forcing them, forcing, and cutting back what a failed write or
 * force left. The spool serializes every call (its append lock) and publishes what is durable.
 */
final class SegmentWriter {

    private final Path dir;
    private volatile Segment active;
    private FileChannel channel;
    /** Written since the last force (the spool must force before readers may see it). */
    private boolean dirty;

    SegmentWriter(Path dir) {
        this.dir = dir;
    }

    /** Writes on into an existing (recovered) segment. */
    void resume(Segment segment) throws IOException {
        this.active = segment;
        this.channel = FileChannel.open(segment.path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    Segment active() {
        return this.active;
    }

    /**
     * Creates segment {@code first} durably (header forced, then the directory) and writes on into
     * it; what the previous one holds is forced first. Returns the new segment (the caller lists it).
     */
    Segment roll(long first) throws IOException {
        if (this.dirty) {
            force();
        }
        Path path = this.dir.resolve(SpoolRecovery.fileName(first));
        FileChannel created = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            Segment.writeHeader(created, first);
            created.force(true);
            try (FileChannel directory = FileChannel.open(this.dir, StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(created);
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
        closeQuietly(this.channel);
        this.active = segment;
        this.channel = created;
        return segment;
    }

    /**
     * Writes {@code n} bytes of records at the end of the active segment (one positional write, not
     * forced). On a failure the caller cuts the segment back ({@link #cutBack}) to where it was.
     */
    void write(byte[] records, int n) throws IOException {
        long start = this.active.fileSize;
        ByteBuffer data = ByteBuffer.wrap(records, 0, n);
        long position = start;
        this.dirty = true;
        while (data.hasRemaining()) {
            position += channel().write(data, position);
        }
        this.active.fileSize = start + n;
    }

    /**
     * Forces what was written ({@code fdatasync}: data and the file size). The forcing thread's
     * interrupt status is set aside meanwhile: an interrupt would close the channel and fail the
     * force for every appender it covers, not only its own.
     */
    void force() throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            channel().force(false);
            this.dirty = false;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Cuts the active segment back to {@code end} after a failed write or force.
     *
     * @return whether it could (if not, the caller must not reuse the sequences written past it)
     */
    boolean cutBack(long end, Exception cause) {
        boolean interrupted = Thread.interrupted();
        try {
            FileChannel c = channel();
            c.truncate(end);
            c.force(true);
            this.active.fileSize = end;
            this.dirty = false;
            return true;
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
            return false;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void close() throws IOException {
        FileChannel c = this.channel;
        this.channel = null;
        if (c != null) {
            c.close();
        }
    }

    /** The active segment's channel, reopened if an interrupt closed it. */
    private FileChannel channel() throws IOException {
        FileChannel c = this.channel;
        if (c == null || !c.isOpen()) {
            c = FileChannel.open(this.active.path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            this.channel = c;
        }
        return c;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing a channel we no longer write: nothing more to do with it
            }
        }
    }
}
