package io.opcscraper.simulator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void defaults() throws Exception {
        Options options = Options.parse();
        assertEquals(48400, options.port());
        assertEquals("127.0.0.1", options.bind());
        assertEquals(1000, options.tags());
        assertEquals(1.0, options.rateHz());
        assertEquals(Options.Security.NONE, options.security());
        assertNull(options.pkiDir());
        assertNull(options.statsFile());
        assertEquals("warn", options.logLevel());
        assertFalse(options.help());
    }

    @Test
    void everyOptionInBothForms() throws Exception {
        Options options = Options.parse("--port", "0", "--bind=0.0.0.0", "--tags", "50000", "--rate=2.5",
            "--security", "ALL", "--pki", "run/pki", "--stats=run/stats.txt", "--log-level", "INFO");
        assertEquals(0, options.port());
        assertEquals("0.0.0.0", options.bind());
        assertEquals(50000, options.tags());
        assertEquals(2.5, options.rateHz());
        assertEquals(Options.Security.ALL, options.security());
        assertEquals(Path.of("run/pki"), options.pkiDir());
        assertEquals(Path.of("run/stats.txt"), options.statsFile());
        assertEquals("info", options.logLevel());
        assertEquals(4, Options.Security.ALL.policies.length);
        assertEquals(1, Options.Security.NONE.policies.length);
    }

    @Test
    void help() throws Exception {
        assertTrue(Options.parse("--help").help());
        assertTrue(Options.parse("--tags", "5", "-h").help());
        assertTrue(Main.USAGE.contains("--stats FILE"));
    }

    @Test
    void limitsAreAccepted() throws Exception {
        assertEquals(65535, Options.parse("--port", "65535").port());
        assertEquals(0, Options.parse("--tags", "0").tags());
        assertEquals(1_000_000, Options.parse("--tags", "1000000").tags());
        assertEquals(1000.0, Options.parse("--rate", "1000").rateHz());
        assertEquals(0.01, Options.parse("--rate", "0.01").rateHz());
    }

    @Test
    void badValuesNameTheOptionAndTheValue() {
        assertBad("invalid value 'abc' for --port: expected an integer 0..65535", "--port", "abc");
        assertBad("invalid value '65536' for --port: expected an integer 0..65535", "--port", "65536");
        assertBad("invalid value '-1' for --port: expected an integer 0..65535", "--port=-1");
        assertBad("invalid value '1000001' for --tags: expected an integer 0..1000000", "--tags", "1000001");
        assertBad("invalid value '1.5' for --tags: expected an integer 0..1000000", "--tags", "1.5");
        assertBad("invalid value '0' for --rate: expected a number of Hz, 0 < HZ <= 1000", "--rate", "0");
        assertBad("invalid value 'NaN' for --rate: expected a number of Hz, 0 < HZ <= 1000", "--rate", "NaN");
        assertBad("invalid value '1001' for --rate: expected a number of Hz, 0 < HZ <= 1000", "--rate", "1001");
        assertBad("invalid value 'fast' for --rate: expected a number of Hz, 0 < HZ <= 1000", "--rate", "fast");
        assertBad("invalid value 'some' for --security: expected none or all", "--security", "some");
        assertBad("invalid value '' for --bind: expected a host name or IP address", "--bind=");
        assertBad("invalid value ' ' for --stats: expected a path", "--stats", " ");
        assertBad("invalid value 'loud' for --log-level: expected error, warn, info, debug or trace",
            "--log-level", "loud");
    }

    @Test
    void badCommandLines() {
        assertBad("unknown option --path", "--path", "/plant");
        assertBad("unknown option --tag", "--tag=5");
        assertBad("unexpected argument '5'", "5");
        assertBad("unexpected argument '-p'", "-p", "5");
        assertBad("option --port needs a value", "--tags", "5", "--port");
        assertBad("option --tags given twice", "--tags", "5", "--tags=6");
    }

    @Test
    void rateIsPrintedWithoutTrailingZeros() {
        assertEquals("1", Main.formatRate(1.0));
        assertEquals("2.5", Main.formatRate(2.5));
        assertEquals("0.1", Main.formatRate(0.1));
        assertEquals("1000", Main.formatRate(1000));
    }

    private static void assertBad(String message, String... args) {
        Options.UsageException e = assertThrows(Options.UsageException.class, () -> Options.parse(args));
        assertEquals(message, e.getMessage());
    }
}
