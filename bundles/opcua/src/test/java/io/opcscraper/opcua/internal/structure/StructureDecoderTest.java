package io.opcscraper.opcua.internal.structure;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.milo.opcua.stack.core.serialization.OpcUaBinaryStreamEncoder;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.Test;

import io.opcscraper.opcua.internal.structure.Layout.Bits;
import io.opcscraper.opcua.internal.structure.Layout.Condition;
import io.opcscraper.opcua.internal.structure.Layout.Enumeration;
import io.opcscraper.opcua.internal.structure.Layout.Field;
import io.opcscraper.opcua.internal.structure.Layout.Length;
import io.opcscraper.opcua.internal.structure.Layout.LayoutRef;
import io.opcscraper.opcua.internal.structure.Layout.Nested;
import io.opcscraper.opcua.internal.structure.Layout.Operator;
import io.opcscraper.opcua.internal.structure.Layout.Primitive;
import io.opcscraper.opcua.internal.structure.Layout.Step;

/** The decoder against bodies Milo's encoder writes, field by field, as Part 6 says. */
class StructureDecoderTest {

    private static final NodeId STATUS_ENCODING = new NodeId(2, 5001);

    private final Map<NodeId, Layout> encodings = new LinkedHashMap<>();
    private final StructureDecoder decoder = new StructureDecoder(this.encodings::get);

    @Test
    void aFlatStructureGivesOneRowPerNumericFieldAndSkipsTheOthers() throws DecodeException {
        Layout flat = layout("ns=2;i=1", leaf("Name", Builtin.STRING), leaf("Running", Builtin.BOOLEAN),
                leaf("Count", Builtin.UINT32), leaf("Label", Builtin.LOCALIZED_TEXT), leaf("Speed", Builtin.FLOAT),
                leaf("Total", Builtin.INT64), leaf("Temperature", Builtin.DOUBLE));
        byte[] body = MiloEncoding.encode(e -> {
            e.writeString("M1");
            e.writeBoolean(true);
            e.writeUInt32(uint(42));
            e.writeLocalizedText(LocalizedText.english("motor"));
            e.writeFloat(1.25f);
            e.writeInt64(-7L);
            e.writeDouble(21.5);
        });
        assertEquals(List.of("Motor.Running=1.0", "Motor.Count=42.0", "Motor.Speed=1.25", "Motor.Total=-7.0",
                "Motor.Temperature=21.5"), rows(flat, body));
    }

    @Test
    void nestedStructuresAndArraysNameEachLevel() throws DecodeException {
        Layout status = layout("ns=2;i=2", leaf("Current", Builtin.DOUBLE), leaf("Running", Builtin.BOOLEAN));
        Layout axis = layout("ns=2;i=3", leaf("Position", Builtin.DOUBLE));
        Layout motor = layout("ns=2;i=4", Field.scalar("Status", nested(status), true, null),
                array("Axes", nested(axis)), array("Temperatures", new Primitive(Builtin.INT16)),
                array("Empty", new Primitive(Builtin.DOUBLE)));
        byte[] body = MiloEncoding.encode(e -> {
            e.writeDouble(3.5);
            e.writeBoolean(false);
            e.writeInt32(2);
            e.writeDouble(10.0);
            e.writeDouble(20.0);
            e.writeInt32(3);
            e.writeInt16((short) 1);
            e.writeInt16((short) 2);
            e.writeInt16((short) 3);
            e.writeInt32(-1); // a null array
        });
        assertEquals(List.of("Motor.Status.Current=3.5", "Motor.Status.Running=0.0", "Motor.Axes[0].Position=10.0",
                "Motor.Axes[1].Position=20.0", "Motor.Temperatures[0]=1.0", "Motor.Temperatures[1]=2.0",
                "Motor.Temperatures[2]=3.0"), rows(motor, body));
    }

    @Test
    void absentOptionalFieldsGiveNoRow() throws DecodeException {
        // StructureWithOptionalFields: a UInt32 mask, one bit per optional field, as OPC Binary bits.
        Layout optional = layout("ns=2;i=5", new Bits("SpeedSpecified", 1, 0, false, null),
                new Bits("TorqueSpecified", 1, 1, false, null), new Bits("Reserved1", 30, -1, false, null),
                leaf("Id", Builtin.INT32), Field.scalar("Speed", new Primitive(Builtin.DOUBLE), true, bit(0)),
                Field.scalar("Torque", new Primitive(Builtin.DOUBLE), true, bit(1)));
        byte[] onlyTorque = MiloEncoding.encode(e -> {
            e.writeUInt32(uint(0b10));
            e.writeInt32(9);
            e.writeDouble(4.5);
        });
        assertEquals(List.of("Motor.Id=9.0", "Motor.Torque=4.5"), rows(optional, onlyTorque));
        byte[] none = MiloEncoding.encode(e -> {
            e.writeUInt32(uint(0));
            e.writeInt32(9);
        });
        assertEquals(List.of("Motor.Id=9.0"), rows(optional, none));
    }

