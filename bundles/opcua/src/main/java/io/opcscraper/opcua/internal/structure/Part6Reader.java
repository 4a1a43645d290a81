package io.opcscraper.opcua.internal.structure;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;

/**
 * Reads the built-in types of OPC UA Part 6 (5.2, binary encoding) from a structure's body, a
 * byte array: little-endian numbers, length-prefixed strings, the NodeId forms, and skips every
 * type that has no number in it.
 *
 * <p>Why our own reader and not Milo's {@code OpcUaBinaryStreamDecoder}: Milo's decoder reads a
 * Netty {@code ByteBuf}, a type this bundle may not see (Netty is private to the Milo bundle), it
 * boxes every number, and it cannot say how many bytes a body had left. Here a number goes
 * straight to a {@code double}, and a body longer or shorter than its description is an error.
 * The tests check this reader against what Milo's encoder writes for every built-in type.
 *
 * <p>Every read checks the bytes left first and every length before it is used: a hostile body
 * gives a {@link DecodeException}, never an exception of the JDK or a huge allocation.
 */
final class Part6Reader {

    /** How deep Variants, DiagnosticInfos and ExtensionObjects may nest inside each other. */
    static final int MAX_NESTING = 16;

    private final byte[] data;
    private final int end;
    private int position;
    private int bits;
    private int bitsLeft;

    Part6Reader(byte[] data) {
        this(data, 0, data.length);
    }

    Part6Reader(byte[] data, int offset, int length) {
        this.data = data;
        this.position = offset;
        this.end = offset + length;
    }

    int remaining() {
        return this.end - this.position;
    }

    /** A reader of the next {@code length} bytes, which this reader passes over. */
    Part6Reader slice(int length) throws DecodeException {
        need(length);
        Part6Reader slice = new Part6Reader(this.data, this.position, length);
        this.position += length;
        return slice;
    }

    // ----- numbers -----

    /** A numeric or Boolean built-in value as a double (UInt64 above 2^53 loses precision). */
    double readNumber(Builtin type) throws DecodeException {
        switch (type) {
            case FLOAT:
                return Float.intBitsToFloat((int) readLittleEndian(4));
            case DOUBLE:
                return Double.longBitsToDouble(readLittleEndian(8));
            case UINT64:
                long value = readLittleEndian(8);
                return value >= 0 ? value : (double) (value >>> 1) * 2.0 + (value & 1);
            default:
                return readInteger(type);
        }
    }

    /** An integer or Boolean built-in value (UInt64 as its 64 bits). */
    long readInteger(Builtin type) throws DecodeException {
        switch (type) {
            case BOOLEAN:
                return readLittleEndian(1) != 0 ? 1 : 0;
            case SBYTE:
                return (byte) readLittleEndian(1);
            case BYTE:
                return readLittleEndian(1);
            case INT16:
                return (short) readLittleEndian(2);
            case UINT16:
                return readLittleEndian(2);
            case INT32:
                return (int) readLittleEndian(4);
            case UINT32:
            case STATUS_CODE:
                return readLittleEndian(4);
            case INT64:
            case UINT64:
            case DATE_TIME:
                return readLittleEndian(8);
            default:
                throw new DecodeException(type.typeName + " is not an integer");
        }
    }

    /** An unsigned little-endian integer of 1 to 8 bytes (64 bits as they are). */
    long readUnsigned(int bytes) throws DecodeException {
        if (bytes < 1 || bytes > 8) {
            throw new DecodeException("an integer of " + bytes + " bytes");
        }
        return readLittleEndian(bytes);
    }

    int readInt32() throws DecodeException {
        return (int) readLittleEndian(4);
    }

    /** {@code count} bits (at most 64), least significant first, from the current byte on. */
    long readBits(int count) throws DecodeException {
        long value = 0;
        for (int i = 0; i < count; i++) {
            if (this.bitsLeft == 0) {
                need(1);
                this.bits = this.data[this.position++] & 0xFF;
                this.bitsLeft = 8;
            }
            if (i < 64) {
                value |= (long) (this.bits & 1) << i;
            }
            this.bits >>>= 1;
            this.bitsLeft--;
        }
        return value;
    }

