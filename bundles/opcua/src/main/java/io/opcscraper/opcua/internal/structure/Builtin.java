package io.opcscraper.opcua.internal.structure;

/**
 * The types a structure's binary body is made of: the 25 built-in types of OPC UA Part 6
 * (numbered as their node ids i=1..25) and the few OPC Binary schema types a 1.03 data type
 * dictionary adds (characters). Numeric and Boolean ones become rows; the others are skipped.
 */
enum Builtin {
    BOOLEAN(1, "Boolean", 1, true),
    SBYTE(2, "SByte", 1, true),
    BYTE(3, "Byte", 1, true),
    INT16(4, "Int16", 2, true),
    UINT16(5, "UInt16", 2, true),
    INT32(6, "Int32", 4, true),
    UINT32(7, "UInt32", 4, true),
    INT64(8, "Int64", 8, true),
    UINT64(9, "UInt64", 8, true),
    FLOAT(10, "Float", 4, true),
    DOUBLE(11, "Double", 8, true),
    STRING(12, "String", 4, false),
    DATE_TIME(13, "DateTime", 8, false),
    GUID(14, "Guid", 16, false),
    BYTE_STRING(15, "ByteString", 4, false),
    XML_ELEMENT(16, "XmlElement", 4, false),
    NODE_ID(17, "NodeId", 2, false),
    EXPANDED_NODE_ID(18, "ExpandedNodeId", 2, false),
    STATUS_CODE(19, "StatusCode", 4, false),
    QUALIFIED_NAME(20, "QualifiedName", 6, false),
    LOCALIZED_TEXT(21, "LocalizedText", 1, false),
    EXTENSION_OBJECT(22, "ExtensionObject", 3, false),
    DATA_VALUE(23, "DataValue", 1, false),
    VARIANT(24, "Variant", 1, false),
    DIAGNOSTIC_INFO(25, "DiagnosticInfo", 1, false),
    /** OPC Binary {@code opc:Char}: one byte. */
    CHAR(0, "Char", 1, false),
    /** OPC Binary {@code opc:WideChar}: two bytes. */
    WIDE_CHAR(0, "WideChar", 2, false),
    /** OPC Binary {@code opc:WideString} and {@code opc:WideCharArray}: Int32 characters, then UTF-16. */
    WIDE_STRING(0, "WideString", 4, false);

    private static final Builtin[] BY_ID = new Builtin[26];

    static {
        for (Builtin b : values()) {
            if (b.id > 0) {
                BY_ID[b.id] = b;
            }
        }
    }

    /** The built-in type id (the node id i=N in namespace 0), 0 for the OPC Binary extras. */
    final int id;
    /** The name OPC UA gives it, which is also its name in the catalog and in a dictionary. */
    final String typeName;
    /** The fewest bytes one value takes (a null string, an empty LocalizedText, ...). */
    final int minBytes;
    /** Whether a value becomes a row (a number, or a Boolean as 1 or 0). */
    final boolean numeric;

    Builtin(int id, String typeName, int minBytes, boolean numeric) {
        this.id = id;
        this.typeName = typeName;
        this.minBytes = minBytes;
        this.numeric = numeric;
    }

    /** The built-in type of id 1 to 25, else {@code null}. */
    static Builtin ofId(long id) {
        return id > 0 && id < BY_ID.length ? BY_ID[(int) id] : null;
    }

    /** By the name a data type dictionary uses ({@code opc:Double}, {@code ua:LocalizedText}, {@code opc:CharArray}). */
    static Builtin ofDictionaryName(String name) {
        switch (name) {
            case "CharArray":
                return STRING;
            case "WideCharArray":
                return WIDE_STRING;
            default:
                for (Builtin b : values()) {
                    if (b.typeName.equals(name)) {
                        return b;
                    }
                }
                return null;
        }
    }
}
