package io.opcscraper.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PropertyTest {

    private static final Property<Integer> TIMEOUT = Property.integer("request.timeout.ms", 10_000).range(100, 600_000);
    private static final Property<String> MODE = Property.string("mode", "poll").options("poll", "subscribe");
    private static final Property<Secret> PASSWORD = Property.password("db.password");
    private static final Property<String> URL = Property.string("endpoint.url", "opc.tcp://h:4840")
            .check(v -> v.startsWith("opc.tcp://") ? null : "must start with opc.tcp://");

    @Test
    void missingValueGivesTheDefault() throws Exception {
        assertEquals(10_000, TIMEOUT.parse(null));
        assertEquals("poll", MODE.parse(null));
        assertTrue(PASSWORD.parse(null).isEmpty());
    }

    @Test
    void numbersArriveInAnyIntegralTypeOrAsText() throws Exception {
        assertEquals(250, TIMEOUT.parse(250L));
        assertEquals(250, TIMEOUT.parse(" 250 "));
        assertEquals(250, TIMEOUT.parse(250.0d));
    }

    @Test
    void outOfRangeNamesThePropertyAndTheValue() {
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class, () -> TIMEOUT.parse(-5));
        assertEquals("'request.timeout.ms' = '-5': must be at least 100", e.getMessage());
        e = assertThrows(InvalidPropertyException.class, () -> TIMEOUT.parse(Long.MAX_VALUE));
        assertEquals("'request.timeout.ms' = '9223372036854775807': must be at most 600000", e.getMessage());
        e = assertThrows(InvalidPropertyException.class, () -> TIMEOUT.parse(2.5d));
        assertTrue(e.getMessage().contains("whole number"), e.getMessage());
    }

    @Test
    void optionsAndChecksAreEnforced() {
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class, () -> MODE.parse("push"));
        assertEquals("'mode' = 'push': must be one of [poll, subscribe]", e.getMessage());
        e = assertThrows(InvalidPropertyException.class, () -> URL.parse("http://x"));
        assertEquals("'endpoint.url' = 'http://x': must start with opc.tcp://", e.getMessage());
    }

    @Test
    void aSecretIsNeverShown() throws Exception {
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class,
                () -> PASSWORD.parse(new StringBuilder("hunter2")));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        Secret secret = PASSWORD.parse("hunter2");
        assertEquals("********", secret.toString());
        assertEquals("HUNTER2", new String(secret.reveal(s -> new String(s).toUpperCase().toCharArray())));
    }

    @Test
    void hugeAndControlCharacterValuesAreShownShortAndOnOneLine() {
        String huge = "x".repeat(100_000) + "\n";
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class, () -> MODE.parse(huge));
        assertTrue(e.getMessage().length() < 300, e.getMessage());
        assertTrue(e.getMessage().contains("100001 characters"), e.getMessage());
        e = assertThrows(InvalidPropertyException.class, () -> MODE.parse("a\nb"));
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void listsAreRefused() {
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class, () -> MODE.parse(List.of("poll")));
        assertTrue(e.getMessage().contains("single value"), e.getMessage());
    }

    @Test
    void readerCollectsEveryProblemAndNamesTheInstance() {
        Map<String, Object> props = new HashMap<>();
        props.put("kura.service.pid", "plant-a");
        props.put("request.timeout.ms", "soon");
        props.put("mode", "push");
        ConfigReader reader = new ConfigReader("io.opcscraper.opcua.Poller", props);
        assertEquals(10_000, reader.get(TIMEOUT));
        assertEquals("poll", reader.get(MODE));
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, reader::throwIfInvalid);
        assertEquals(2, e.problems().size());
        assertTrue(e.getMessage().startsWith("Invalid configuration of io.opcscraper.opcua.Poller 'plant-a': "),
                e.getMessage());
        assertTrue(e.getMessage().contains("'request.timeout.ms' = 'soon'"), e.getMessage());
        assertTrue(e.getMessage().contains("'mode' = 'push'"), e.getMessage());
    }

    @Test
    void aShownValueEscapesWhatIsNotPlainVisibleText() {
        assertEquals("a\\u0000b\\u000a", Property.show("a\u0000b\n"));
        assertEquals("\\uffff\\ufffe", Property.show("\uffff\ufffe"), "noncharacters (not allowed in XML)");
        assertEquals("x\\ud800y", Property.show("x\ud800y"), "a lone surrogate");
        assertEquals("\\u202eevil", Property.show("\u202eevil"), "a right-to-left override");
        assertEquals("\\u2028", Property.show("\u2028"), "a line separator");
        assertEquals("\\ue000", Property.show("\ue000"), "private use");
        assertEquals("température 25 °C 😀 日本", Property.show("température 25 °C 😀 日本"), "visible text as it is");
        assertEquals("\\u{10ffff}", Property.show(new String(Character.toChars(0x10FFFF))), "a supplementary noncharacter");
        // A surrogate pair is never cut at the length limit.
        String shown = Property.show("a".repeat(119) + "😀" + "b".repeat(10));
        assertEquals("a".repeat(119) + "😀... (131 characters)", shown);
        assertEquals("x".repeat(500) + "\\uffff", Property.printable("x".repeat(500) + "\uffff"), "nothing cut");
    }

    @Test
    void textWithInvisibleCharactersIsRefusedNamingTheCharacter() throws InvalidPropertyException {
        Property<String> name = Property.string("client.id", "");
        InvalidPropertyException e = assertThrows(InvalidPropertyException.class,
                () -> name.parse("line\u202e7"));
        assertEquals("must be visible text, but holds the invisible or unassigned character U+202E at position 5",
                e.problem().reason());
        assertEquals("line\\u202e7", e.problem().shownValue());
        assertThrows(InvalidPropertyException.class, () -> name.parse("\uffff"));
        assertThrows(InvalidPropertyException.class, () -> name.parse("a\ud800"));
        assertEquals("ns=2;s=a\nns=2;s=b", Property.string("node.ids", "").parse("ns=2;s=a\nns=2;s=b"),
                "line breaks separate list items");
        assertEquals("Température 😀", name.parse("Température 😀"));
    }
}
