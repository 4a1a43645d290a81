package io.opcscraper.opcua.internal.structure;

/**
 * Passes over one value of any built-in type of OPC UA Part 6 (5.2) in a {@link Part6Reader}:
 * fixed sizes, length-prefixed strings, the NodeId forms, LocalizedText and ExtensionObject by
 * their masks, DataValue, Variant and DiagnosticInfo by their masks and what they hold, nested at
 * most {@value Part6Reader#MAX_NESTING} levels.
 */
final class Part6Skipper {

    private Part6Skipper() {
    }

    static void skip(Part6Reader in, Builtin type, int depth) throws DecodeException {
        if (depth > Part6Reader.MAX_NESTING) {
            throw new DecodeException("values nest deeper than " + Part6Reader.MAX_NESTING + " levels");
        }
        switch (type) {
            case BOOLEAN: case SBYTE: case BYTE: case CHAR:
                in.advance(1);
                break;
            case INT16: case UINT16: case WIDE_CHAR:
                in.advance(2);
                break;
            case INT32: case UINT32: case FLOAT: case STATUS_CODE:
                in.advance(4);
                break;
            case INT64: case UINT64: case DOUBLE: case DATE_TIME:
                in.advance(8);
                break;
            case GUID:
                in.advance(16);
                break;
            case STRING: case BYTE_STRING: case XML_ELEMENT:
                in.skipLengthPrefixed("a " + type.typeName);
                break;
            case WIDE_STRING:
                int characters = in.readLength("a WideString", 2);
                if (characters > 0) {
                    in.advance(2 * characters);
                }
                break;
            case NODE_ID: case EXPANDED_NODE_ID:
                in.readNodeId();
                break;
            case QUALIFIED_NAME:
                in.advance(2);
                in.skipLengthPrefixed("a QualifiedName");
                break;
            case LOCALIZED_TEXT:
                int mask = (int) in.readUnsigned(1);
                if ((mask & 0x01) != 0) {
                    in.skipLengthPrefixed("a locale");
                }
                if ((mask & 0x02) != 0) {
                    in.skipLengthPrefixed("a text");
                }
                break;
            case EXTENSION_OBJECT:
                in.readNodeId();
                int body = (int) in.readUnsigned(1);
                if (body == 1 || body == 2) {
                    in.skipLengthPrefixed("an ExtensionObject body");
                } else if (body != 0) {
                    throw new DecodeException("an ExtensionObject has the unknown body encoding " + body);
                }
                break;
            case DATA_VALUE:
                dataValue(in, depth);
                break;
            case VARIANT:
                variant(in, depth);
                break;
            case DIAGNOSTIC_INFO:
                diagnosticInfo(in, depth);
                break;
            default:
                throw new DecodeException("cannot skip " + type.typeName);
        }
    }

    private static void variant(Part6Reader in, int depth) throws DecodeException {
        int mask = in.readVariantMask();
        Builtin type = Part6Reader.variantType(mask);
        if (type == null) {
            return;
        }
        if ((mask & 0x80) != 0) {
            int length = in.readLength("a Variant array", type.minBytes);
            for (int i = 0; i < length; i++) {
                skip(in, type, depth + 1);
            }
            if ((mask & 0x40) != 0) {
                in.skipVariantDimensions();
            }
        } else {
            skip(in, type, depth + 1);
        }
    }

    /** Value, StatusCode, SourceTimestamp, SourcePicoseconds, ServerTimestamp, ServerPicoseconds, by the mask. */
    private static void dataValue(Part6Reader in, int depth) throws DecodeException {
        int mask = (int) in.readUnsigned(1);
        if ((mask & 0x01) != 0) {
            skip(in, Builtin.VARIANT, depth + 1);
        }
        if ((mask & 0x02) != 0) {
            in.advance(4);
        }
        if ((mask & 0x04) != 0) {
            in.advance(8);
        }
        if ((mask & 0x10) != 0) {
            in.advance(2);
        }
        if ((mask & 0x08) != 0) {
            in.advance(8);
        }
        if ((mask & 0x20) != 0) {
            in.advance(2);
        }
    }

    private static void diagnosticInfo(Part6Reader in, int depth) throws DecodeException {
        int mask = (int) in.readUnsigned(1);
        for (int bit = 0x01; bit <= 0x08; bit <<= 1) {
            if ((mask & bit) != 0) {
                in.advance(4); // SymbolicId, NamespaceUri, LocalizedText, Locale: Int32 each
            }
        }
        if ((mask & 0x10) != 0) {
            in.skipLengthPrefixed("AdditionalInfo");
        }
        if ((mask & 0x20) != 0) {
            in.advance(4);
        }
        if ((mask & 0x40) != 0) {
            skip(in, Builtin.DIAGNOSTIC_INFO, depth + 1);
        }
    }
}