    private long readLittleEndian(int bytes) throws DecodeException {
        need(bytes);
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value |= (long) (this.data[this.position + i] & 0xFF) << (8 * i);
        }
        this.position += bytes;
        return value;
    }

    // ----- lengths, strings, node ids -----

    /**
     * An Int32 length of a string or array: -1 (null) or 0 and up; each of the elements takes at
     * least {@code minBytes}, so a length the body cannot hold is refused before anything is
     * allocated or looped over.
     */
    int readLength(String what, int minBytes) throws DecodeException {
        int length = readInt32();
        if (length < -1) {
            throw new DecodeException(what + " has length " + length);
        }
        if (length > 0 && minBytes > 0 && (long) length * minBytes > remaining()) {
            throw new DecodeException(what + " has length " + length + " but only " + remaining()
                    + " bytes are left");
        }
        return length;
    }

    /** The bytes of a ByteString, {@code null} for a null one. */
    byte[] readByteString() throws DecodeException {
        int length = readLength("a ByteString", 1);
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        System.arraycopy(this.data, this.position, bytes, 0, length);
        this.position += length;
        return bytes;
    }

    String readString() throws DecodeException {
        int length = readLength("a String", 1);
        if (length < 0) {
            return null;
        }
        String text = new String(this.data, this.position, length, StandardCharsets.UTF_8);
        this.position += length;
        return text;
    }

    /** A NodeId, or the NodeId part of an ExpandedNodeId (whose namespace URI and server index are skipped). */
    NodeId readNodeId() throws DecodeException {
        int encoding = (int) readLittleEndian(1);
        NodeId id;
        switch (encoding & 0x3F) {
            case 0:
                id = new NodeId(0, UInteger.valueOf(readLittleEndian(1)));
                break;
            case 1:
                int namespace = (int) readLittleEndian(1);
                id = new NodeId(UShort.valueOf(namespace), UInteger.valueOf(readLittleEndian(2)));
                break;
            case 2:
                id = new NodeId(UShort.valueOf((int) readLittleEndian(2)), UInteger.valueOf(readLittleEndian(4)));
                break;
            case 3:
                id = new NodeId(UShort.valueOf((int) readLittleEndian(2)), String.valueOf(readString()));
                break;
            case 4:
                int guidNamespace = (int) readLittleEndian(2);
                long a = readLittleEndian(4);
                long b = readLittleEndian(2);
                long c = readLittleEndian(2);
                need(8);
                long low = 0;
                for (int i = 0; i < 8; i++) {
                    low = (low << 8) | (this.data[this.position + i] & 0xFF);
                }
                this.position += 8;
                id = new NodeId(UShort.valueOf(guidNamespace), new UUID((a << 32) | (b << 16) | c, low));
                break;
            case 5:
                int opaqueNamespace = (int) readLittleEndian(2);
                byte[] opaque = readByteString();
                id = new NodeId(UShort.valueOf(opaqueNamespace), opaque == null ? ByteString.NULL_VALUE
                        : ByteString.of(opaque));
                break;
            default:
                throw new DecodeException("a NodeId has the unknown encoding byte 0x" + Integer.toHexString(encoding));
        }
        if ((encoding & 0x80) != 0) {
            skipLengthPrefixed("a namespace URI");
        }
        if ((encoding & 0x40) != 0) {
            readLittleEndian(4);
        }
        return id;
    }

    // ----- skipping -----

    /** Passes over one value of {@code type}, whatever is inside. */
    void skip(Builtin type) throws DecodeException {
        skip(type, 0);
    }

    private void skip(Builtin type, int depth) throws DecodeException {
        if (depth > MAX_NESTING) {
            throw new DecodeException("values nest deeper than " + MAX_NESTING + " levels");
        }
        switch (type) {
            case BOOLEAN: case SBYTE: case BYTE: case CHAR:
                advance(1);
                break;
            case INT16: case UINT16: case WIDE_CHAR:
                advance(2);
                break;
            case INT32: case UINT32: case FLOAT: case STATUS_CODE:
                advance(4);
                break;
            case INT64: case UINT64: case DOUBLE: case DATE_TIME:
                advance(8);
                break;
            case GUID:
                advance(16);
                break;
            case STRING: case BYTE_STRING: case XML_ELEMENT:
                skipLengthPrefixed("a " + type.typeName);
                break;
            case WIDE_STRING:
                int characters = readLength("a WideString", 2);
                if (characters > 0) {
                    advance(2 * characters);
                }
                break;
            case NODE_ID: case EXPANDED_NODE_ID:
                readNodeId();
                break;
            case QUALIFIED_NAME:
                advance(2);
                skipLengthPrefixed("a QualifiedName");
                break;
            case LOCALIZED_TEXT:
                int mask = (int) readLittleEndian(1);
                if ((mask & 0x01) != 0) {
                    skipLengthPrefixed("a locale");
                }
                if ((mask & 0x02) != 0) {
                    skipLengthPrefixed("a text");
                }
                break;
            case EXTENSION_OBJECT:
                readNodeId();
                int body = (int) readLittleEndian(1);
                if (body == 1 || body == 2) {
                    skipLengthPrefixed("an ExtensionObject body");
                } else if (body != 0) {
                    throw new DecodeException("an ExtensionObject has the unknown body encoding " + body);
                }
                break;
            case DATA_VALUE:
                skipDataValue(depth);
                break;
            case VARIANT:
                skipVariant(depth);
                break;
            case DIAGNOSTIC_INFO:
                skipDiagnosticInfo(depth);
                break;
            default:
                throw new DecodeException("cannot skip " + type.typeName);
        }
    }

    /** The mask byte of a Variant; the decoder reads what follows. */
    int readVariantMask() throws DecodeException {
        return (int) readLittleEndian(1);
    }

    /** Array dimensions after a Variant array with the dimensions flag: passed over. */
    void skipVariantDimensions() throws DecodeException {
        int dimensions = readLength("Variant array dimensions", 4);
        if (dimensions > 0) {
            advance(4 * dimensions);
        }
    }

    private void skipVariant(int depth) throws DecodeException {
        int mask = readVariantMask();
        Builtin type = variantType(mask);
        if (type == null) {
            return;
        }
        if ((mask & 0x80) != 0) {
            int length = readLength("a Variant array", type.minBytes);
            for (int i = 0; i < length; i++) {
                skip(type, depth + 1);
            }
            if ((mask & 0x40) != 0) {
                skipVariantDimensions();
            }
        } else {
            skip(type, depth + 1);
        }
    }

    /** The built-in type of a Variant's mask byte, {@code null} for a null Variant. */
    static Builtin variantType(int mask) throws DecodeException {
        int id = mask & 0x3F;
        if (id == 0) {
            return null;
        }
        Builtin type = Builtin.ofId(id);
        if (type == null) {
            throw new DecodeException("a Variant has the unknown type id " + id);
        }
        return type;
    }

    private void skipDataValue(int depth) throws DecodeException {
        int mask = (int) readLittleEndian(1);
        if ((mask & 0x01) != 0) {
            skip(Builtin.VARIANT, depth + 1);
        }
        if ((mask & 0x02) != 0) {
            advance(4);
        }
        if ((mask & 0x04) != 0) {
            advance(8);
        }
        if ((mask & 0x10) != 0) {
            advance(2);
        }
        if ((mask & 0x08) != 0) {
            advance(8);
        }
        if ((mask & 0x20) != 0) {
            advance(2);
        }
    }

    private void skipDiagnosticInfo(int depth) throws DecodeException {
        int mask = (int) readLittleEndian(1);
        for (int bit = 0x01; bit <= 0x08; bit <<= 1) {
            if ((mask & bit) != 0) {
                advance(4); // SymbolicId, NamespaceUri, LocalizedText, Locale: Int32 each
            }
        }
        if ((mask & 0x10) != 0) {
            skipLengthPrefixed("AdditionalInfo");
        }
        if ((mask & 0x20) != 0) {
            advance(4);
        }
        if ((mask & 0x40) != 0) {
            skip(Builtin.DIAGNOSTIC_INFO, depth + 1);
        }
    }

    private void skipLengthPrefixed(String what) throws DecodeException {
        int length = readLength(what, 1);
        if (length > 0) {
            advance(length);
        }
    }

    private void advance(int bytes) throws DecodeException {
        need(bytes);
        this.position += bytes;
    }

    private void need(int bytes) throws DecodeException {
        this.bitsLeft = 0; // a value after bit fields starts at the next byte
        if (bytes > this.end - this.position) {
            throw new DecodeException("the body ends " + (bytes - (this.end - this.position))
                    + " bytes too early");
        }
    }
}
