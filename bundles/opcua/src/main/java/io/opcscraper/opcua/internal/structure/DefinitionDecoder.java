package io.opcscraper.opcua.internal.structure;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.StructureType;
import org.eclipse.milo.opcua.stack.core.types.structured.DataTypeDefinition;
import org.eclipse.milo.opcua.stack.core.types.structured.EnumDefinition;
import org.eclipse.milo.opcua.stack.core.types.structured.EnumField;
import org.eclipse.milo.opcua.stack.core.types.structured.StructureDefinition;
import org.eclipse.milo.opcua.stack.core.types.structured.StructureField;

/**
 * Decodes the value of the DataTypeDefinition attribute: a StructureDefinition (encoding i=122) or an
 * EnumDefinition (i=123), Part 3 8.48 and 8.49, into Milo's classes.
 *
 * <p>Why not Milo: 0.6.16 generates codecs for these 1.04 types but does not register them, so
 * {@code ExtensionObject.decode} with the client's context fails ("no codec registered for
 * encodingId=i=122"). Registering them needs Milo internals (a data type manager keyed by data type
 * for the fields); reading the two structures with {@link Part6Reader} is shorter and checked
 * against what Milo's own codecs write (DefinitionDecoderTest).
 */
final class DefinitionDecoder {

    static final NodeId STRUCTURE_DEFINITION = new NodeId(0, uint(122));
    static final NodeId ENUM_DEFINITION = new NodeId(0, uint(123));

    private DefinitionDecoder() {
    }

    /** The definition in {@code value}, {@code null} when it holds another type. */
    static DataTypeDefinition decode(ExtensionObject value) throws DecodeException {
        if (!(value.getBody() instanceof ByteString body)) {
            return null;
        }
        Part6Reader in = new Part6Reader(body.bytesOrEmpty());
        DataTypeDefinition definition;
        if (STRUCTURE_DEFINITION.equals(value.getEncodingId())) {
            definition = structure(in);
        } else if (ENUM_DEFINITION.equals(value.getEncodingId())) {
            definition = enumeration(in);
        } else {
            return null;
        }
        if (in.remaining() != 0) {
            throw new DecodeException(in.remaining() + " bytes are left over after the definition");
        }
        return definition;
    }

    private static StructureDefinition structure(Part6Reader in) throws DecodeException {
        NodeId encoding = in.readNodeId();
        NodeId base = in.readNodeId();
        StructureType type = StructureType.from(in.readInt32());
        int count = in.readLength("the fields", 14);
        StructureField[] fields = new StructureField[Math.max(0, count)];
        for (int i = 0; i < fields.length; i++) {
            String name = in.readString();
            in.skip(Builtin.LOCALIZED_TEXT);
            NodeId dataType = in.readNodeId();
            int valueRank = in.readInt32();
            int dimensions = in.readLength("the array dimensions", 4);
            UInteger[] arrayDimensions = dimensions < 0 ? null : new UInteger[dimensions];
            for (int d = 0; d < dimensions; d++) {
                arrayDimensions[d] = uint(in.readInteger(Builtin.UINT32));
            }
            UInteger maxStringLength = uint(in.readInteger(Builtin.UINT32));
            boolean optional = in.readInteger(Builtin.BOOLEAN) != 0;
            fields[i] = new StructureField(name, LocalizedText.NULL_VALUE, dataType, valueRank, arrayDimensions,
                    maxStringLength, optional);
        }
        return new StructureDefinition(encoding, base, type, fields);
    }

    private static EnumDefinition enumeration(Part6Reader in) throws DecodeException {
        int count = in.readLength("the enumeration fields", 10);
        EnumField[] fields = new EnumField[Math.max(0, count)];
        for (int i = 0; i < fields.length; i++) {
            long value = in.readInteger(Builtin.INT64);
            in.skip(Builtin.LOCALIZED_TEXT);
            in.skip(Builtin.LOCALIZED_TEXT);
            fields[i] = new EnumField(value, LocalizedText.NULL_VALUE, LocalizedText.NULL_VALUE, in.readString());
        }
        return new EnumDefinition(fields);
    }
}
