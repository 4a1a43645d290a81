package io.opcscraper.opcua.internal.structure;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ulong;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.DiagnosticInfo;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.XmlElement;
import org.eclipse.milo.opcua.stack.core.types.structured.Range;
import org.junit.jupiter.api.Test;

/** Part6Reader against bodies written by Milo's encoder, and against hostile bodies. */
class Part6ReaderTest {

    private static final int MARKER = 0x5EED_F00D;

    @Test
    void readsEveryNumericTypeAsMiloWritesIt() throws DecodeException {
        byte[] body = MiloEncoding.encode(e -> {
            e.writeBoolean(true);
            e.writeSByte((byte) -128);
            e.writeByte(ubyte(255));
            e.writeInt16((short) -32768);
            e.writeUInt16(ushort(65535));
            e.writeInt32(Integer.MIN_VALUE);
            e.writeUInt32(uint(4294967295L));
            e.writeInt64(Long.MIN_VALUE);
            e.writeUInt64(ulong(new java.math.BigInteger("18446744073709551615")));
            e.writeFloat(-1.5f);
            e.writeDouble(Math.PI);
        });
        Part6Reader in = new Part6Reader(body);
        assertEquals(1.0, in.readNumber(Builtin.BOOLEAN));
        assertEquals(-128.0, in.readNumber(Builtin.SBYTE));
        assertEquals(255.0, in.readNumber(Builtin.BYTE));
        assertEquals(-32768.0, in.readNumber(Builtin.INT16));
        assertEquals(65535.0, in.readNumber(Builtin.UINT16));
        assertEquals(Integer.MIN_VALUE, in.readNumber(Builtin.INT32));
        assertEquals(4294967295.0, in.readNumber(Builtin.UINT32));
        assertEquals((double) Long.MIN_VALUE, in.readNumber(Builtin.INT64));
        assertEquals(18446744073709551615.0, in.readNumber(Builtin.UINT64));
        assertEquals(-1.5, in.readNumber(Builtin.FLOAT));
        assertEquals(Math.PI, in.readNumber(Builtin.DOUBLE));
        assertEquals(0, in.remaining());
    }

    @Test
    void anyNonZeroByteIsTrue() throws DecodeException {
        assertEquals(1.0, new Part6Reader(new byte[] {2}).readNumber(Builtin.BOOLEAN));
        assertEquals(0.0, new Part6Reader(new byte[] {0}).readNumber(Builtin.BOOLEAN));
    }

    @Test
    void skipsEveryOtherBuiltInTypeToTheNextValue() throws DecodeException {
        Map<String, MiloEncoding.Writes> values = new LinkedHashMap<>();
        values.put("String", e -> e.writeString("Ünïcødé 温度"));
        values.put("null String", e -> e.writeString(null));
        values.put("DateTime", e -> e.writeDateTime(DateTime.now()));
        values.put("Guid", e -> e.writeGuid(UUID.randomUUID()));
        values.put("ByteString", e -> e.writeByteString(ByteString.of(new byte[] {1, 2, 3})));
        values.put("null ByteString", e -> e.writeByteString(ByteString.NULL_VALUE));
        values.put("XmlElement", e -> e.writeXmlElement(new XmlElement("<a>b</a>")));
        for (NodeId id : nodeIds()) {
            values.put("NodeId " + id, e -> e.writeNodeId(id));
        }
        values.put("ExpandedNodeId", e -> e.writeExpandedNodeId(
                new ExpandedNodeId(ushort(0), "urn:elsewhere", "x", uint(3))));
        values.put("StatusCode", e -> e.writeStatusCode(new StatusCode(0x80340000L)));
        values.put("QualifiedName", e -> e.writeQualifiedName(new QualifiedName(2, "Name")));
        values.put("LocalizedText", e -> e.writeLocalizedText(new LocalizedText("de", "Temperatur")));
        values.put("empty LocalizedText", e -> e.writeLocalizedText(LocalizedText.NULL_VALUE));
        values.put("ExtensionObject", e -> e.writeExtensionObject(
                ExtensionObject.encode(MiloEncoding.CONTEXT, new Range(1.0, 2.0))));
        values.put("DataValue", e -> e.writeDataValue(new DataValue(new Variant(1.5), new StatusCode(0x40000000L),
                DateTime.now(), ushort(7), DateTime.now(), ushort(9))));
        values.put("Variant scalar", e -> e.writeVariant(new Variant("text")));
        values.put("Variant null", e -> e.writeVariant(Variant.NULL_VALUE));
        values.put("Variant array", e -> e.writeVariant(new Variant(new Integer[] {1, 2, 3})));
        values.put("Variant matrix", e -> e.writeVariant(new Variant(new Double[][] {{1.0, 2.0}, {3.0, 4.0}})));
        values.put("Variant of Variants", e -> e.writeVariant(new Variant(new Variant[] {new Variant(1),
                new Variant("two")})));
        values.put("DiagnosticInfo", e -> e.writeDiagnosticInfo(new DiagnosticInfo(1, 2, 3, 4, "more",
                new StatusCode(0x80000000L), new DiagnosticInfo(5, -1, -1, -1, null, null, null))));
        Map<String, Builtin> types = new LinkedHashMap<>();
        values.keySet().forEach(name -> types.put(name, typeOf(name)));
        for (Map.Entry<String, MiloEncoding.Writes> value : values.entrySet()) {
            byte[] body = MiloEncoding.encode(e -> {
                value.getValue().to(e);
                e.writeInt32(MARKER);
            });
            Part6Reader in = new Part6Reader(body);
            in.skip(types.get(value.getKey()));
            assertEquals(MARKER, in.readInt32(), value.getKey() + " is skipped exactly");
            assertEquals(0, in.remaining(), value.getKey());
        }
    }

