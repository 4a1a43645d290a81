package io.opcscraper.timescale.internal.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;

import io.opcscraper.timescale.internal.spool.RecordReader.Status;

/**
 * What {@link Spool#open} finds on disk: every segment of the directory read through and checked
 * (length, CRC, sequence, structure of every record), damage in the last segment truncated (a write
 * a crash interrupted), damage in an earlier one skipped, overlapping segments set aside. Each case
 * is logged here, once; bad data never makes recovery throw. The rules are in {@code docs/spool.md}.
 */
final class SpoolRecovery {

    private static final Pattern NAME = Pattern.compile("seg-(\\d{20})\\.spool");
    private static final int SCAN_BUFFER = 1 << 20;

    /**
     * The sound segments in sequence order (the last one repaired and ready for appends), how many
     * sequences must be skipped so that none a damaged tail might have used is used again, and how
     * many damaged places were found.
     */
    record Recovered(List<Segment> segments, long gap, long corrupt) {
    }

    private final Path dir;
    private final Logger log;
    private long corrupt;

    private SpoolRecovery(Path dir, Logger log) {
        this.dir = dir;
        this.log = log;
    }

    static Recovered recover(Path dir, Logger log) throws IOException {
        return new SpoolRecovery(dir, log).run();
    }

    /** The file name of the segment whose first sequence is {@code first}. */
    static String fileName(long first) {
        return String.format("seg-%020d.spool", first);
    }

    private Recovered run() throws IOException {
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
        List<Segment> segments = new ArrayList<>();
        long highest = 0;
        for (Segment segment : found) {
            scan(segment);
            if (!segments.isEmpty() && segment.firstSequence <= highest) {
                setAside(segment, highest);
                continue;
            }
            segments.add(segment);
            highest = Math.max(highest, segment.lastSequence);
        }
        for (int i = 0; i < segments.size() - 1; i++) {
            reportSealed(segments.get(i));
        }
        long gap = segments.isEmpty() ? 0 : repairLast(segments.get(segments.size() - 1));
        return new Recovered(segments, gap, this.corrupt);
    }

    /** Reads a segment through, recording its sound extent and the first damage. */
    private void scan(Segment segment) throws IOException {
        try (FileChannel channel = FileChannel.open(segment.path, StandardOpenOption.READ)) {
            long size = channel.size();
            segment.fileSize = size;
            segment.end = 0;
            if (size < Segment.HEADER) {
                segment.headerBad = true;
                segment.damageAtTail = true;
                segment.damage = "header incomplete";
                return;
            }
            ByteBuffer header = ByteBuffer.allocate(Segment.HEADER).order(ByteOrder.LITTLE_ENDIAN);
            while (header.hasRemaining()) {
                if (channel.read(header, header.position()) < 0) {
                    throw new IOException("segment " + segment.path + " shrank while it was read");
                }
            }
            if (header.getInt(0) != Segment.MAGIC || header.getInt(4) != Segment.VERSION
                    || header.getLong(8) != segment.firstSequence) {
                segment.headerBad = true;
                segment.damageAtTail = allZero(channel, 0, size);
                segment.damage = "not a version " + Segment.VERSION + " segment header for sequence "
                        + segment.firstSequence;
                return;
            }
            RecordReader reader = new RecordReader(channel, Segment.HEADER, size, SCAN_BUFFER);
            long expected = segment.firstSequence;
            while (true) {
                Status status = reader.next();
                if (status == Status.END) {
                    break;
                }
                String damage = null;
                if (status != Status.OK) {
                    damage = status.describe();
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
            this.corrupt++;
            this.log.error("spool {}: segment {} has a bad header ({}): its {} bytes are skipped", this.dir,
                    segment.path.getFileName(), segment.damage, segment.fileSize);
        } else if (segment.damageAt >= 0) {
            this.corrupt++;
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
            long lost = Math.max(0, segment.fileSize - Segment.HEADER);
            if (segment.damageAtTail) {
                this.log.warn("spool {}: segment {} has a torn header ({} bytes: a crash while it was created); "
                        + "rewritten", this.dir, segment.path.getFileName(), segment.fileSize);
            } else {
                this.corrupt++;
                this.log.error("spool {}: segment {} has a bad header ({}): its {} bytes are discarded and it is "
                        + "rewritten", this.dir, segment.path.getFileName(), segment.damage, segment.fileSize);
            }
            try (FileChannel channel = FileChannel.open(segment.path, StandardOpenOption.WRITE)) {
                channel.truncate(0);
                Segment.writeHeader(channel, segment.firstSequence);
                channel.force(true);
            }
            segment.fileSize = Segment.HEADER;
            segment.end = Segment.HEADER;
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
            this.corrupt++;
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
        this.corrupt++;
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
}
