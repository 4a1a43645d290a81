package io.opcscraper.opcua.internal.structure;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;

/**
 * Reads the built-in types of OPC UA Part 6 (5.2, binary encoding) from a structure's body, a
 * byte array: little-endian numbers, length-prefixed strings, the NodeId forms, bits; passing over
 * the composite types that have no number in them is {@link Part6Skipper}'s.
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

    /** Passes over one value of {@code type}, whatever is inside ({@link Part6Skipper}). */
    void skip(Builtin type) throws DecodeException {
        Part6Skipper.skip(this, type, 0);
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

    /** Passes over an Int32-length-prefixed string or byte string. */
    void skipLengthPrefixed(String what) throws DecodeException {
        int length = readLength(what, 1);
        if (length > 0) {
            advance(length);
        }
    }

    /** Passes over {@code bytes} bytes. */
    void advance(int bytes) throws DecodeException {
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
