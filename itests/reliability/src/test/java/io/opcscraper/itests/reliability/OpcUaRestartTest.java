package io.opcscraper.itests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.opcscraper.itests.support.ChildProcess;
import io.opcscraper.itests.support.Gateway;
import io.opcscraper.itests.support.Ports;

/**
 * Fault 2: the OPC UA server (the plant simulator program) killed with SIGKILL and started again
 * 30 s later on the same port. Collection resumes within 20 s of the server being back (a status
 * line with read > 0 and rows with source timestamps after it), discovery runs again (a new
 * {@code catalog N has ...} line), and the gateway log shows the state changes, not a storm of
 * warnings and stack traces. Then an orderly stop: rows == the writer's marker, none duplicated.
 */
class OpcUaRestartTest {

    private static final int TAGS = 500;
    private static final int ADDED_TAGS = 40;
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration RESUME_WITHIN = Duration.ofSeconds(20);
    private static final int MAX_WARNINGS = 10;
    private static final int MAX_STACK_TRACES = 3;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void collectionResumesAfterTheServerRestartsWithoutALogStorm() throws Exception {
        String table = UaPipeline.unique("uarestart");
        Path work = UaPipeline.work(table);
        int port = Ports.free();
        String writerId = null;
        ChildProcess sim = UaPipeline.simulator(work, port, TAGS, 1, 1);
        try {
            Path config = UaPipeline.config(work, UaPipeline.endpoint(sim), table, 1000);
            try (Gateway gateway = Gateway.start(UaPipeline.REPO, work, config, UaPipeline.env())) {
                ChildProcess out = gateway.process();
                gateway.awaitReady(Duration.ofSeconds(90));
                Awaitility.await("collecting before the outage").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200)).failFast(() -> !out.isAlive())
                        .until(() -> UaPipeline.lastCatalog(out) >= 1 && readingNow(out, 0));
                Awaitility.await("rows before the outage").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(500)).until(() -> UaPipeline.rows(table) > 0);
                writerId = UaPipeline.writerId(work);
                int catalogBefore = UaPipeline.lastCatalog(out);
                Path log = Gateway.log(work);
                int logFrom = lines(log).size();

                sim.kill();
                Instant killed = Instant.now();
                int outFrom = out.lines().size();
                // The outage: the gateway must stay up and stop reading; 30 s by the clock.
                Awaitility.await("the 30 s outage").atMost(OUTAGE.plusSeconds(10)).pollInterval(Duration.ofMillis(200))
                        .failFast("the gateway exited during the outage", () -> !out.isAlive())
                        .until(() -> Duration.between(killed, Instant.now()).compareTo(OUTAGE) >= 0);
                assertTrue(out.linesFrom(outFrom).stream().map(Gateway.STATUS::matcher)
                        .anyMatch(m -> m.matches() && Long.parseLong(m.group(2)) == 0),
                        "a status line with read=0/s during the outage:\n" + String.join("\n", out.linesFrom(outFrom)));
                assertTrue(out.linesFrom(outFrom).stream().map(Gateway.STATUS::matcher)
                        .anyMatch(m -> m.matches() && m.group(Gateway.STATUS_LAST_ERROR).contains("session to ")
                                && m.group(Gateway.STATUS_LAST_ERROR).contains("lost")),
                        "a status line naming the lost session during the outage:\n"
                                + String.join("\n", out.linesFrom(outFrom)));