    @Test
    void readsEveryNodeIdFormAsMiloWritesIt() throws DecodeException {
        for (NodeId id : nodeIds()) {
            assertEquals(id, new Part6Reader(MiloEncoding.encode(e -> e.writeNodeId(id))).readNodeId());
        }
        ExpandedNodeId expanded = new ExpandedNodeId(ushort(0), "urn:elsewhere", "x", uint(3));
        Part6Reader in = new Part6Reader(MiloEncoding.encode(e -> e.writeExpandedNodeId(expanded)));
        assertEquals(new NodeId(0, "x"), in.readNodeId(), "the node id part; URI and server index skipped");
        assertEquals(0, in.remaining());
    }

    @Test
    void readsBitsLeastSignificantFirstAndAlignsTheNextValue() throws DecodeException {
        byte[] body = MiloEncoding.encode(e -> {
            e.writeBit(1);
            e.writeBit(0);
            e.writeBit(1);
            for (int i = 0; i < 29; i++) {
                e.writeBit(i == 28 ? 1 : 0);
            }
            e.writeInt16((short) 7);
        });
        Part6Reader in = new Part6Reader(body);
        assertEquals(1, in.readBits(1));
        assertEquals(0, in.readBits(1));
        assertEquals(1, in.readBits(1));
        assertEquals(1L << 28, in.readBits(29));
        assertEquals(7, in.readInteger(Builtin.INT16));

        Part6Reader partial = new Part6Reader(new byte[] {0x05, 0x02, 0x00});
        assertEquals(5, partial.readBits(3));
        assertEquals(2, partial.readInteger(Builtin.INT16), "the Int16 starts at the next byte");
    }

    @Test
    void aBodyThatEndsEarlyIsAnErrorNotAnExceptionOfTheJdk() {
        byte[] body = MiloEncoding.encode(e -> e.writeDouble(1.0));
        Part6Reader in = new Part6Reader(body, 0, 5);
        DecodeException e = assertThrows(DecodeException.class, () -> in.readNumber(Builtin.DOUBLE));
        assertEquals("the body ends 3 bytes too early", e.getMessage());
        assertThrows(DecodeException.class, () -> new Part6Reader(new byte[0]).skip(Builtin.GUID));
    }

    @Test
    void lengthsTheBodyCannotHoldAreRefusedBeforeAnyAllocation() {
        byte[] negative = MiloEncoding.encode(e -> e.writeInt32(-5));
        assertTrue(assertThrows(DecodeException.class, () -> new Part6Reader(negative).skip(Builtin.STRING))
                .getMessage().contains("length -5"));
        byte[] huge = MiloEncoding.encode(e -> {
            e.writeInt32(Integer.MAX_VALUE);
            e.writeInt32(1);
        });
        DecodeException e = assertThrows(DecodeException.class, () -> new Part6Reader(huge).readByteString());
        assertEquals("a ByteString has length 2147483647 but only 4 bytes are left", e.getMessage());
        byte[] variantArray = MiloEncoding.encode(e2 -> {
            e2.writeByte(ubyte(0x80 | 11));
            e2.writeInt32(1_000_000);
        });
        assertThrows(DecodeException.class, () -> new Part6Reader(variantArray).skip(Builtin.VARIANT));
    }

    @Test
    void unknownTypeBytesAndDeepNestingAreRefused() {
        assertTrue(assertThrows(DecodeException.class, () -> new Part6Reader(new byte[] {40}).skip(Builtin.VARIANT))
                .getMessage().contains("unknown type id 40"));
        assertTrue(assertThrows(DecodeException.class, () -> new Part6Reader(new byte[] {0x3F}).readNodeId())
                .getMessage().contains("unknown encoding byte"));
        byte[] deep = new byte[40];
        java.util.Arrays.fill(deep, (byte) 0x40); // InnerDiagnosticInfo, again and again
        assertTrue(assertThrows(DecodeException.class, () -> new Part6Reader(deep).skip(Builtin.DIAGNOSTIC_INFO))
                .getMessage().contains("deeper than"));
    }

    private static List<NodeId> nodeIds() {
        List<NodeId> ids = new ArrayList<>();
        ids.add(new NodeId(0, 5));
        ids.add(new NodeId(1, 300));
        ids.add(new NodeId(300, 70000));
        ids.add(new NodeId(2, "Plant/Line01/'; DROP TABLE x;--"));
        ids.add(new NodeId(3, UUID.fromString("72962b91-fa75-4ae6-8d28-b404dc7daf63")));
        ids.add(new NodeId(4, ByteString.of(new byte[] {9, 8, 7})));
        return ids;
    }

    private static Builtin typeOf(String name) {
        String type = name.startsWith("null ") ? name.substring(5) : name.startsWith("empty ") ? name.substring(6)
                : name.split(" ")[0];
        return Builtin.ofDictionaryName(type);
    }
}
