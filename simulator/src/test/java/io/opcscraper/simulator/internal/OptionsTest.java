package io.opcscraper.simulator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The command line through picocli, as {@link Main#main} parses it. */
class OptionsTest {

    @Test
    void defaults() {
        Options options = parse();
        assertEquals(48400, options.port);
        assertEquals("127.0.0.1", options.bind);
        assertEquals(1000, options.tags);
        assertEquals(1.0, options.rateHz);
        assertEquals(Options.Security.none, options.security);
        assertNull(options.pkiDir);
        assertNull(options.statsFile);
        assertEquals(Options.LogLevel.warn, options.logLevel);
        assertEquals(0, options.historySeconds);
        assertEquals(false, options.historyBackdated);
    }

    @Test
    void historyInSecondsAndBackdated() {
        Options options = parse("--history", "600", "--history-backdated");
        assertEquals(600, options.historySeconds);
        assertEquals(true, options.historyBackdated);
        assertEquals(Options.MAX_HISTORY_S, parse("--history=" + Options.MAX_HISTORY_S).historySeconds);
        String history = "Invalid value for option '--history': '%s' is not a number of seconds in 0..604800";
        assertBad(String.format(history, "-1"), "--history", "-1");
        assertBad(String.format(history, "604801"), "--history", "604801");
        assertBad(String.format(history, "an hour"), "--history", "an hour");
    }

    @Test
    void everyOptionInBothForms() {
        Options options = parse("--port", "0", "--bind=0.0.0.0", "--tags", "50000", "--rate=2.5",
            "--security", "ALL", "--pki", "run/pki", "--stats=run/stats.txt", "--log-level", "INFO");
        assertEquals(0, options.port);
        assertEquals("0.0.0.0", options.bind);
        assertEquals(50000, options.tags);
        assertEquals(2.5, options.rateHz);
        assertEquals(Options.Security.all, options.security);
        assertEquals(Path.of("run/pki"), options.pkiDir);
        assertEquals(Path.of("run/stats.txt"), options.statsFile);
        assertEquals(Options.LogLevel.info, options.logLevel);
        assertEquals(Options.Security.all, parse("--security=all").security);
        assertEquals(Options.LogLevel.trace, parse("--log-level=trace").logLevel);
        assertEquals(4, Options.Security.all.policies.length);
        assertEquals(1, Options.Security.none.policies.length);
    }

    @Test
    void helpPrintsTheUsageWithTheDefaultsOnStdoutAndExitsZero() {
        for (String help : new String[] {"--help", "-h"}) {
            Run run = execute("--tags", "5", help);
            assertEquals(0, run.status, run.err);
            assertEquals("", run.err);
            assertTrue(run.out.startsWith("Usage: java -jar simulator/target/simulator-<version>-app.jar [OPTIONS]"),
                run.out);
            for (String text : new String[] {"--port=N", "(default 48400)", "--bind=HOST", "(default 127.0.0.1)",
                "--tags=N", "0..1000000 (default 1000)", "--rate=HZ", "0 < HZ <= 1000 (default 1)",
                "--security=MODE", "none, all (default none)", "--pki=DIR", "--stats=FILE", "--log-level=LEVEL",
                "error, warn, info, debug, trace", "(default warn)", "-h, --help",
                "simulator ready: opc.tcp://HOST:PORT/plant tags=N rate=HZHz variables=V[ history=Ss]",
                "--history=S",
                "simulator stopped: produced=N changes"}) {
                assertTrue(run.out.replaceAll("\\s+", " ").contains(text), text + " in\n" + run.out);
            }
        }
    }

    @Test
    void limitsAreAccepted() {
        assertEquals(65535, parse("--port", "65535").port);
        assertEquals(0, parse("--tags", "0").tags);
        assertEquals(1_000_000, parse("--tags", "1000000").tags);
        assertEquals(7, parse("--tags", " 7 ").tags);
        assertEquals(1000.0, parse("--rate", "1000").rateHz);
        assertEquals(0.01, parse("--rate", "0.01").rateHz);
    }

    @Test
    void badValuesNameTheOptionAndTheValue() {
        String port = "Invalid value for option '--port': '%s' is not an integer in 0..65535";
        assertBad(String.format(port, "abc"), "--port", "abc");
        assertBad(String.format(port, "65536"), "--port", "65536");
        assertBad(String.format(port, "-1"), "--port=-1");
        assertBad(String.format(port, ""), "--port=");
        String tags = "Invalid value for option '--tags': '%s' is not an integer in 0..1000000";
        assertBad(String.format(tags, "1000001"), "--tags", "1000001");
        assertBad(String.format(tags, "1.5"), "--tags", "1.5");
        String rate = "Invalid value for option '--rate': '%s' is not a number of Hz, 0 < HZ <= 1000";
        assertBad(String.format(rate, "0"), "--rate", "0");
        assertBad(String.format(rate, "-2"), "--rate", "-2");
        assertBad(String.format(rate, "NaN"), "--rate", "NaN");
        assertBad(String.format(rate, "1001"), "--rate", "1001");
        assertBad(String.format(rate, "fast"), "--rate", "fast");
        assertBad("Invalid value for option '--security': expected one of [none, all] (case-insensitive) but was"
            + " 'some'", "--security", "some");
        assertBad("Invalid value for option '--bind': '' is not a host name or IP address", "--bind=");
        assertBad("Invalid value for option '--pki': '' is not a path", "--pki=");
        assertBad("Invalid value for option '--stats': ' ' is not a path", "--stats", " ");
        assertBad("Invalid value for option '--stats': 'a\0b' is not a path", "--stats", "a\0b");
        assertBad("Invalid value for option '--log-level': expected one of [error, warn, info, debug, trace]"
            + " (case-insensitive) but was 'loud'", "--log-level", "loud");
    }

    @Test
    void badCommandLines() {
        assertBad("Unknown options: '--path', '/plant'", "--path", "/plant");
        assertBad("Unknown option: '--tag=5'", "--tag=5");
        assertBad("Unmatched argument at index 0: '5'", "5");
        assertBad("Missing required parameter for option '--port' (N)", "--tags", "5", "--port");
        assertBad("option '--tags' (N) should be specified only once", "--tags", "5", "--tags=6");
    }

    @Test
    void aBadValuePrintsTheMessageAndTheUsageOnStderrAndExitsTwo() {
        Run run = execute("--rate", "fast");
        assertEquals(2, run.status);
        assertEquals("", run.out);
        assertTrue(run.err.startsWith("Invalid value for option '--rate': 'fast' is not a number of Hz, 0 < HZ <= 1000"
            + System.lineSeparator() + "Usage: java -jar simulator/target/simulator-<version>-app.jar [OPTIONS]"),
            run.err);
        assertTrue(run.err.contains("--rate=HZ"), run.err);
    }

    @Test
    void aMistypedOptionGetsASuggestion() {
        Run run = execute("--tag=5");
        assertEquals(2, run.status);
        assertTrue(run.err.startsWith("Unknown option: '--tag=5'" + System.lineSeparator() + "Possible solutions: --tags"),
            run.err);
    }

    @Test
    void rateIsPrintedWithoutTrailingZeros() {
        assertEquals("1", Main.formatRate(1.0));
        assertEquals("2.5", Main.formatRate(2.5));
        assertEquals("0.1", Main.formatRate(0.1));
        assertEquals("1000", Main.formatRate(1000));
    }

    /** Parses as main does. */
    private static Options parse(String... args) {
        Main main = new Main();
        Main.commandLine(main).parseArgs(args);
        return main.options;
    }

    private static void assertBad(String message, String... args) {
        assertEquals(message, assertThrows(ParameterException.class, () -> parse(args)).getMessage());
    }

    /** As main, without System.exit (and no start: help or a bad option). */
    private static Run execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private record Run(int status, String out, String err) {
    }
}