                // 40 more tags after the restart: the catalog line after the re-browse says +40.
                sim = UaPipeline.simulator(work, port, TAGS + ADDED_TAGS, 1, 2);
                Instant back = Instant.now();
                int outBack = out.lines().size();
                AtomicReference<Instant> resumed = new AtomicReference<>();
                Awaitility.await("reading again within 20 s of the server being back").atMost(RESUME_WITHIN)
                        .pollInterval(Duration.ofMillis(100)).failFast(() -> !out.isAlive())
                        .until(() -> {
                            if (resumed.get() == null && readingNow(out, outBack)) {
                                resumed.set(Instant.now());
                            }
                            return resumed.get() != null;
                        });
                long resumedSeconds = Duration.between(back, resumed.get()).toMillis() / 1000;
                Awaitility.await("rows with source timestamps after the server was back")
                        .atMost(RESUME_WITHIN.minus(Duration.between(back, Instant.now())).plusSeconds(3))
                        .pollInterval(Duration.ofMillis(250)).until(() -> UaPipeline.rowsAfter(table, back) > 0);
                Awaitility.await("a new catalog after the restart").atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> UaPipeline.lastCatalog(out) > catalogBefore);
                assertTrue(out.has("variables (+" + ADDED_TAGS + " -0)"), "the new catalog has the added tags:\n"
                        + String.join("\n", out.linesFrom(outBack)));

                List<String> outage = lines(log);
                outage = outage.subList(Math.min(logFrom, outage.size()), outage.size());
                long warnings = outage.stream().filter(l -> l.matches("^\\S+ (WARN|ERROR) .*")).count();
                long traces = stackTraces(outage);
                String outageLog = String.join("\n", outage);
                assertTrue(outageLog.contains("opcua-connection: session to ") || outageLog.contains("cannot connect to"),
                        "the log names the lost connection:\n" + outageLog);
                assertTrue(outageLog.contains("opcua-connection: connected to"),
                        "the log shows the connection back:\n" + outageLog);
                // After 30 s Milo's own attempts are 16 s apart: the port probe reconnects sooner.
                assertTrue(outageLog.contains("accepts connections again; connecting now"),
                        "the connection noticed the server back by its TCP probe:\n" + outageLog);
                assertTrue(warnings <= MAX_WARNINGS, warnings + " WARN/ERROR lines during the outage:\n"
                        + warnLines(outage));
                assertTrue(traces <= MAX_STACK_TRACES, traces + " stack traces during the outage:\n" + outageLog);
                System.out.println("RESULT opcua restart: resumed " + resumedSeconds
                        + " s after the server was back; " + warnings + " warnings, " + traces
                        + " stack traces during the outage");

                out.terminate();
                assertEquals(0, out.exitCode(Duration.ofSeconds(60)), out.output());
                Matcher summary = gateway.summary().orElseThrow(() -> new AssertionError(out.output()));
                assertEquals("0", summary.group(3), "the spool drained: " + summary.group());
            }
            long marker = UaPipeline.marker(writerId);
            assertEquals(marker, UaPipeline.rows(table), "rows == the writer's marker");
            assertEquals(0, UaPipeline.duplicates(table), "rows beyond one per (nodeid, timestamp)");
        } finally {
            sim.close();
            UaPipeline.drop(table, writerId);
        }
    }

    /** A status line from output index {@code from} on says samples are read. */
    private static boolean readingNow(ChildProcess out, int from) {
        return out.linesFrom(from).stream().map(Gateway.STATUS::matcher)
                .anyMatch(m -> m.matches() && Long.parseLong(m.group(2)) > 0);
    }

    private static List<String> lines(Path log) throws java.io.IOException {
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    }

    /** Stack traces: runs of lines starting with a tab ("\tat ...", "\t... N more") count as one each. */
    static long stackTraces(List<String> lines) {
        long traces = 0;
        boolean inTrace = false;
        for (String line : lines) {
            boolean frame = line.startsWith("\tat ");
            boolean continuation = line.startsWith("\t") || line.startsWith("Caused by: ");
            if (frame && !inTrace) {
                traces++;
            }
            inTrace = frame || (inTrace && continuation);
        }
        return traces;
    }

    private static String warnLines(List<String> lines) {
        return lines.stream().filter(l -> l.matches("^\\S+ (WARN|ERROR) .*")).collect(Collectors.joining("\n"));
    }
}
