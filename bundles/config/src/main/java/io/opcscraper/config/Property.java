package io.opcscraper.config;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A typed, validated configuration property: its metatype id and type, its one default, its
 * bounds or options and any further checks. Each options class declares its properties once;
 * the metatype XML must say the same (checked by {@code MetatypeConformance}).
 *
 * <p>Instances are immutable; the builder-style methods return copies.
 *
 * @param <T> the Java type of the parsed value
 */
public final class Property<T> {

    private static final int SHOWN_VALUE_LIMIT = 120;

    private final String id;
    private final AdType type;
    private final T defaultValue;
    private final Number min;
    private final Number max;
    private final List<String> options;
    private final List<Function<? super T, String>> checks;

    private Property(String id, AdType type, T defaultValue, Number min, Number max, List<String> options,
            List<Function<? super T, String>> checks) {
        this.id = Objects.requireNonNull(id, "id");
        this.type = type;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.options = List.copyOf(options);
        this.checks = List.copyOf(checks);
    }

    public static Property<String> string(String id, String defaultValue) {
        return new Property<>(id, AdType.STRING, defaultValue, null, null, List.of(), List.of());
    }

    public static Property<Integer> integer(String id, int defaultValue) {
        return new Property<>(id, AdType.INTEGER, defaultValue, null, null, List.of(), List.of());
    }

    public static Property<Long> longValue(String id, long defaultValue) {
        return new Property<>(id, AdType.LONG, defaultValue, null, null, List.of(), List.of());
    }

    public static Property<Double> decimal(String id, double defaultValue) {
        return new Property<>(id, AdType.DOUBLE, defaultValue, null, null, List.of(), List.of());
    }

    public static Property<Boolean> bool(String id, boolean defaultValue) {
        return new Property<>(id, AdType.BOOLEAN, defaultValue, null, null, List.of(), List.of());
    }

    /** A Password property; its default is empty and its value is never shown. */
    public static Property<Secret> password(String id) {
        return new Property<>(id, AdType.PASSWORD, Secret.empty(), null, null, List.of(), List.of());
    }

    /** Inclusive bounds, as the metatype's {@code min} and {@code max}. Numbers only. */
    public Property<T> range(Number minimum, Number maximum) {
        if (this.type != AdType.INTEGER && this.type != AdType.LONG && this.type != AdType.DOUBLE) {
            throw new IllegalStateException(this.id + ": range on a " + this.type + " property");
        }
        return new Property<>(this.id, this.type, this.defaultValue, minimum, maximum, this.options, this.checks);
    }

    /** The allowed values, as the metatype's {@code Option} elements. Strings only. */
    public Property<T> options(String... values) {
        if (this.type != AdType.STRING) {
            throw new IllegalStateException(this.id + ": options on a " + this.type + " property");
        }
        return new Property<>(this.id, this.type, this.defaultValue, this.min, this.max, List.of(values), this.checks);
    }

    /**
     * A further check: the function returns {@code null} when the value is fine, otherwise the
     * reason it is not ("must start with opc.tcp://").
     */
    public Property<T> check(Function<? super T, String> reasonOrNull) {
        List<Function<? super T, String>> all = new ArrayList<>(this.checks);
        all.add(reasonOrNull);
        return new Property<>(this.id, this.type, this.defaultValue, this.min, this.max, this.options, all);
    }

    public String id() {
        return this.id;
    }

    public AdType type() {
        return this.type;
    }

    public T defaultValue() {
        return this.defaultValue;
    }

    public Optional<Number> min() {
        return Optional.ofNullable(this.min);
    }

    public Optional<Number> max() {
        return Optional.ofNullable(this.max);
    }

    public List<String> options() {
        return this.options;
    }

    /** The default as the metatype writes it. */
    public String defaultAsString() {
        return this.type == AdType.PASSWORD ? "" : String.valueOf(this.defaultValue);
    }

    /**
     * Parses a raw configuration value: {@code null} gives the default. Numbers and booleans
     * are also accepted as strings, and whole numbers in any integral type that fits, since
     * ConfigurationAdmin, JSON files and consoles do not all keep the metatype's type.
     *
     * @throws InvalidPropertyException naming this property, with the value unless it is a secret
     */
    public T parse(Object raw) throws InvalidPropertyException {
        if (raw == null) {
            return this.defaultValue;
        }
        if (raw instanceof Collection || (raw.getClass().isArray() && !(raw instanceof char[]))) {
            throw problem(raw, "must be a single value, not a list");
        }
        T value = convert(raw);
        String reason = validate(value);
        if (reason != null) {
            throw problem(raw, reason);
        }
        return value;
    }

