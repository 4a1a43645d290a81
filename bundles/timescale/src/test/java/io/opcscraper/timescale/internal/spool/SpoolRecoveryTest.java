package io.opcscraper.timescale.internal.spool;

import static io.opcscraper.timescale.internal.spool.SpoolSamples.assertContiguous;
import static io.opcscraper.timescale.internal.spool.SpoolSamples.fill;
import static io.opcscraper.timescale.internal.spool.SpoolSamples.firstOf;
import static io.opcscraper.timescale.internal.spool.SpoolSamples.readAll;
import static io.opcscraper.timescale.internal.spool.SpoolSamples.sample;
import static io.opcscraper.timescale.internal.spool.SpoolSamples.segments;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Torn and corrupt data: what survives, what is cut, and that open never throws for it. */
class SpoolRecoveryTest {

    private static final long MAX = 64L << 20;

    @TempDir
    Path dir;

    @Test
    void aTailTruncatedMidRecordIsCutAndAppendsContinue() throws IOException {
        Path segment = spoolOf(200);
        long size = Files.size(segment);
        truncate(segment, size - 10);
        reopenExpecting(199, size - recordSize(200), segment);
    }

    @Test
    void aLastRecordWithFlippedBytesIsCutAndAppendsContinue() throws IOException {
        Path segment = spoolOf(200);
        long size = Files.size(segment);
        flip(segment, size - 3);
        flip(segment, size - 30);
        reopenExpecting(199, size - recordSize(200), segment);
    }

    @Test
    void aLastRecordWithABrokenLengthIsCut() throws IOException {
        Path segment = spoolOf(200);
        long size = Files.size(segment);
        putInt(segment, size - recordSize(200) + 4, 0x7FFFFFF0);
        reopenExpecting(199, size - recordSize(200), segment);
    }

    @Test
    void aZeroFilledOrHalfWrittenTailIsCut() throws IOException {
        Path segment = spoolOf(200);
        long size = Files.size(segment);
        appendBytes(segment, new byte[4096]);
        reopenExpecting(200, size, segment);
        appendBytes(segment, new byte[] { 0x55, 0x55, 0x55, 0x55, 0x55 });
        try (Spool spool = SpoolSamples.open(this.dir, MAX)) {
            assertEquals(201, spool.lastSequence());
            assertEquals(0, spool.corruptRecords());
            assertContiguous(readAll(spool, 0, 64), 1, 201);
        }
    }

    @Test
    void aCorruptRecordInAnEarlierSegmentSkipsTheRestOfThatSegment() throws IOException {
        List<Path> files;
        try (Spool spool = SpoolSamples.open(this.dir, 512 * 1024)) {
            fill(spool, 3000, 50);
            files = segments(this.dir);
        }
        assertTrue(files.size() >= 4, files.toString());
        long f1 = firstOf(files.get(1));
        long f2 = firstOf(files.get(2));
        long k = f1 + 10;
        flip(files.get(1), offsetOf(f1, k) + 20);
        try (Spool spool = SpoolSamples.open(this.dir, 512 * 1024)) {
            assertEquals(1, spool.corruptRecords());
            assertEquals(3000, spool.lastSequence());
            List<SpooledSample> all = readAll(spool, 0, 100);
            assertContiguous(all.subList(0, (int) (k - 1)), 1, k - 1);
            assertContiguous(all.subList((int) (k - 1), all.size()), f2, 3000);
            // Paging from inside the lost range goes on at the next segment.
            assertEquals(f2, spool.read(k + 3, 1).get(0).sequence());
            assertEquals(3001, spool.append(List.of(sample(3001))));
            assertTrue(Files.exists(files.get(1)), "the damaged segment stays until it is released");
            spool.release(f2 - 1);
            assertTrue(Files.notExists(files.get(1)));
        }
    }

    @Test
    void aBadHeaderInAnEarlierSegmentSkipsThatSegment() throws IOException {
        List<Path> files;
        try (Spool spool = SpoolSamples.open(this.dir, 512 * 1024)) {
            fill(spool, 3000, 50);
            files = segments(this.dir);
        }
        flip(files.get(0), 1);
        try (Spool spool = SpoolSamples.open(this.dir, 512 * 1024)) {
            assertEquals(1, spool.corruptRecords());
            long f1 = firstOf(files.get(1));
            assertEquals(f1, spool.firstSequence());
            assertContiguous(readAll(spool, 0, 100), f1, 3000);
            assertEquals(3001, spool.append(List.of(sample(3001))));
        }
    }

    @Test
    void aCorruptRecordInTheMiddleOfTheLastSegmentNeverLetsASequenceBeUsedTwice() throws IOException {
        Path segment = spoolOf(200);
        flip(segment, offsetOf(1, 100) + 20);
        long last;
        try (Spool spool = SpoolSamples.open(this.dir, MAX)) {
            assertEquals(1, spool.corruptRecords());
            last = spool.lastSequence();
            assertTrue(last >= 200, "sequences skip past what the damaged bytes may have held: " + last);
            assertContiguous(readAll(spool, 0, 64), 1, 99);
            assertEquals(last + 1, spool.append(List.of(sample(last + 1))));
        }
        try (Spool spool = SpoolSamples.open(this.dir, MAX)) {
            assertEquals(0, spool.corruptRecords());
            assertEquals(last + 1, spool.lastSequence());
            List<SpooledSample> all = readAll(spool, 0, 64);
            assertEquals(100, all.size());
            assertEquals(last + 1, all.get(99).sequence());
        }
    }

