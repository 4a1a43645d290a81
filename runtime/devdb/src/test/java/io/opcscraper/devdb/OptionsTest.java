package io.opcscraper.devdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void defaults() throws Exception {
        Options options = Options.parse();
        assertEquals(0, options.port());
        assertEquals(Path.of("target/devdb"), options.dir());
        assertEquals("opcscraper", options.password());
        assertEquals("warn", options.logLevel());
        assertFalse(options.help());
    }

    @Test
    void everyOptionInBothForms() throws Exception {
        Options options = Options.parse("--port=5433", "--dir", "run/db", "--password", "p=w d", "--log-level=INFO");
        assertEquals(5433, options.port());
        assertEquals(Path.of("run/db"), options.dir());
        assertEquals("p=w d", options.password());
        assertEquals("info", options.logLevel());
        assertEquals("pw", Options.parse("--password=pw").password());
        assertTrue(Options.parse("-h").help());
        assertFalse(options.toString().contains("p=w d"), "no password in toString");
    }

    @Test
    void badCommandLinesNameTheOptionNeverThePassword() {
        assertBad("invalid value '65536' for --port: expected an integer 0..65535 (0 = a free port)", "--port", "65536");
        assertBad("invalid value 'x' for --port: expected an integer 0..65535 (0 = a free port)", "--port=x");
        assertBad("invalid value '' for --dir: expected a directory", "--dir=");
        assertBad("invalid value for --password: expected at least one character", "--password=");
        assertBad("invalid value 'loud' for --log-level: expected error, warn, info, debug or trace", "--log-level", "loud");
        assertBad("unknown option --user", "--user", "x");
        assertBad("unexpected argument 'x'", "x");
        assertBad("option --dir needs a value", "--dir");
        assertBad("option --port given twice", "--port", "1", "--port", "2");
    }

    private static void assertBad(String message, String... args) {
        Options.UsageException e = assertThrows(Options.UsageException.class, () -> Options.parse(args));
        assertEquals(message, e.getMessage());
    }
}
