package io.opcscraper.opcua.internal.structure;

import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

import io.opcscraper.opcua.internal.structure.Layout.Bits;
import io.opcscraper.opcua.internal.structure.Layout.Element;
import io.opcscraper.opcua.internal.structure.Layout.Enumeration;
import io.opcscraper.opcua.internal.structure.Layout.Field;
import io.opcscraper.opcua.internal.structure.Layout.Nested;
import io.opcscraper.opcua.internal.structure.Layout.Opaque;
import io.opcscraper.opcua.internal.structure.Layout.OptionSetBytes;
import io.opcscraper.opcua.internal.structure.Layout.Primitive;
import io.opcscraper.opcua.internal.structure.Layout.Step;

/**
 * Decodes the binary body of a structure (OPC UA Part 6 5.2.6, and 5.2.7/5.2.8 for optional
 * fields and unions) from its {@link Layout}, and hands every numeric or Boolean leaf to a
 * {@link Leaves} with its path: {@code .Field} per level, {@code [i]} per array element.
 *
 * <p>Why we decode ourselves: Milo 0.6.16 has no codec built from a DataTypeDefinition (its
 * {@code DataTypeTree} carries no definitions, its {@code AttributeId} not even the attribute;
 * the {@code DynamicStructCodec} arrived in Milo 1.x), and its dictionary codec (bsd-parser's
 * {@code GenericStructCodec}) reads every enumeration as 4 bytes whatever its length, keeps the
 * encoding-mask bits and padding as if they were data, yields no field types for the catalog and
 * hands nested standard structures back as generated classes that cannot be walked. One decoder
 * for both descriptions gives the same rows whichever the server offers (tested).
 *
 * <p>Bounds: at most {@value #MAX_ARRAY_ROWS} elements of one array give rows (the rest are read
 * and counted), at most {@value #MAX_ROWS} rows per value, structures nest at most
 * {@value #MAX_DEPTH} levels. A body must be used to its last byte: bytes left over mean the
 * description is not the one the server encodes with (a changed type), and nothing is stored.
 */
final class StructureDecoder {

    /** Elements of one array that give rows; the same cap as an array variable's. */
    static final int MAX_ARRAY_ROWS = 1000;
    /** Rows one value may give. */
    static final int MAX_ROWS = 10_000;
    /** How deep structures may nest. */
    static final int MAX_DEPTH = 16;

    private static final long[] NO_SLOTS = new long[0];

    /** The layouts of ExtensionObjects inside a body, by encoding id. */
    interface Encodings {

        /** The layout of {@code encodingId}, {@code null} when unknown. */
        Layout layout(NodeId encodingId);
    }

    /** How one decode went: rows given, array elements and rows beyond the caps. */
    record Outcome(int rows, int truncated) {
    }

    private final Encodings encodings;

    StructureDecoder(Encodings encodings) {
        this.encodings = encodings;
    }

    /**
     * Decodes {@code body} as {@code layout}. {@code path} holds what precedes the leaves (the
     * variable's tag name, {@code Tag[3]} for an element of an array of structures) and is as it
     * was afterwards.
     */
    Outcome decode(Layout layout, byte[] body, StringBuilder path, Leaves sink) throws DecodeException {
        State state = new State(path, sink);
        Part6Reader in = new Part6Reader(body);
        structure(layout, in, state, 0);
        if (in.remaining() != 0) {
            throw new DecodeException(in.remaining() + " bytes are left over after the last field of "
                    + layout.typeId());
        }
        return new Outcome(state.rows, state.truncated);
    }

    private static final class State {
        final StringBuilder path;
        final Leaves sink;
        int rows;
        int truncated;
        int muted;

        State(StringBuilder path, Leaves sink) {
            this.path = path;
            this.sink = sink;
        }

        void leaf(double value) {
            if (this.muted > 0) {
                return;
            }
            if (this.rows >= MAX_ROWS) {
                this.truncated++;
                return;
            }
            this.rows++;
            this.sink.leaf(this.path, value);
        }
    }