    @Test
    void aUnionGivesItsChosenFieldOnly() throws DecodeException {
        Layout union = layout("ns=2;i=6", new Field("SwitchField", new Primitive(Builtin.UINT32), Length.SCALAR, 0, -1,
                0, false, null), Field.scalar("Level", new Primitive(Builtin.DOUBLE), true, is(0, 1)),
                Field.scalar("Code", new Primitive(Builtin.INT32), true, is(0, 2)));
        byte[] code = MiloEncoding.encode(e -> {
            e.writeUInt32(uint(2));
            e.writeInt32(-3);
        });
        assertEquals(List.of("Motor.Code=-3.0"), rows(union, code));
        assertEquals(List.of(), rows(union, MiloEncoding.encode(e -> e.writeUInt32(uint(0)))), "a null union");
    }

    @Test
    void enumerationsStoreTheirIntegerWhateverTheirSize() throws DecodeException {
        Layout enums = layout("ns=2;i=7", leaf("State", new Enumeration("ns=2;i=8", 32, true)),
                leaf("Flags", new Enumeration("ns=2;i=9", 8, false)),
                leaf("Wide", new Enumeration("ns=2;i=10", 64, false)), leaf("After", Builtin.BYTE));
        byte[] body = MiloEncoding.encode(e -> {
            e.writeInt32(-2);
            e.writeByte(org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte(0xF0));
            e.writeInt64(5L);
            e.writeByte(org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte(1));
        });
        assertEquals(List.of("Motor.State=-2.0", "Motor.Flags=240.0", "Motor.Wide=5.0", "Motor.After=1.0"),
                rows(enums, body));
    }

    @Test
    void variantFieldsGiveTheirNumbersAndStructuresInsideAreDecoded() throws DecodeException {
        Layout status = layout("ns=2;i=11", leaf("Current", Builtin.DOUBLE));
        this.encodings.put(STATUS_ENCODING, status);
        Layout holder = layout("ns=2;i=12", leaf("Any", Builtin.VARIANT), leaf("Many", Builtin.VARIANT),
                leaf("Text", Builtin.VARIANT), leaf("Inner", Builtin.EXTENSION_OBJECT),
                leaf("Unknown", Builtin.EXTENSION_OBJECT));
        byte[] inner = MiloEncoding.encode(e -> e.writeDouble(7.25));
        byte[] body = MiloEncoding.encode(e -> {
            e.writeVariant(new Variant(2.5));
            e.writeVariant(new Variant(new Integer[] {4, 5}));
            e.writeVariant(new Variant("no number"));
            e.writeExtensionObject(new ExtensionObject(ByteString.of(inner), STATUS_ENCODING));
            e.writeExtensionObject(new ExtensionObject(ByteString.of(new byte[] {1, 2}), new NodeId(2, 9999)));
        });
        List<NodeId> unknown = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        this.decoder.decode(holder, body, new StringBuilder("Holder"), new Leaves() {
            @Override
            public void leaf(CharSequence path, double value) {
                rows.add(path + "=" + value);
            }

            @Override
            public void unknownEncoding(NodeId encodingId) {
                unknown.add(encodingId);
            }
        });
        assertEquals(List.of("Holder.Any=2.5", "Holder.Many[0]=4.0", "Holder.Many[1]=5.0", "Holder.Inner.Current=7.25"),
                rows);
        assertEquals(List.of(new NodeId(2, 9999)), unknown);
    }

    @Test
    void onlyTheFirstThousandElementsOfAnArrayGiveRowsAndTheRestAreCounted() throws DecodeException {
        Layout big = layout("ns=2;i=13", array("Values", new Primitive(Builtin.DOUBLE)), leaf("After", Builtin.INT32));
        byte[] body = MiloEncoding.encode(e -> {
            e.writeInt32(1500);
            for (int i = 0; i < 1500; i++) {
                e.writeDouble((double) i);
            }
            e.writeInt32(77);
        });
        List<String> rows = new ArrayList<>();
        StructureDecoder.Outcome outcome = this.decoder.decode(big, body, new StringBuilder("Big"),
                (path, value) -> rows.add(path + "=" + value));
        assertEquals(1001, rows.size());
        assertEquals("Big.Values[999]=999.0", rows.get(999));
        assertEquals("Big.After=77.0", rows.get(1000), "the elements beyond the cap are read, not stored");
        assertEquals(500, outcome.truncated());
    }

    @Test
    void bytesLeftOverMeanTheDescriptionIsNotTheServersAndNothingIsStored() {
        Layout old = layout("nsu=urn:plant;i=14", leaf("Speed", Builtin.DOUBLE));
        byte[] grown = MiloEncoding.encode(e -> {
            e.writeDouble(1.0);
            e.writeDouble(2.0); // a field the server added
        });
        List<String> rows = new ArrayList<>();
        DecodeException e = assertThrows(DecodeException.class,
                () -> this.decoder.decode(old, grown, new StringBuilder("M"), (p, v) -> rows.add(p + "=" + v)));
        assertEquals("8 bytes are left over after the last field of nsu=urn:plant;i=14", e.getMessage());
    }

