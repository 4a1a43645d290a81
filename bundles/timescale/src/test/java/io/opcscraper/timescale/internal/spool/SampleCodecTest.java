package io.opcscraper.timescale.internal.spool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;

import io.opcscraper.api.Sample;

/**
 * A record's payload decodes to the sample it encoded; a malformed string field is refused by both readers,
 * and text that is not generalized UTF-8 by the check of what is read from disk.
 */
class SampleCodecTest {

    private static final Sample SAMPLE = new Sample(Instant.parse("2026-12-06T08:00:00.123456789Z"), "ns=2;s=Öl",
            "gw/line-1", null, "temperature \uD83C\uDF21", 21.5, 0);

    @Test
    void aRecordDecodesToTheSampleItEncoded() {
        byte[] record = record(SAMPLE);
        assertTrue(SampleCodec.isWellFormed(record, SampleCodec.RECORD_HEADER, payloadLength(record)));
        assertEquals(SAMPLE, SampleCodec.decode(record, SampleCodec.RECORD_HEADER, payloadLength(record), new TextFields()));
    }

    @Test
    void aStringThatRunsPastThePayloadIsRefused() {
        byte[] record = record(SAMPLE);
        int cut = payloadLength(record) - 1; // the tag name's last byte is missing
        assertFalse(SampleCodec.isWellFormed(record, SampleCodec.RECORD_HEADER, cut));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SampleCodec.decode(record, SampleCodec.RECORD_HEADER, cut, new TextFields()));
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
                () -> SampleCodec.decode(record, SampleCodec.RECORD_HEADER, payloadLength(record), new TextFields()));
        assertEquals("string 0 malformed or past the record", e.getMessage());
    }

    @Test
    void textThatIsNotGeneralizedUtf8IsRefusedByTheReadCheckThoughTheRecordIsWellFormed() {
        byte[] record = record(SAMPLE);
        SampleCodec.checkReadable(record, SampleCodec.RECORD_HEADER, payloadLength(record));
        // The node id "ns=2;s=Öl": Ö's second byte (0x96) becomes 'A', not a continuation byte.
        int o = SampleCodec.RECORD_HEADER + SampleCodec.FIXED + 8 + 1 + "ns=2;s=".length();
        assertEquals((byte) 0x96, record[o + 1]);
        record[o + 1] = 'A';
        assertTrue(SampleCodec.isWellFormed(record, SampleCodec.RECORD_HEADER, payloadLength(record)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SampleCodec.checkReadable(record, SampleCodec.RECORD_HEADER, payloadLength(record)));
        assertEquals("bad continuation byte", e.getMessage());
    }

    @Test
    void oneCoderKeepsEveryFieldOfASequenceOfSamplesApart() {
        // Shared and changing names, ASCII and not, a lone surrogate, null: each record decodes to
        // its own sample through one encoder's and one reader's memory of the last fields.
        Instant t = Instant.parse("2026-12-06T08:00:00Z");
        String client = "gw/line-1";
        List<Sample> samples = List.of(SAMPLE,
                new Sample(t, "ns=2;s=A", client, "press", "a", 1.0, 0),
                new Sample(t, "ns=2;s=B", client, "press", "b", null, 2),
                new Sample(t, "ns=2;s=B", new String(client), "pr\u00e9ss", "b\uD800", 3.0, 0),
                new Sample(t, "ns=2;s=C", "gw/line-2", null, null, 4.0, 0),
                new Sample(t, "ns=2;s=\u00d6l", "gw/line-2", "press", "\u00f6l", 5.0, 0));
        TextFields encoder = new TextFields();
        TextFields reader = new TextFields();
        for (Sample sample : samples) {
            byte[] record = record(sample, encoder);
            assertEquals(sample, SampleCodec.decode(record, SampleCodec.RECORD_HEADER, payloadLength(record), reader));
            assertArrayEquals(record(sample), record, "the bytes do not depend on the samples before");
        }
    }

    @Test
    void aReaderSharesTheStringOfARepeatedClientIdAndSensorName() {
        Instant t = Instant.parse("2026-12-06T08:00:00Z");
        TextFields reader = new TextFields();
        byte[] first = record(new Sample(t, "ns=2;s=A", "gw/line-1", "press", "a", 1.0, 0));
        byte[] second = record(new Sample(t, "ns=2;s=B", new String("gw/line-1"), "press", "b", 2.0, 0));
        Sample a = SampleCodec.decode(first, SampleCodec.RECORD_HEADER, payloadLength(first), reader);
        Sample b = SampleCodec.decode(second, SampleCodec.RECORD_HEADER, payloadLength(second), reader);
        assertSame(a.clientId(), b.clientId());
        assertSame(a.sensorName(), b.sensorName());
        assertNotSame(a.tagName(), b.tagName());
    }

    private static byte[] record(Sample sample) {
        return record(sample, new TextFields());
    }

    private static byte[] record(Sample sample, TextFields texts) {
        int size = SampleCodec.recordSize(sample, texts);
        byte[] record = new byte[size];
        assertEquals(size, SampleCodec.encode(record, 0, size, 42, sample, texts, new CRC32C()));
        return record;
    }

    private static int payloadLength(byte[] record) {
        return record.length - SampleCodec.RECORD_HEADER;
    }
}
