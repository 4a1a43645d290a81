package io.opcscraper.simulator.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.opcscraper.simulator.internal.StructureModel.Field;
import io.opcscraper.simulator.internal.StructureModel.FieldType;
import io.opcscraper.simulator.internal.StructureModel.Kind;
import io.opcscraper.simulator.internal.StructureModel.Type;

/**
 * Encodes a value of one of the plant's types as OPC UA Part 6 says (5.2.6 structures, 5.2.7
 * optional fields: a UInt32 mask, one bit per optional field in order; 5.2.8 unions: a UInt32
 * switch, 1 for the first field; 5.2.5 arrays: an Int32 length), written by hand so that the
 * client's decoder is checked against an encoder it shares nothing with.
 *
 * <p>A value is a map from field name to: Double, Float, Integer (Int32, an enumeration), Long
 * (UInt32), Boolean, String (also a LocalizedText's text), {@code double[2]} (a Range), a map (a
 * nested structure) or a list (an array). An optional field that is absent has no entry; a union
 * has exactly one.
 */
final class StructureEncoder {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

    private StructureEncoder() {
    }

    static byte[] encode(Type type, Map<String, Object> value) {
        StructureEncoder encoder = new StructureEncoder();
        encoder.structure(type, value);
        return encoder.out.toByteArray();
    }

    private void structure(Type type, Map<String, Object> value) {
        List<Field> fields = type.fields();
        if (type.kind() == Kind.OPTIONAL_FIELDS) {
            long mask = 0;
            int bit = 0;
            for (Field field : fields) {
                if (field.optional()) {
                    if (value.get(field.name()) != null) {
                        mask |= 1L << bit;
                    }
                    bit++;
                }
            }
            int32((int) mask);
        }
        if (type.kind() == Kind.UNION) {
            for (int i = 0; i < fields.size(); i++) {
                if (value.get(fields.get(i).name()) != null) {
                    int32(i + 1);
                    field(fields.get(i), value.get(fields.get(i).name()));
                    return;
                }
            }
            int32(0);
            return;
        }
        for (Field field : fields) {
            Object fieldValue = value.get(field.name());
            if (field.optional() && fieldValue == null) {
                continue;
            }
            field(field, fieldValue);
        }
    }

    private void field(Field field, Object value) {
        if (!field.array()) {
            scalar(field.type(), value);
            return;
        }
        List<?> elements = (List<?>) value;
        if (elements == null) {
            int32(-1);
            return;
        }
        int32(elements.size());
        elements.forEach(element -> scalar(field.type(), element));
    }

    @SuppressWarnings("unchecked")
    private void scalar(FieldType type, Object value) {
        if (type.custom() != null) {
            if (type.custom().kind() == Kind.ENUMERATION) {
                int32((Integer) value);
            } else {
                structure(type.custom(), (Map<String, Object>) value);
            }
            return;
        }
        switch (type.name()) {
            case "Double" -> int64(Double.doubleToLongBits((Double) value));
            case "Float" -> int32(Float.floatToIntBits((Float) value));
            case "Int32" -> int32((Integer) value);
            case "UInt32" -> int32((int) (long) (Long) value);
            case "Boolean" -> out.write(Boolean.TRUE.equals(value) ? 1 : 0);
            case "String" -> string((String) value);
            case "LocalizedText" -> {
                out.write(0x02); // text, no locale
                string((String) value);
            }
            case "Range" -> {
                double[] range = (double[]) value;
                int64(Double.doubleToLongBits(range[0]));
                int64(Double.doubleToLongBits(range[1]));
            }
            default -> int64(Double.doubleToLongBits(value instanceof Double d ? d : 0.0)); // Missing: a Double
        }
    }

    private void string(String text) {
        if (text == null) {
            int32(-1);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int32(bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    private void int32(int value) {
        for (int i = 0; i < 4; i++) {
            out.write((value >>> (8 * i)) & 0xFF);
        }
    }

    private void int64(long value) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (value >>> (8 * i)) & 0xFF);
        }
    }
}
