package io.opcscraper.timescale.internal.spool;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Reads a segment's records in order, from a start offset up to a limit, through a buffer of
 * bounded size (it grows only to hold one record larger than it). Checks each record's length and
 * CRC; the caller checks the sequence and the payload. Not thread-safe.
 */
final class RecordReader {

    enum Status {
        /** A record whose CRC matches. */
        OK,
        /** Clean end: the limit is reached exactly. */
        END,
        /** The record (or its header) runs past the limit. */
        INCOMPLETE,
        /** The length field is impossible. */
        BAD_LENGTH,
        /** The CRC does not match. */
        BAD_CRC;

        /** What a damaged record's status means, for the log. */
        String describe() {
            switch (this) {
                case INCOMPLETE:
                    return "record incomplete";
                case BAD_LENGTH:
                    return "impossible record length";
                case BAD_CRC:
                    return "CRC mismatch";
                default:
                    return toString();
            }
        }
    }

    private final FileChannel channel;
    private final long limit;
    private final CRC32C crc = new CRC32C();
    private byte[] buf;
    private int bufPos;
    private int bufEnd;
    /** File offset of buf[bufPos]. */
    private long filePos;
    /** File offset of buf[bufEnd]. */
    private long fileRead;

    private long recordOffset;
    private long recordEnd;
    private long sequence;
    private int payloadOffset;
    private int payloadLength;

    RecordReader(FileChannel channel, long start, long limit, int bufferSize) {
        this.channel = channel;
        this.limit = limit;
        this.filePos = start;
        this.fileRead = start;
        this.buf = new byte[(int) Math.max(SampleCodec.MIN_RECORD, Math.min(bufferSize, Math.max(0, limit - start)))];
    }

    Status next() throws IOException {
        this.recordOffset = this.filePos;
        this.recordEnd = -1;
        long left = this.limit - this.filePos;
        if (left <= 0) {
            return Status.END;
        }
        if (left < SampleCodec.RECORD_HEADER) {
            return Status.INCOMPLETE;
        }
        fill(SampleCodec.RECORD_HEADER);
        int expected = (int) SampleCodec.INT.get(this.buf, this.bufPos);
        int len = (int) SampleCodec.INT.get(this.buf, this.bufPos + 4);
        if (len < SampleCodec.MIN_PAYLOAD || len > SampleCodec.MAX_PAYLOAD) {
            return len > left - SampleCodec.RECORD_HEADER ? Status.INCOMPLETE : Status.BAD_LENGTH;
        }
        if (len > left - SampleCodec.RECORD_HEADER) {
            return Status.INCOMPLETE;
        }
        int size = SampleCodec.RECORD_HEADER + len;
        fill(size);
        this.recordEnd = this.recordOffset + size;
        this.crc.reset();
        this.crc.update(this.buf, this.bufPos + 4, len + 4);
        if ((int) this.crc.getValue() != expected) {
            return Status.BAD_CRC;
        }
        this.payloadOffset = this.bufPos + SampleCodec.RECORD_HEADER;
        this.payloadLength = len;
        this.sequence = (long) SampleCodec.LONG.get(this.buf, this.payloadOffset);
        this.bufPos += size;
        this.filePos += size;
        return Status.OK;
    }

    /** Where the last record looked at starts. */
    long recordOffset() {
        return this.recordOffset;
    }

    /** Where the last record looked at ends, or -1 if its length was not usable. */
    long recordEnd() {
        return this.recordEnd;
    }

    long sequence() {
        return this.sequence;
    }

    byte[] array() {
        return this.buf;
    }

    int payloadOffset() {
        return this.payloadOffset;
    }

    int payloadLength() {
        return this.payloadLength;
    }

    private void fill(int n) throws IOException {
        int have = this.bufEnd - this.bufPos;
        if (have >= n) {
            return;
        }
        if (n > this.buf.length) {
            byte[] grown = new byte[n];
            System.arraycopy(this.buf, this.bufPos, grown, 0, have);
            this.buf = grown;
        } else if (this.bufPos > 0) {
            System.arraycopy(this.buf, this.bufPos, this.buf, 0, have);
        }
        this.bufPos = 0;
        this.bufEnd = have;
        int room = (int) Math.min(this.buf.length - this.bufEnd, this.limit - this.fileRead);
        ByteBuffer target = ByteBuffer.wrap(this.buf, this.bufEnd, room);
        while (this.bufEnd < n) {
            int r = this.channel.read(target, this.fileRead);
            if (r < 0) {
                throw new EOFException("segment shorter than expected: end of file at " + this.fileRead);
            }
            this.fileRead += r;
            this.bufEnd += r;
        }
    }
}
