package io.opcscraper.kura.emulator.internal;

import java.lang.reflect.Array;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Kura's scalar type names (its metatype {@code Scalar}: String, Long, Double, Float, Integer,
 * Byte, Char, Boolean, Short, Password) for the Java types ConfigurationAdmin stores, both ways.
 * Password values are Strings.
 */
final class KuraScalar {

    private record Scalar(Class<?> boxed, Class<?> primitive, Function<String, Object> parser) {
    }

    private static final Map<String, Scalar> BY_NAME = Map.of(
            "String", new Scalar(String.class, null, s -> s),
            "Password", new Scalar(String.class, null, s -> s),
            "Long", new Scalar(Long.class, long.class, Long::valueOf),
            "Double", new Scalar(Double.class, double.class, Double::valueOf),
            "Float", new Scalar(Float.class, float.class, Float::valueOf),
            "Integer", new Scalar(Integer.class, int.class, Integer::valueOf),
            "Byte", new Scalar(Byte.class, byte.class, Byte::valueOf),
            "Char", new Scalar(Character.class, char.class, KuraScalar::character),
            "Boolean", new Scalar(Boolean.class, boolean.class, Boolean::valueOf),
            "Short", new Scalar(Short.class, short.class, Short::valueOf));

    private KuraScalar() {
    }

    /** The Kura name of a stored value's (element) type; Password is the caller's to say. */
    static String nameOf(Class<?> type, String property) {
        for (Map.Entry<String, Scalar> scalar : BY_NAME.entrySet()) {
            if (!"Password".equals(scalar.getKey())
                    && (scalar.getValue().boxed() == type || scalar.getValue().primitive() == type)) {
                return scalar.getKey();
            }
        }
        throw new IllegalArgumentException("property '" + property + "' holds a " + type.getName()
                + ", which a Kura snapshot cannot keep (only its scalar types and arrays of them)");
    }

    static Object parse(String type, String text, String property) {
        try {
            return scalar(type, property).parser().apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("property '" + property + "': '" + text + "' is not a " + type, e);
        }
    }

    /** An array of the boxed type (a primitive array comes back boxed, which ConfigurationAdmin accepts). */
    static Object array(String type, List<String> texts, String property) {
        Object array = Array.newInstance(scalar(type, property).boxed(), texts.size());
        for (int i = 0; i < texts.size(); i++) {
            Array.set(array, i, parse(type, texts.get(i), property));
        }
        return array;
    }

    private static Scalar scalar(String type, String property) {
        Scalar scalar = BY_NAME.get(type);
        if (scalar == null) {
            throw new IllegalArgumentException("property '" + property + "' has the unknown type '" + type
                    + "' (Kura's types: " + BY_NAME.keySet() + ")");
        }
        return scalar;
    }

    private static Object character(String text) {
        if (text.length() != 1) {
            throw new IllegalArgumentException("not one character");
        }
        return text.charAt(0);
    }
}
