package io.opcscraper.testing.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.slf4j.helpers.NOPLogger;

import io.opcscraper.config.AdType;
import io.opcscraper.config.InvalidConfigurationException;
import io.opcscraper.config.LiveConfiguration;
import io.opcscraper.config.Problem;
import io.opcscraper.config.Property;

/**
 * The fuzz run around {@link ConfigFuzzer} (issue 6, "Bad input"): an options parser and
 * {@link LiveConfiguration} never throw anything but {@link InvalidConfigurationException};
 * every refusal names the property and (unless it is a password) the value, on one line; no
 * password ever appears in a message, a problem or the options' {@code toString}; values no
 * property of that type can accept are refused. The seed is printed; {@code -Dfuzz.seed=N}
 * repeats a run and {@code -Dfuzz.cases=N} sets the number of cases (3000).
 */
public final class ConfigFuzz {

    /** Configurations tried per PID: {@code -Dfuzz.cases}, 3000 by default. */
    public static final int CASES = Integer.getInteger("fuzz.cases", 3000);

    /** The prefix of every printed line: the name of the tests that use this library. */
    private static final String LABEL = "ConfigFuzzTest";

    private ConfigFuzz() {
    }

    /** Absolute paths in fuzzed values are moved under the test's folder: the fuzzer creates no directories elsewhere. */
    public static void confinePaths(Map<String, Object> properties, Path root, String... keys) {
        for (String key : keys) {
            Object value = properties.get(key);
            if (value instanceof String && ((String) value).trim().startsWith("/")) {
                properties.put(key, root.resolve("confined").toString());
            }
        }
    }

    /** {@code -Dfuzz.seed}, or a fresh one; printed with how to rerun it. */
    public static long seed(String what) {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println(LABEL + " " + what + ": seed " + seed + " (rerun with -Dfuzz.seed=" + seed + ")");
        return seed;
    }

    /**
     * {@link #CASES} fuzzed configurations of the PID through the parser and through
     * {@link LiveConfiguration}, each checked; prints a summary line and asserts that both
     * refusals and acceptances were exercised.
     */
    public static void fuzz(String pid, List<Property<?>> properties, LiveConfiguration.Parser<?> parser,
            Map<String, Object> base) {
        long seed = seed(pid);
        ConfigFuzzer fuzzer = new ConfigFuzzer(new Random(seed));
        int refused = 0;
        for (int n = 0; n < CASES; n++) {
            Map<String, Object> config = fuzzer.mutate(properties, new HashMap<>(base));
            String where = pid + " case " + n + " of seed " + seed + ": " + fuzzer.describe(config, properties);
            try {
                Object options = parser.parse(config);
                String shown = options.toString();
                for (String secret : fuzzer.secrets(config, properties)) {
                    assertFalse(shown.contains(secret), "a password in the options' toString: " + where);
                }
                for (Property<?> p : properties) {
                    if (mustBeRefused(p, config.get(p.id()))) {
                        fail("accepted a value that can never be valid for '" + p.id() + "': " + where);
                    }
                }
            } catch (InvalidConfigurationException e) {
                refused++;
                checkRefusal(e, config, properties, fuzzer, where);
            } catch (Throwable t) {
                throw new AssertionError("unexpected " + t + " for " + where, t);
            }
            // The same configuration through LiveConfiguration, as the components use it.
            LiveConfiguration<?> live = new LiveConfiguration<>(parser, NOPLogger.NOP_LOGGER);
            try {
                Optional<?> taken = live.update(config);
                assertEquals(taken.isEmpty(), live.problem().isPresent(), where);
                live.problem().ifPresent(problem -> fuzzer.secrets(config, properties).forEach(
                        secret -> assertFalse(problem.contains(secret), "a password in the problem: " + where)));
            } catch (Throwable t) {
                throw new AssertionError("LiveConfiguration threw " + t + " for " + where, t);
            }
        }
        System.out.println(LABEL + " " + pid + ": " + CASES + " cases, " + refused + " refused, 0 unexpected");
        assertTrue(refused > CASES / 10 && refused < CASES, "the fuzzer exercised both refusals and acceptances: "
                + refused + " of " + CASES + " refused");
    }