    @Test
    void aSegmentWhoseCreationWasTornIsRewritten() throws IOException {
        spoolOf(50);
        Path torn = this.dir.resolve(String.format("seg-%020d.spool", 51));
        Files.write(torn, new byte[] { 0x53, 0x50, 0x4F });
        try (Spool spool = SpoolSamples.open(this.dir, MAX)) {
            assertEquals(0, spool.corruptRecords());
            assertEquals(50, spool.lastSequence());
            assertEquals(51, spool.append(List.of(sample(51))));
        }
        Path zeros = this.dir.resolve(String.format("seg-%020d.spool", 52));
        Files.write(zeros, new byte[Segment.HEADER]);
        try (Spool spool = SpoolSamples.open(this.dir, MAX)) {
            assertEquals(0, spool.corruptRecords());
            assertEquals(51, spool.lastSequence());
            assertEquals(52, spool.append(List.of(sample(52))));
            assertContiguous(readAll(spool, 0, 64), 1, 52);
        }
    }

    @Test
    void aSegmentOverlappingAnEarlierOneIsSetAside() throws IOException {
        Path segment = spoolOf(50);
        Path copy = this.dir.resolve(String.format("seg-%020d.spool", 5));
        Files.copy(segment, copy);
        try (Spool spool = SpoolSamples.open(this.dir, MAX)) {
            assertEquals(1, spool.corruptRecords());
            assertEquals(50, spool.lastSequence());
            assertContiguous(readAll(spool, 0, 64), 1, 50);
            assertEquals(51, spool.append(List.of(sample(51))));
        }
        assertTrue(Files.exists(this.dir.resolve(copy.getFileName() + ".overlap")));
    }

    @Test
    void damageFoundByAReadSkipsTheRestOfThatSegment() throws IOException {
        try (Spool spool = SpoolSamples.open(this.dir, 512 * 1024)) {
            fill(spool, 3000, 50);
            List<Path> files = segments(this.dir);
            long f1 = firstOf(files.get(1));
            long f2 = firstOf(files.get(2));
            flip(files.get(1), offsetOf(f1, f1 + 5) + 20);
            List<SpooledSample> all = readAll(spool, 0, 100);
            assertEquals(1, spool.corruptRecords());
            assertContiguous(all.subList(0, (int) (f1 + 4)), 1, f1 + 4);
            assertContiguous(all.subList((int) (f1 + 4), all.size()), f2, 3000);
            readAll(spool, 0, 100);
            assertEquals(1, spool.corruptRecords(), "counted once");
        }
    }

    @Test
    void anEmptyDirectoryAndAMissingOneBothOpen() throws IOException {
        Path nested = this.dir.resolve("a/b/c");
        try (Spool spool = SpoolSamples.open(nested, MAX)) {
            assertEquals(0, spool.lastSequence());
            assertEquals(1, spool.firstSequence());
            assertEquals(Segment.HEADER, spool.sizeBytes());
            assertTrue(spool.read(0, 10).isEmpty());
        }
        try (Spool spool = SpoolSamples.open(nested, MAX)) {
            assertEquals(0, spool.lastSequence());
            assertEquals(1, spool.append(List.of(sample(1))));
        }
    }

    // ---- helpers

    /** A spool in one segment holding 1..n; returns the segment. */
    private Path spoolOf(int n) throws IOException {
        try (Spool spool = SpoolSamples.open(this.dir, MAX)) {
            fill(spool, n, 20);
        }
        List<Path> files = segments(this.dir);
        assertEquals(1, files.size());
        return files.get(0);
    }

    /** Reopens after damage to the last record: what is before it is kept and appends go on. */
    private void reopenExpecting(long last, long truncatedTo, Path segment) throws IOException {
        try (Spool spool = SpoolSamples.open(this.dir, MAX)) {
            assertEquals(0, spool.corruptRecords(), "a torn tail is not corruption");
            assertEquals(last, spool.lastSequence());
            assertEquals(truncatedTo, Files.size(segment));
            assertContiguous(readAll(spool, 0, 64), 1, last);
            assertEquals(last + 1, spool.append(List.of(sample(last + 1))));
        }
        try (Spool spool = SpoolSamples.open(this.dir, MAX)) {
            assertEquals(last + 1, spool.lastSequence());
            assertContiguous(readAll(spool, 0, 64), 1, last + 1);
        }
    }

    private static int recordSize(long seq) {
        return SampleCodec.recordSize(sample(seq), new TextFields());
    }

    /** Where record seq starts in the segment whose first sequence is first. */
    private static long offsetOf(long first, long seq) {
        long offset = Segment.HEADER;
        for (long s = first; s < seq; s++) {
            offset += recordSize(s);
        }
        return offset;
    }

    private static void flip(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0xFF)).rewind();
            ch.write(b, offset);
        }
    }

    private static void putInt(Path file, long offset, int value) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value), offset);
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    private static void appendBytes(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.APPEND);
    }
}