    @Test
    void aBodyThatEndsEarlyNamesTheField() {
        Layout status = layout("ns=2;i=15", leaf("Current", Builtin.DOUBLE));
        Layout motor = layout("ns=2;i=16", leaf("Id", Builtin.INT32), Field.scalar("Status", nested(status), true, null));
        byte[] shortBody = MiloEncoding.encode(e -> {
            e.writeInt32(1);
            e.writeInt32(2);
        });
        DecodeException e = assertThrows(DecodeException.class, () -> rows(motor, shortBody));
        assertEquals("field Motor.Status.Current: the body ends 4 bytes too early", e.getMessage());
    }

    @Test
    void aTypeThatContainsItselfStopsAtTheDepthLimit() throws DecodeException {
        LayoutRef self = new LayoutRef();
        Layout node = layout("ns=2;i=17", new Bits("NextSpecified", 1, 0, false, null),
                new Bits("Reserved1", 31, -1, false, null), leaf("Value", Builtin.INT32),
                Field.scalar("Next", new Nested("ns=2;i=17", self), true, bit(0)));
        self.set(node);
        byte[] three = MiloEncoding.encode(e -> chain(e, 3));
        List<String> rows = new ArrayList<>();
        assertEquals(List.of("L.Value=3.0", "L.Next.Value=2.0", "L.Next.Next.Value=1.0"), rowsOf(node, three, "L"));
        byte[] deep = MiloEncoding.encode(e -> chain(e, 40));
        DecodeException e = assertThrows(DecodeException.class, () -> rows(node, deep));
        assertTrue(e.getMessage().contains("nest deeper than 16 levels"), e.getMessage());
        assertTrue(rows.isEmpty());
    }

    @Test
    void hostileFieldNamesArePartOfThePathVerbatim() throws DecodeException {
        String name = "Robert'); DROP TABLE sensor_data;-- \"温度\" %s ${x}";
        Layout hostile = layout("ns=2;i=18", leaf(name, Builtin.DOUBLE));
        assertEquals(List.of("Motor." + name + "=1.0"), rows(hostile, MiloEncoding.encode(e -> e.writeDouble(1.0))));
    }

    @Test
    void aValueGivesAtMostTenThousandRows() throws DecodeException {
        Layout row = layout("ns=2;i=19", array("Values", new Primitive(Builtin.BYTE)));
        Layout table = layout("ns=2;i=20", array("Rows", nested(row)));
        byte[] body = MiloEncoding.encode(e -> {
            e.writeInt32(20);
            for (int r = 0; r < 20; r++) {
                e.writeInt32(1000);
                for (int i = 0; i < 1000; i++) {
                    e.writeByte(org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte(i % 200));
                }
            }
        });
        int[] count = {0};
        StructureDecoder.Outcome outcome = this.decoder.decode(table, body, new StringBuilder("T"),
                (p, v) -> count[0]++);
        assertEquals(StructureDecoder.MAX_ROWS, count[0]);
        assertEquals(StructureDecoder.MAX_ROWS, outcome.rows());
        assertEquals(10_000, outcome.truncated());
    }

    private static void chain(OpcUaBinaryStreamEncoder e, int depth) {
        e.writeUInt32(uint(depth > 1 ? 1 : 0));
        e.writeInt32(depth);
        if (depth > 1) {
            chain(e, depth - 1);
        }
    }

    private List<String> rows(Layout layout, byte[] body) throws DecodeException {
        return rowsOf(layout, body, "Motor");
    }

    private List<String> rowsOf(Layout layout, byte[] body, String tag) throws DecodeException {
        List<String> rows = new ArrayList<>();
        StringBuilder path = new StringBuilder(tag);
        this.decoder.decode(layout, body, path, (p, value) -> rows.add(p + "=" + value));
        assertEquals(tag, path.toString(), "the path is as it was");
        return rows;
    }

    static Layout layout(String id, Step... steps) {
        int slots = 0;
        for (Step step : steps) {
            int slot = step instanceof Bits bits ? bits.slot() : ((Field) step).slot();
            slots = Math.max(slots, slot + 1);
        }
        return new Layout(id, List.of(steps), slots);
    }

    static Field leaf(String name, Builtin type) {
        return Field.scalar(name, new Primitive(type), true, null);
    }

    static Field leaf(String name, Layout.Element element) {
        return Field.scalar(name, element, true, null);
    }

    static Field array(String name, Layout.Element element) {
        return new Field(name, element, Length.PREFIXED, 0, -1, -1, true, null);
    }

    static Nested nested(Layout layout) {
        LayoutRef ref = new LayoutRef();
        ref.set(layout);
        return new Nested(layout.typeId(), ref);
    }

    private static Condition bit(int slot) {
        return new Condition(slot, Operator.EQUALS, 1);
    }

    private static Condition is(int slot, long value) {
        return new Condition(slot, Operator.EQUALS, value);
    }
}
