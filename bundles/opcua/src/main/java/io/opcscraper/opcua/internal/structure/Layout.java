package io.opcscraper.opcua.internal.structure;

import java.util.List;

/**
 * How the binary body of one structure type is laid out, compiled from the server's description
 * (a 1.04 DataTypeDefinition or a 1.03 dictionary entry): the steps that read it, in order.
 *
 * <p>The model is the OPC Binary schema's (Part 3 Annex C), which can say everything a
 * DataTypeDefinition says: a step reads a value, an array or some bits; it may store an integer
 * in a slot (a length or a switch) and may depend on a slot (optional fields, union members).
 * A DataTypeDefinition compiles to the same steps the dictionary of that type would hold, so
 * both descriptions decode through one {@link StructureDecoder}.
 *
 * @param typeId the data type's id in its stable text form, for messages and the catalog
 * @param steps what the body holds, in order
 * @param slots how many integers the steps store (lengths and switches)
 */
record Layout(String typeId, List<Step> steps, int slots) {

    Layout {
        steps = List.copyOf(steps);
    }

    /** Roughly what this layout costs in memory, to bound the registry in bytes. */
    long estimatedBytes() {
        long bytes = 64 + 2L * this.typeId.length();
        for (Step step : this.steps) {
            bytes += 96 + 2L * step.name().length();
        }
        return bytes;
    }

    /** One step of a body. */
    sealed interface Step permits Field, Bits {

        /** The field's name: a leaf's path element. */
        String name();

        /** When present only under a condition, the condition; else {@code null}. */
        Condition when();
    }

    /**
     * A value, or an array of values, of one element type.
     *
     * @param slot where an integer value is kept (a length or a switch of later fields), -1: not kept
     * @param leaf whether it gives rows (false for lengths, switches and padding)
     */
    record Field(String name, Element element, Length length, int fixedLength, int lengthSlot, int slot,
            boolean leaf, Condition when) implements Step {

        static Field scalar(String name, Element element, boolean leaf, Condition when) {
            return new Field(name, element, Length.SCALAR, 0, -1, -1, leaf, when);
        }
    }

    /** {@code count} bits (OPC Binary {@code opc:Bit}), kept in {@code slot} when it is not -1. */
    record Bits(String name, int count, int slot, boolean leaf, Condition when) implements Step {
    }

    /** How many values a field holds. */
    enum Length {
        /** One value. */
        SCALAR,
        /** Part 6 array: an Int32 length (-1: null) then the values. */
        PREFIXED,
        /** Part 6 multi-dimensional array: an Int32 array of dimensions, then all values. */
        MATRIX,
        /** As many as a slot says (OPC Binary {@code LengthField}). */
        FROM_SLOT,
        /** A fixed number (OPC Binary {@code Length}). */
        FIXED
    }

    /** A field is present when the integer in {@code slot} compares to {@code value} as {@code operator} says. */
    record Condition(int slot, Operator operator, long value) {

        boolean holds(long[] slots) {
            return this.operator.test(slots[this.slot], this.value);
        }
    }

    /** OPC Binary {@code SwitchOperand}. */
    enum Operator {
        EQUALS, NOT_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL, LESS_THAN, LESS_THAN_OR_EQUAL;

        boolean test(long a, long b) {
            switch (this) {
                case EQUALS:
                    return a == b;
                case NOT_EQUAL:
                    return a != b;
                case GREATER_THAN:
                    return a > b;
                case GREATER_THAN_OR_EQUAL:
                    return a >= b;
                case LESS_THAN:
                    return a < b;
                default:
                    return a <= b;
            }
        }
    }

    /** What one value of a field is. */
    sealed interface Element permits Primitive, Enumeration, Nested, OptionSetBytes, Opaque {

        /** Its data type in the catalog: a built-in name or a data type id. */
        String typeName();

        /** The fewest bytes one value takes. */
        int minBytes();
    }

    /** A built-in type. */
    record Primitive(Builtin type) implements Element {

        @Override
        public String typeName() {
            return this.type.typeName;
        }

        @Override
        public int minBytes() {
            return this.type.minBytes;
        }
    }

    /**
     * An enumeration: an integer of {@code bits} bits (32, an Int32, for OPC UA enumerations; other
     * sizes in a dictionary, for option sets; fewer than 8 are packed like {@code opc:Bit}), stored
     * as its integer.
     */
    record Enumeration(String typeName, int bits, boolean signed) implements Element {

        @Override
        public int minBytes() {
            return this.bits / 8;
        }
    }

    /** A structure inside the body, encoded in place (not as an ExtensionObject). */
    record Nested(String typeName, LayoutRef layout) implements Element {

        @Override
        public int minBytes() {
            return 0;
        }
    }

    /**
     * A subtype of the OptionSet structure (Part 3 8.?: ByteString Value, ByteString ValidBits):
     * its Value's bits, little-endian, stored as an integer when they fit in 64 bits.
     */
    record OptionSetBytes(String typeName) implements Element {

        @Override
        public int minBytes() {
            return 8;
        }
    }

    /** A dictionary's opaque type of a known size: passed over, no row. */
    record Opaque(String typeName, int bits) implements Element {

        @Override
        public int minBytes() {
            return (this.bits + 7) / 8;
        }
    }

    /**
     * The layout of a nested structure, set once when the types of one load are linked (a type may
     * contain itself, through an array or an optional field, so layouts refer to each other).
     */
    static final class LayoutRef {

        private Layout layout;

        Layout get() {
            return this.layout;
        }

        void set(Layout layout) {
            if (this.layout != null) {
                throw new IllegalStateException("set twice");
            }
            this.layout = layout;
        }
    }
}
