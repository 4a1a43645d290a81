package io.opcscraper.opcua.internal.structure;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;

import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.serialization.SerializationContext;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.StructureType;
import org.eclipse.milo.opcua.stack.core.types.structured.EnumDefinition;
import org.eclipse.milo.opcua.stack.core.types.structured.EnumField;
import org.eclipse.milo.opcua.stack.core.types.structured.Range;
import org.eclipse.milo.opcua.stack.core.types.structured.StructureDefinition;
import org.eclipse.milo.opcua.stack.core.types.structured.StructureField;
import org.junit.jupiter.api.Test;

import io.opcscraper.simulator.internal.DefinitionCodecs;

/** The DataTypeDefinition attribute as Milo's own (unregistered) codecs write it, read back by ours. */
class DefinitionDecoderTest {

    private static final SerializationContext WITH_DEFINITION_CODECS = DefinitionCodecs.context(new NamespaceTable());

    @Test
    void readsAStructureDefinitionAsMilosCodecWritesIt() throws DecodeException {
        StructureDefinition written = new StructureDefinition(new NodeId(2, "DataTypes/Motor/Default Binary"),
                Identifiers.Structure, StructureType.StructureWithOptionalFields, new StructureField[] {
                    new StructureField("Speed", LocalizedText.english("rpm"), Identifiers.Double, -1, null, uint(0), false),
                    new StructureField("Axes", LocalizedText.NULL_VALUE, new NodeId(2, "DataTypes/Axis"), 1,
                            new UInteger[] {uint(3)}, uint(0), false),
                    new StructureField("Torque", LocalizedText.NULL_VALUE, Identifiers.Double, -1, null, uint(0), true),
                    new StructureField("温度 '; --", LocalizedText.NULL_VALUE, new NodeId(3, 77), 2,
                            new UInteger[] {uint(2), uint(4)}, uint(16), false)});
        StructureDefinition read = (StructureDefinition) DefinitionDecoder.decode(
                ExtensionObject.encode(WITH_DEFINITION_CODECS, written));
        assertEquals(written.getDefaultEncodingId(), read.getDefaultEncodingId());
        assertEquals(written.getBaseDataType(), read.getBaseDataType());
        assertEquals(written.getStructureType(), read.getStructureType());
        assertEquals(written.getFields().length, read.getFields().length);
        for (int i = 0; i < written.getFields().length; i++) {
            StructureField w = written.getFields()[i];
            StructureField r = read.getFields()[i];
            assertEquals(w.getName(), r.getName());
            assertEquals(w.getDataType(), r.getDataType());
            assertEquals(w.getValueRank(), r.getValueRank());
            assertEquals(w.getIsOptional(), r.getIsOptional());
            assertEquals(w.getMaxStringLength(), r.getMaxStringLength());
            assertArrayEquals(w.getArrayDimensions(), r.getArrayDimensions(), w.getName());
        }
    }

    @Test
    void readsAnEnumDefinitionAsMilosCodecWritesIt() throws DecodeException {
        EnumDefinition written = new EnumDefinition(new EnumField[] {
            new EnumField(0L, LocalizedText.english("Off"), LocalizedText.NULL_VALUE, "Off"),
            new EnumField(-7L, LocalizedText.english("Odd"), LocalizedText.english("negative"), "Odd")});
        EnumDefinition read = (EnumDefinition) DefinitionDecoder.decode(ExtensionObject.encode(WITH_DEFINITION_CODECS,
                written));
        assertEquals(Arrays.stream(written.getFields()).map(f -> f.getValue() + " " + f.getName()).toList(),
                Arrays.stream(read.getFields()).map(f -> f.getValue() + " " + f.getName()).toList());
    }

    @Test
    void anotherTypeIsNoDefinitionAndBytesLeftOverAreAnError() {
        assertNull(assertNoThrow(ExtensionObject.encode(MiloEncoding.CONTEXT, new Range(1.0, 2.0))));
        ExtensionObject good = ExtensionObject.encode(WITH_DEFINITION_CODECS, new EnumDefinition(new EnumField[0]));
        byte[] body = ((ByteString) good.getBody()).bytesOrEmpty();
        byte[] longer = Arrays.copyOf(body, body.length + 3);
        assertThrows(DecodeException.class, () -> DefinitionDecoder.decode(new ExtensionObject(ByteString.of(longer),
                good.getEncodingId())));
    }

    private static Object assertNoThrow(ExtensionObject value) {
        try {
            return DefinitionDecoder.decode(value);
        } catch (DecodeException e) {
            throw new AssertionError(e);
        }
    }
}