    private void structure(Layout layout, Part6Reader in, State state, int depth) throws DecodeException {
        if (depth > MAX_DEPTH) {
            throw new DecodeException("structures nest deeper than " + MAX_DEPTH + " levels");
        }
        long[] slots = layout.slots() == 0 ? NO_SLOTS : new long[layout.slots()];
        for (Step step : layout.steps()) {
            if (step.when() != null && !step.when().holds(slots)) {
                continue;
            }
            int mark = state.path.length();
            state.path.append('.').append(step.name());
            try {
                if (step instanceof Bits bits) {
                    long value = in.readBits(bits.count());
                    if (bits.slot() >= 0) {
                        slots[bits.slot()] = value;
                    }
                    if (bits.leaf()) {
                        state.leaf(value);
                    }
                } else {
                    field((Field) step, slots, in, state, depth);
                }
            } catch (DecodeException e) {
                throw e.at(state.path);
            }
            state.path.setLength(mark);
        }
    }

    private void field(Field field, long[] slots, Part6Reader in, State state, int depth) throws DecodeException {
        Element element = field.element();
        switch (field.length()) {
            case SCALAR:
                long value = value(element, field.leaf(), in, state, depth);
                if (field.slot() >= 0) {
                    slots[field.slot()] = value;
                }
                return;
            case PREFIXED:
                int length = in.readLength("the array", element.minBytes());
                if (length > 0) {
                    array(field, length, in, state, depth);
                }
                return;
            case MATRIX:
                int dimensions = in.readLength("the array dimensions", 4);
                long total = dimensions > 0 ? 1 : 0;
                for (int i = 0; i < dimensions; i++) {
                    int dimension = in.readInt32();
                    if (dimension < 0) {
                        throw new DecodeException("an array dimension is " + dimension);
                    }
                    total = Math.min(total * dimension, Integer.MAX_VALUE);
                }
                checkLength(total, element, in);
                array(field, (int) total, in, state, depth);
                return;
            case FROM_SLOT:
                long counted = slots[field.lengthSlot()];
                if (counted < 0) {
                    return; // a length field of -1: a null array
                }
                checkLength(counted, element, in);
                array(field, (int) counted, in, state, depth);
                return;
            default:
                array(field, field.fixedLength(), in, state, depth);
        }
    }

    private static void checkLength(long length, Element element, Part6Reader in) throws DecodeException {
        if (length > Integer.MAX_VALUE || (element.minBytes() > 0 && length * element.minBytes() > in.remaining())) {
            throw new DecodeException("the array has " + length + " elements but only " + in.remaining()
                    + " bytes are left");
        }
    }

    private void array(Field field, int length, Part6Reader in, State state, int depth) throws DecodeException {
        int kept = Math.min(length, MAX_ARRAY_ROWS);
        int mark = state.path.length();
        for (int i = 0; i < kept; i++) {
            state.path.append('[').append(i).append(']');
            value(field.element(), field.leaf(), in, state, depth);
            state.path.setLength(mark);
        }
        if (length > kept) {
            if (field.leaf()) {
                state.truncated += length - kept;
            }
            state.muted++;
            for (int i = kept; i < length; i++) {
                value(field.element(), false, in, state, depth);
            }
            state.muted--;
        }
    }