    /** Values no property of that type can accept. */
    public static boolean mustBeRefused(Property<?> p, Object raw) {
        if (raw == null) {
            return false;
        }
        if (raw instanceof Collection || (raw.getClass().isArray() && !(raw instanceof char[]))) {
            return true;
        }
        if (raw instanceof Map || raw instanceof Object[]) {
            return true;
        }
        switch (p.type()) {
        case STRING:
            return !(raw instanceof String) || ((String) raw).trim().codePoints()
                    .anyMatch(cp -> cp != '\n' && cp != '\r' && cp != '\t' && !Property.isPlainText(cp));
        case PASSWORD:
            return !(raw instanceof String) && !(raw instanceof char[]);
        case BOOLEAN:
            return !(raw instanceof Boolean) && !(raw instanceof String);
        default:
            return raw instanceof Boolean || raw instanceof char[];
        }
    }

    /** A refusal names known properties and their values (never a password's), on one line, and lists every value that can never be valid. */
    public static void checkRefusal(InvalidConfigurationException e, Map<String, Object> config,
            List<Property<?>> properties, ConfigFuzzer fuzzer, String where) {
        String message = e.getMessage();
        assertFalse(e.problems().isEmpty(), "a refusal without problems: " + where);
        for (String secret : fuzzer.secrets(config, properties)) {
            assertFalse(message.contains(secret), "a password in the message '" + message + "': " + where);
        }
        Set<String> ids = new HashSet<>();
        properties.forEach(p -> ids.add(p.id()));
        for (Problem problem : e.problems()) {
            assertTrue(ids.contains(problem.property()), "an unknown property in " + problem + ": " + where);
            assertTrue(message.contains("'" + problem.property() + "'"), "the message names the property: " + message);
            Property<?> p = properties.stream().filter(q -> q.id().equals(problem.property())).findFirst().orElseThrow();
            Object raw = config.get(p.id());
            if (p.type() == AdType.PASSWORD) {
                assertEquals(null, problem.shownValue(), "a password's value is never shown: " + where);
            } else if (raw != null) {
                String expected = show(raw);
                assertEquals(expected, problem.shownValue(), "the problem shows the value: " + where);
                assertTrue(message.contains("'" + p.id() + "' = '" + expected + "'"),
                        "the message names property and value: " + message + " / " + where);
                assertFalse(message.chars().anyMatch(c -> c == '\n' || c == '\r'), "one line: " + message);
                assertTrue(xmlSafe(message), "only characters a log file, a terminal and an XML report take: "
                        + message.codePoints().mapToObj(Integer::toHexString).toList() + " / " + where);
            }
        }
        for (Property<?> p : properties) {
            if (mustBeRefused(p, config.get(p.id()))) {
                assertTrue(e.problems().stream().anyMatch(q -> q.property().equals(p.id())),
                        "'" + p.id() + "' must be among the problems of " + message + ": " + where);
            }
        }
    }

    /**
     * Whether text can stand in an XML 1.0 document (a Surefire report): no character outside
     * #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF], no lone surrogate.
     */
    public static boolean xmlSafe(String text) {
        for (int i = 0; i < text.length();) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            boolean ok = cp == 0x9 || cp == 0xA || cp == 0xD || cp >= 0x20 && cp <= 0xD7FF
                    || cp >= 0xE000 && cp <= 0xFFFD || cp >= 0x10000 && cp <= 0x10FFFF;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** What {@code Property.show} promises: one line, at most 120 characters and a length note. */
    public static String show(Object raw) {
        String text = raw.getClass().isArray()
                ? raw.getClass().getComponentType().getSimpleName() + "[" + Array.getLength(raw) + "]"
                : String.valueOf(raw);
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < text.length() && shown.length() < 120;) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Property.isPlainText(cp)) {
                shown.appendCodePoint(cp);
            } else {
                shown.append(cp <= 0xFFFF ? String.format("\\u%04x", cp) : String.format("\\u{%x}", cp));
            }
        }
        if (shown.length() >= 120 && text.length() > 120) {
            shown.append("... (").append(text.length()).append(" characters)");
        }
        return shown.toString();
    }
}
