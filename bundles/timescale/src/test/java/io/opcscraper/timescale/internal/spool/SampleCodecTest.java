package io.opcscraper.timescale.internal.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;

import io.opcscraper.api.Sample;

/** A record's payload decodes to the sample it encoded; a malformed string field is refused by both readers. */
class SampleCodecTest {

    private static final Sample SAMPLE = new Sample(Instant.parse("2026-12-06T08:00:00.123456789Z"), "ns=2;s=Öl",
            "gw/line-1", null, "temperature \uD83C\uDF21", 21.5, 0);

    @Test
    void aRecordDecodesToTheSampleItEncoded() {
        byte[] record = record(SAMPLE);
        assertTrue(SampleCodec.isWellFormed(record, SampleCodec.RECORD_HEADER, payloadLength(record)));
        assertEquals(SAMPLE, SampleCodec.decode(record, SampleCodec.RECORD_HEADER, payloadLength(record)));
    }

    @Test
    void aStringThatRunsPastThePayloadIsRefused() {
        byte[] record = record(SAMPLE);
        int cut = payloadLength(record) - 1; // the tag name's last byte is missing
        assertFalse(SampleCodec.isWellFormed(record, SampleCodec.RECORD_HEADER, cut));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SampleCodec.decode(record, SampleCodec.RECORD_HEADER, cut));
        assertEquals("string 3 malformed or past the record", e.getMessage());
    }

    @Test
    void aLengthPrefixPastTwoToThe31IsRefusedNotWrappedAround() {
        byte[] record = record(SAMPLE);
        // The node id's prefix (right after the fixed part and the value) becomes 0xFFFFFFFF: a
        // negative int once shifted in; the varint's five bytes overwrite the node id's first ones.
        int prefix = SampleCodec.RECORD_HEADER + SampleCodec.FIXED + 8;
        record[prefix] = (byte) 0xFF;
        record[prefix + 1] = (byte) 0xFF;
        record[prefix + 2] = (byte) 0xFF;
        record[prefix + 3] = (byte) 0xFF;
        record[prefix + 4] = (byte) 0x0F;
        assertFalse(SampleCodec.isWellFormed(record, SampleCodec.RECORD_HEADER, payloadLength(record)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SampleCodec.decode(record, SampleCodec.RECORD_HEADER, payloadLength(record)));
        assertEquals("string 0 malformed or past the record", e.getMessage());
    }

    private static byte[] record(Sample sample) {
        int size = SampleCodec.recordSize(sample);
        byte[] record = new byte[size];
        assertEquals(size, SampleCodec.encode(record, 0, size, 42, sample, new CRC32C()));
        return record;
    }

    private static int payloadLength(byte[] record) {
        return record.length - SampleCodec.RECORD_HEADER;
    }
}
