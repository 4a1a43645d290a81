package io.opcscraper.opcua.internal.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.opcscraper.api.CatalogNode;
import io.opcscraper.opcua.internal.structure.TestStructureTypes;

/** Rows of structured values: whole or not at all, arrays of structures, what is counted and said. */
class StructureSamplesTest {

    private static final CatalogNode MOTOR = new CatalogNode("nsu=urn:test:types;s=M", "P/M", "P", "M",
            "nsu=urn:test:types;i=3001", -1, null, 1, null);

    private final LongAdder undecoded = new LongAdder();
    private final List<String> mismatches = new ArrayList<>();
    private final List<Long> truncated = new ArrayList<>();
    private final List<String> rows = new ArrayList<>();
    private StructureSamples samples;

    @BeforeEach
    void types() throws Exception {
        this.samples = new StructureSamples("c", this.undecoded, (node, n) -> this.truncated.add(n),
                this.mismatches::add);
        this.samples.use(TestStructureTypes.motorAndReading(), true);
    }

    @Test
    void aValueGivesARowPerLeafWithTheVariablesTagName() {
        this.samples.map(MOTOR, motor(0), (tag, value) -> this.rows.add(tag + "=" + value));
        assertEquals(List.of("M.Speed=1450.5", "M.Status.Current=3.25", "M.Status.State=1.0", "M.Temperatures[0]=60.0",
                "M.Torque=12.0", "M.Limits.Low=0.0", "M.Limits.High=3000.0"), this.rows);
        assertEquals(0, this.undecoded.sum());
    }

    @Test
    void anArrayOfStructuresNamesEachElement() {
        this.samples.map(MOTOR, new ExtensionObject[] {motor(0), null, motor(0)},
                (tag, value) -> this.rows.add(tag));
        assertEquals(7, this.rows.stream().filter(t -> t.startsWith("M[0].")).count());
        assertEquals(7, this.rows.stream().filter(t -> t.startsWith("M[2].")).count());
        assertEquals("M[2].Limits.High", this.rows.get(this.rows.size() - 1));
    }

    @Test
    void aValueThatDoesNotMatchItsTypeGivesNoRowAtAllAndIsSaidOnce() {
        // The leaves before the extra bytes decode; none of them may be stored.
        this.samples.map(MOTOR, motor(8), (tag, value) -> this.rows.add(tag));
        this.samples.map(MOTOR, motor(8), (tag, value) -> this.rows.add(tag));
        assertEquals(List.of(), this.rows);
        assertEquals(2, this.undecoded.sum());
        assertEquals(List.of("nsu=urn:test:types;i=3001"), this.mismatches, "discovery is asked once per type");
    }

    @Test
    void anUnknownEncodingOrAnEarlierSessionsTypesAreCountedNotGuessed() {
        this.samples.map(MOTOR, new ExtensionObject(ByteString.of(new byte[8]), new NodeId(7, 7)),
                (tag, value) -> this.rows.add(tag));
        this.samples.use(this.samplesTypes(), false);
        this.samples.map(MOTOR, motor(0), (tag, value) -> this.rows.add(tag));
        assertEquals(List.of(), this.rows);
        assertEquals(2, this.undecoded.sum());
        assertEquals(List.of(), this.mismatches);
    }

    private io.opcscraper.opcua.internal.structure.StructureTypes samplesTypes() {
        try {
            return TestStructureTypes.motorAndReading();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ExtensionObject motor(int extra) {
        return new ExtensionObject(ByteString.of(TestStructureTypes.motorBody(extra)), TestStructureTypes.MOTOR_ENCODING);
    }
}