    /** Reads one value; a leaf's number goes to the sink. Returns an integer value (for slots), else 0. */
    private long value(Element element, boolean leaf, Part6Reader in, State state, int depth) throws DecodeException {
        if (element instanceof Primitive primitive) {
            Builtin type = primitive.type();
            if (type.numeric) {
                if (type == Builtin.FLOAT || type == Builtin.DOUBLE || type == Builtin.UINT64) {
                    double number = in.readNumber(type);
                    if (leaf) {
                        state.leaf(number);
                    }
                    return (long) number;
                }
                long integer = in.readInteger(type);
                if (leaf) {
                    state.leaf(integer);
                }
                return integer;
            }
            if (type == Builtin.VARIANT) {
                variant(leaf, in, state, depth);
            } else if (type == Builtin.EXTENSION_OBJECT) {
                extensionObject(leaf, in, state, depth);
            } else {
                in.skip(type);
            }
            return 0;
        }
        if (element instanceof Enumeration enumeration) {
            int bits = enumeration.bits();
            long integer = bits % 8 == 0 ? in.readUnsigned(bits / 8) : in.readBits(bits);
            if (enumeration.signed() && bits < 64) {
                integer = (integer << (64 - bits)) >> (64 - bits);
            }
            if (leaf) {
                state.leaf(integer);
            }
            return integer;
        }
        if (element instanceof Nested nested) {
            if (!leaf) {
                state.muted++;
            }
            structure(nested.layout().get(), in, state, depth + 1);
            if (!leaf) {
                state.muted--;
            }
            return 0;
        }
        if (element instanceof OptionSetBytes) {
            byte[] bits = in.readByteString();
            in.skip(Builtin.BYTE_STRING); // ValidBits
            if (leaf && bits != null && bits.length <= 8) {
                long integer = 0;
                for (int i = 0; i < bits.length; i++) {
                    integer |= (long) (bits[i] & 0xFF) << (8 * i);
                }
                state.leaf(integer >= 0 ? integer : (double) (integer >>> 1) * 2.0 + (integer & 1));
            }
            return 0;
        }
        int bits = ((Opaque) element).bits();
        if (bits % 8 == 0) {
            in.slice(bits / 8);
        } else {
            in.readBits(bits);
        }
        return 0;
    }

    /** A Variant field: a number (or an array of them) is a leaf; a structure inside is decoded when known. */
    private void variant(boolean leaf, Part6Reader in, State state, int depth) throws DecodeException {
        int mask = in.readVariantMask();
        Builtin type = Part6Reader.variantType(mask);
        if (type == null) {
            return;
        }
        Primitive element = new Primitive(type);
        if ((mask & 0x80) == 0) {
            value(element, leaf, in, state, depth + 1);
            return;
        }
        int length = in.readLength("a Variant array", type.minBytes);
        int kept = Math.min(length, MAX_ARRAY_ROWS);
        int mark = state.path.length();
        for (int i = 0; i < length; i++) {
            boolean shown = leaf && i < kept;
            if (shown) {
                state.path.append('[').append(i).append(']');
            }
            value(element, shown, in, state, depth + 1);
            state.path.setLength(mark);
        }
        if (leaf && length > kept && type.numeric) {
            state.truncated += length - kept;
        }
        if ((mask & 0x40) != 0) {
            in.skipVariantDimensions();
        }
    }

    /** An ExtensionObject field: decoded with the layout of its encoding when known, else passed over. */
    private void extensionObject(boolean leaf, Part6Reader in, State state, int depth) throws DecodeException {
        NodeId encodingId = in.readNodeId();
        int bodyType = (int) in.readInteger(Builtin.BYTE);
        if (bodyType == 0) {
            return;
        }
        if (bodyType != 1 && bodyType != 2) {
            throw new DecodeException("an ExtensionObject has the unknown body encoding " + bodyType);
        }
        int length = in.readLength("an ExtensionObject body", 1);
        Part6Reader body = in.slice(Math.max(0, length));
        Layout layout = bodyType == 1 ? this.encodings.layout(encodingId) : null;
        if (layout == null) {
            if (leaf) {
                state.sink.unknownEncoding(encodingId);
            }
            return;
        }
        if (depth + 1 > MAX_DEPTH) {
            throw new DecodeException("structures nest deeper than " + MAX_DEPTH + " levels");
        }
        if (!leaf) {
            state.muted++;
        }
        structure(layout, body, state, depth + 1);
        if (!leaf) {
            state.muted--;
        }
        if (body.remaining() != 0) {
            throw new DecodeException(body.remaining() + " bytes are left over in an ExtensionObject of "
                    + layout.typeId());
        }
    }
}