    private String validate(T value) {
        if (this.min != null && compare(value, this.min) < 0) {
            return "must be at least " + this.min;
        }
        if (this.max != null && compare(value, this.max) > 0) {
            return "must be at most " + this.max;
        }
        if (!this.options.isEmpty() && !this.options.contains(value)) {
            return "must be one of " + this.options;
        }
        for (Function<? super T, String> check : this.checks) {
            String reason = check.apply(value);
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }

    private static int compare(Object value, Number bound) {
        if (value instanceof Double) {
            return Double.compare((Double) value, bound.doubleValue());
        }
        return Long.compare(((Number) value).longValue(), bound.longValue());
    }

    @SuppressWarnings("unchecked")
    private T convert(Object raw) throws InvalidPropertyException {
        switch (this.type) {
        case STRING:
            if (raw instanceof String) {
                String text = ((String) raw).trim();
                String hidden = hiddenCharacter(text);
                if (hidden != null) {
                    throw problem(raw, hidden);
                }
                return (T) text;
            }
            throw problem(raw, "must be text");
        case PASSWORD:
            if (raw instanceof String) {
                return (T) Secret.of(((String) raw).toCharArray());
            }
            if (raw instanceof char[]) {
                return (T) Secret.of((char[]) raw);
            }
            throw problem(raw, "must be text");
        case BOOLEAN:
            if (raw instanceof Boolean) {
                return (T) raw;
            }
            if (raw instanceof String && ("true".equalsIgnoreCase(((String) raw).trim())
                    || "false".equalsIgnoreCase(((String) raw).trim()))) {
                return (T) Boolean.valueOf(((String) raw).trim());
            }
            throw problem(raw, "must be true or false");
        case INTEGER: {
            long whole = wholeNumber(raw);
            if (whole < Integer.MIN_VALUE || whole > Integer.MAX_VALUE) {
                throw problem(raw, this.min != null && whole < 0 ? "must be at least " + this.min
                        : this.max != null && whole > 0 ? "must be at most " + this.max
                                : "must be a whole number between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);
            }
            return (T) Integer.valueOf((int) whole);
        }
        case LONG:
            return (T) Long.valueOf(wholeNumber(raw));
        case DOUBLE: {
            double number;
            if (raw instanceof Number) {
                number = ((Number) raw).doubleValue();
            } else if (raw instanceof String) {
                try {
                    number = Double.parseDouble(((String) raw).trim());
                } catch (NumberFormatException e) {
                    throw problem(raw, "must be a number");
                }
            } else {
                throw problem(raw, "must be a number");
            }
            if (!Double.isFinite(number)) {
                throw problem(raw, "must be a finite number");
            }
            return (T) Double.valueOf(number);
        }
        default:
            throw new IllegalStateException(String.valueOf(this.type));
        }
    }

    private long wholeNumber(Object raw) throws InvalidPropertyException {
        if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof Number) {
            double d = ((Number) raw).doubleValue();
            if (d == Math.rint(d) && d >= Long.MIN_VALUE && d <= Long.MAX_VALUE) {
                return (long) d;
            }
            throw problem(raw, "must be a whole number");
        }
        if (raw instanceof String) {
            try {
                return Long.parseLong(((String) raw).trim());
            } catch (NumberFormatException e) {
                throw problem(raw, "must be a whole number");
            }
        }
        throw problem(raw, "must be a whole number");
    }

    private InvalidPropertyException problem(Object raw, String reason) {
        return new InvalidPropertyException(new Problem(this.id, this.type == AdType.PASSWORD ? null : show(raw), reason));
    }

    /**
     * A value as it may appear in a log line: one line, at most a few dozen characters, every
     * character that is not plainly visible text escaped as {@code \\uXXXX} (or {@code \\u{XXXXX}}):
     * controls, format characters (a right-to-left override would make the line read otherwise),
     * line and paragraph separators, lone surrogates, unassigned code points and noncharacters
     * ({@code U+FFFF} is not even allowed in XML: a test report holding it could not be read), and
     * private-use characters.
     */
    static String show(Object raw) {
        String text;
        if (raw.getClass().isArray()) {
            text = raw.getClass().getComponentType().getSimpleName() + "[" + Array.getLength(raw) + "]";
        } else {
            text = String.valueOf(raw);
        }
        String shown = escape(text, SHOWN_VALUE_LIMIT);
        if (shown.length() >= SHOWN_VALUE_LIMIT && text.length() > SHOWN_VALUE_LIMIT) {
            return shown + "... (" + text.length() + " characters)";
        }
        return shown;
    }

    /** Text for a log line: every character that is not plain visible text escaped as in {@link #show}, nothing cut. */
    static String printable(String text) {
        return escape(text, Integer.MAX_VALUE);
    }

    /** Escapes the code points of text that are not plain text, until the result reaches limit characters. */
    private static String escape(String text, int limit) {
        StringBuilder shown = new StringBuilder(Math.min(text.length(), limit) + 16);
        for (int i = 0; i < text.length() && shown.length() < limit;) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (!isPlainText(cp)) {
                shown.append(cp <= 0xFFFF ? String.format("\\u%04x", cp) : String.format("\\u{%x}", cp));
            } else {
                shown.appendCodePoint(cp);
            }
        }
        return shown.toString();
    }

    /**
     * Why text that ends up in log lines, rows and the console is refused: it holds a character
     * that is not visible text (see {@link #isPlainText}; line breaks and tabs are allowed, lists
     * are split on lines), or null.
     */
    private static String hiddenCharacter(String text) {
        for (int i = 0; i < text.length();) {
            int cp = text.codePointAt(i);
            if (cp != '\n' && cp != '\r' && cp != '\t' && !isPlainText(cp)) {
                return String.format("must be visible text, but holds the invisible or unassigned character U+%04X at"
                        + " position %d", cp, text.codePointCount(0, i) + 1);
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    /**
     * Whether a code point may appear as itself in a log line (see {@link #show}): not a control,
     * format, surrogate, unassigned, private-use or line/paragraph separator character.
     */
    public static boolean isPlainText(int cp) {
        switch (Character.getType(cp)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.SURROGATE:
            case Character.UNASSIGNED:
            case Character.PRIVATE_USE:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
                return false;
            default:
                return true;
        }
    }

    @Override
    public String toString() {
        return this.id + " (" + this.type.metatypeName() + ")";
    }
}
