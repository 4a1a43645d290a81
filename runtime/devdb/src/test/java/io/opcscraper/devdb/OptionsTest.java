package io.opcscraper.devdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The command line through picocli, configured as {@link Main#main} configures it. */
class OptionsTest {

    private final Main main = new Main();
    private final CommandLine cli = Main.commandLine(main);

    @Test
    void defaults() {
        cli.parseArgs();
        assertEquals(0, main.options.port);
        assertEquals(Path.of("target/devdb"), main.options.dir);
        assertEquals("opcscraper", main.options.password);
        assertEquals(Options.LogLevel.warn, main.options.logLevel);
    }

    @Test
    void everyOptionInBothForms() {
        cli.parseArgs("--port=5433", "--dir", "run/db", "--password", "p=w d", "--log-level=INFO");
        assertEquals(5433, main.options.port);
        assertEquals(Path.of("run/db"), main.options.dir);
        assertEquals("p=w d", main.options.password);
        assertEquals(Options.LogLevel.info, main.options.logLevel);
        assertFalse(main.options.toString().contains("p=w d"), "no password in toString");
    }

    @Test
    void valuesAtTheLimitsAndOddButValid() {
        assertEquals(65535, parsed("--port", "65535").port);
        assertEquals(7, parsed("--port", " 7 ").port);
        assertEquals("-pw", parsed("--password", "-pw").password);
        assertEquals("pw", parsed("--password=pw").password);
        assertEquals(Options.LogLevel.trace, parsed("--log-level", "trace").logLevel);
    }

    static Stream<Arguments> badCommandLines() {
        String port = "Invalid value for option '--port': '%s' is not an integer in 0..65535 (0 = a free port)";
        return Stream.of(
            bad(String.format(port, "65536"), "--port", "65536"),
            bad(String.format(port, "-1"), "--port", "-1"),
            bad(String.format(port, "1.5"), "--port", "1.5"),
            bad(String.format(port, "x"), "--port=x"),
            bad("Invalid value for option '--dir': '' is not a directory", "--dir="),
            bad("Invalid value for option '--dir': ' ' is not a directory", "--dir", " "),
            bad("Invalid value for option '--dir': 'a\0b' is not a directory", "--dir", "a\0b"),
            // never the password
            bad("Invalid value for option '--password': expected at least one character", "--password="),
            bad("Invalid value for option '--password': NUL character", "--password", "se\0cret"),
            bad("Invalid value for option '--log-level': expected one of [error, warn, info, debug, trace]"
                + " (case-insensitive) but was 'loud'", "--log-level", "loud"),
            bad("Unknown options: '--user', 'x'", "--user", "x"),
            bad("Unmatched argument at index 0: 'x'", "x"),
            bad("Missing required parameter for option '--dir' (DIR)", "--dir"),
            bad("option '--port' (N) should be specified only once", "--port", "1", "--port", "2"));
    }

    @ParameterizedTest
    @MethodSource
    void badCommandLines(String message, String[] args) {
        assertEquals(message, assertThrows(ParameterException.class, () -> cli.parseArgs(args)).getMessage());
    }

    @Test
    void helpExitsZeroWithTheUsageOnStdoutABadOptionTwoWithMessageAndUsageOnStderr() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));

        assertEquals(0, cli.execute("--port", "1", "-h"));
        assertEquals(0, cli.execute("--help"));
        assertEquals("", err.toString());
        String usage = out.toString();
        assertTrue(usage.startsWith("Usage: java -jar runtime/devdb/target/devdb-<version>.jar [OPTIONS]"), usage);
        String text = usage.replaceAll("\\s+", " ");
        for (String expected : new String[] {"--port=N", "a free port (default 0)", "--dir=DIR",
            "(default target/devdb)", "--password=PW", "(default opcscraper)", "--log-level=LEVEL",
            "error, warn, info, debug, trace", "(default warn)", "-h, --help",
            "devdb ready: jdbc:postgresql://127.0.0.1:PORT/opcscraper user=opcscraper", "devdb stopped"}) {
            assertTrue(text.contains(expected), expected + " in\n" + usage);
        }

        out.getBuffer().setLength(0);
        assertEquals(2, cli.execute("--port", "99999"));
        assertEquals("", out.toString());
        assertTrue(err.toString().startsWith("Invalid value for option '--port': '99999' is not an integer in"
            + " 0..65535 (0 = a free port)" + System.lineSeparator() + "Usage: "), err.toString());
    }

    private static Arguments bad(String message, String... args) {
        return Arguments.of(message, args);
    }

    private static Options parsed(String... args) {
        Main main = new Main();
        Main.commandLine(main).parseArgs(args);
        return main.options;
    }
}
