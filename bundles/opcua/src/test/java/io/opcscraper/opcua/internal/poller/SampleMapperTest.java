package io.opcscraper.opcua.internal.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.Test;

import io.opcscraper.api.CatalogNode;
import io.opcscraper.api.Sample;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ulong;

class SampleMapperTest {

    private static final CatalogNode NODE = new CatalogNode("nsu=urn:plant;s=T", "Plant/M1/T", "M1", "T", "Double", -1,
            List.of(), 1, null);
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final DateTime SOURCE = new DateTime(Instant.parse("2026-11-28T09:59:59Z"));
    private static final DateTime SERVER = new DateTime(Instant.parse("2026-11-28T09:59:59.500Z"));

    private final SampleMapper mapper = new SampleMapper("client-1", TimestampPolicy.SOURCE);

    @Test
    void numbersAndBooleansBecomeDoubles() {
        assertEquals(21.5, one(new Variant(21.5)).value());
        assertEquals(7.0, one(new Variant(uint(7))).value());
        assertEquals(1.8446744073709552E19, one(new Variant(ulong(-1L))).value());
        assertEquals(1.0, one(new Variant(Boolean.TRUE)).value());
        assertEquals(0.0, one(new Variant((byte) 0)).value());
        Sample sample = one(new Variant(3.0f));
        assertEquals("client-1", sample.clientId());
        assertEquals("M1", sample.sensorName());
        assertEquals(0L, sample.quality());
        assertEquals(SOURCE.getJavaInstant(), sample.timestamp());
    }

    @Test
    void aBadValueIsStoredAsBadWithNoValue() {
        List<Sample> out = new ArrayList<>();
        mapper.map(NODE, new DataValue(Variant.NULL_VALUE, new StatusCode(StatusCodes.Bad_SensorFailure), SOURCE,
                SERVER), NOW, out);
        assertEquals(1, out.size());
        assertNull(out.get(0).value());
        assertEquals(StatusCodes.Bad_SensorFailure, out.get(0).quality());
        out.clear();
        mapper.map(NODE, new DataValue(new Variant(5.0), new StatusCode(StatusCodes.Bad_OutOfService), SOURCE,
                SERVER), NOW, out);
        assertNull(out.get(0).value(), "a Bad status never carries a value");
    }

    @Test
    void arraysBecomeOneSamplePerElement() {
        List<Sample> out = new ArrayList<>();
        mapper.map(NODE, new DataValue(new Variant(new Double[] { 1.0, 2.0, 3.0 }), StatusCode.GOOD, SOURCE, SERVER),
                NOW, out);
        assertEquals(List.of("T[0]", "T[1]", "T[2]"), out.stream().map(Sample::tagName).toList());
        assertEquals(List.of(1.0, 2.0, 3.0), out.stream().map(Sample::value).toList());
        out.clear();
        mapper.map(NODE, new DataValue(new Variant(new Double[] { 1.0, null, 3.0 }), StatusCode.GOOD, SOURCE, SERVER),
                NOW, out);
        assertEquals(List.of("T[0]", "T[2]"), out.stream().map(Sample::tagName).toList(),
                "a null element is not a number");
    }

    @Test
    void hugeArraysAreCutAndCounted() {
        Double[] huge = new Double[SampleMapper.MAX_ARRAY_ELEMENTS + 500];
        java.util.Arrays.fill(huge, 1.0);
        List<Sample> out = new ArrayList<>();
        mapper.map(NODE, new DataValue(new Variant(huge), StatusCode.GOOD, SOURCE, SERVER), NOW, out);
        assertEquals(SampleMapper.MAX_ARRAY_ELEMENTS, out.size());
        assertEquals(500, mapper.truncatedArrayElements());
    }

    @Test
    void nonFiniteNumbersAreStoredAsNullWithTheirStatus() {
        assertNull(one(new Variant(Double.NaN)).value());
        assertNull(one(new Variant(Double.POSITIVE_INFINITY)).value());
        assertEquals(0L, one(new Variant(Double.NEGATIVE_INFINITY)).quality());
        assertEquals(3, mapper.nonFinite());
    }

    @Test
    void textAndStructuresProduceNoSampleButAreCounted() {
        List<Sample> out = new ArrayList<>();
        mapper.map(NODE, new DataValue(new Variant("hello"), StatusCode.GOOD, SOURCE, SERVER), NOW, out);
        mapper.map(NODE, new DataValue(new Variant(SOURCE), StatusCode.GOOD, SOURCE, SERVER), NOW, out);
        assertEquals(0, out.size());
        assertEquals(2, mapper.nonNumeric());
    }

    @Test
    void timestampsFallBackAlongSourceServerGateway() {
        DataValue both = new DataValue(new Variant(1.0), StatusCode.GOOD, SOURCE, SERVER);
        DataValue serverOnly = new DataValue(new Variant(1.0), StatusCode.GOOD, null, SERVER);
        DataValue none = new DataValue(new Variant(1.0), StatusCode.GOOD, DateTime.MIN_VALUE, null);
        assertEquals(SOURCE.getJavaInstant(), TimestampPolicy.SOURCE.pick(both, NOW));
        assertEquals(SERVER.getJavaInstant(), TimestampPolicy.SOURCE.pick(serverOnly, NOW));
        assertEquals(NOW, TimestampPolicy.SOURCE.pick(none, NOW));
        assertEquals(SERVER.getJavaInstant(), TimestampPolicy.SERVER.pick(both, NOW));
        assertEquals(NOW, TimestampPolicy.SERVER.pick(none, NOW));
        assertEquals(NOW, TimestampPolicy.GATEWAY.pick(both, NOW));
    }

    @Test
    void storeOnChangeKeepsChangesAndHeartbeats() {
        ChangeFilter filter = new ChangeFilter(60_000);
        List<Sample> first = new ArrayList<>(List.of(sample(1.0, 0), sample(1.0, 0)));
        filter.retainChanged(first, NOW);
        assertEquals(1, first.size(), "the same value twice is stored once");
        List<Sample> same = new ArrayList<>(List.of(sample(1.0, 0)));
        filter.retainChanged(same, NOW.plusSeconds(30));
        assertEquals(0, same.size());
        List<Sample> status = new ArrayList<>(List.of(sample(1.0, StatusCodes.Uncertain_LastUsableValue)));
        filter.retainChanged(status, NOW.plusSeconds(31));
        assertEquals(1, status.size(), "a status change is a change");
        List<Sample> heartbeat = new ArrayList<>(List.of(sample(1.0, StatusCodes.Uncertain_LastUsableValue)));
        filter.retainChanged(heartbeat, NOW.plusSeconds(92));
        assertEquals(1, heartbeat.size(), "the heartbeat stores an unchanged value");
    }

    private static Sample sample(double value, long quality) {
        return new Sample(NOW, NODE.nodeId(), "c", "M1", "T", value, quality);
    }

    private Sample one(Variant variant) {
        List<Sample> out = new ArrayList<>();
        mapper.map(NODE, new DataValue(variant, StatusCode.GOOD, SOURCE, SERVER), NOW, out);
        assertEquals(1, out.size());
        return out.get(0);
    }
}
