package io.opcscraper.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.opcscraper.itests.support.ChildProcess;

/**
 * Starts the exported target/kura55-local.jar as a child process with the built .dp and a
 * configuration of one Connection instance pointing at a closed port (OSGi Configurator JSON),
 * and checks what a user of the local run sees: the launcher's start lines, a status line every
 * second naming the connection problem, and the orderly stop on SIGTERM or at the end of the
 * duration: a summary line and exit code 0.
 */
class LocalRuntimeTest {

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void installsCreatesReportsStatusAndStopsInOrderOnSigterm(@TempDir Path tmp) throws Exception {
        ChildProcess gateway = LocalGateway.start(tmp, "-Dopcscraper.status.interval.s=1");
        try {
            gateway.await("Launcher ready", Duration.ofSeconds(60));
            assertTrue(gateway.has("Launcher ready: deployment package installed, 1 instance(s) created"),
                    gateway.output());
            assertTrue(gateway.has("Installed deployment package opc-scraper "), gateway.output());
            assertTrue(gateway.has("Instance created: io.opcscraper.opcua.Connection 'opcua-connection'"),
                    gateway.output());
            // The status line names the instance and the reason, the endpoint from the placeholder's value.
            gateway.await("status: nodes=0 read=0/s written=0/s spool=0 dropped=0 backfilled=0 last_error=opcua-connection: ", Duration.ofSeconds(60));
            assertTrue(gateway.has("Connection refused: /127.0.0.1:1"), gateway.output());
            gateway.terminate();
            assertEquals(0, gateway.exitCode(Duration.ofSeconds(30)), gateway.output());
            assertTrue(gateway.has("stopping (SIGTERM)"), gateway.output());
            assertTrue(gateway.has("summary: read=0 written=0 spooled=0 dropped=0"), gateway.output());
        } finally {
            gateway.close();
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void stopsByItselfAtTheEndOfTheDuration(@TempDir Path tmp) throws Exception {
        ChildProcess gateway = LocalGateway.start(tmp, "-Dopcscraper.duration.s=2");
        try {
            assertEquals(0, gateway.exitCode(Duration.ofSeconds(60)), gateway.output());
            assertTrue(gateway.has("stopping (opcscraper.duration.s=2 s elapsed)"), gateway.output());
            assertTrue(gateway.has("summary: read=0"), gateway.output());
        } finally {
            gateway.close();
        }
    }

    /**
     * A configuration that cannot be applied is named, and the runtime keeps running (SIGTERM still
     * stops it in order with exit code 0): a value the file cannot convert (the launcher's own
     * check of the file format), and a value the component refuses (the component decides what it
     * accepts; its own message names the property and the value).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configurationsWithErrors")
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aConfigurationWithErrorsIsNamedAndTheRuntimeKeepsRunning(String what, String json, List<String> errors,
            @TempDir Path tmp) throws Exception {
        Path config = tmp.resolve("errors.json");
        Files.writeString(config, json);
        ChildProcess gateway = LocalGateway.start(tmp, config);
        try {
            gateway.await("Launcher done WITH ERRORS", Duration.ofSeconds(60));
            for (String error : errors) {
                assertTrue(gateway.has(error), gateway.output());
            }
            assertTrue(gateway.isAlive(), "the framework keeps running");
            gateway.terminate();
            assertEquals(0, gateway.exitCode(Duration.ofSeconds(30)), gateway.output());
        } finally {
            gateway.close();
        }
    }

    static Stream<Arguments> configurationsWithErrors() {
        return Stream.of(
                Arguments.of("a value the file format cannot convert",
                        "{\"io.opcscraper.opcua.Connection~c\": {\"request.timeout.ms:Integer\": \"soon\"}}",
                        List.of("\"io.opcscraper.opcua.Connection~c\".request.timeout.ms:Integer: \"soon\" is not a Integer")),
                Arguments.of("a value the component refuses", REFUSED_CONNECTION,
                        List.of(REFUSAL, "1 of 1 instance(s) created, 1 refused by their component",
                                "the framework keeps running")));
    }

    /** With opcscraper.config.strict=true (./run) the same refusal stops the runtime in order, exit code 2. */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aRefusedConfigurationStopsAStrictRuntimeWithExitCode2(@TempDir Path tmp) throws Exception {
        Path config = tmp.resolve("refused.json");
        Files.writeString(config, REFUSED_CONNECTION);
        ChildProcess gateway = LocalGateway.start(tmp, config, "-Dopcscraper.config.strict=true");
        try {
            assertEquals(2, gateway.exitCode(Duration.ofSeconds(60)), gateway.output());
            assertTrue(gateway.has(REFUSAL), gateway.output());
            assertTrue(gateway.has("stopping with exit code 2 (opcscraper.config.strict=true)"), gateway.output());
            assertTrue(gateway.has("stopping (the configuration was refused)"), gateway.output());
            assertTrue(gateway.has("summary: read=0 written=0 spooled=0 dropped=0"), gateway.output());
        } finally {
            gateway.close();
        }
    }

    private static final String REFUSAL = "\"io.opcscraper.opcua.Connection~opcua-connection\": refused by its component: "
            + "Invalid configuration of io.opcscraper.opcua.Connection 'opcua-connection': "
            + "'request.timeout.ms' = '5': must be at least 100";

    /** A Connection whose request.timeout.ms is below the component's minimum: well-formed JSON, a refused value. */
    private static final String REFUSED_CONNECTION = "{\"io.opcscraper.opcua.Connection~opcua-connection\": {"
            + "\"endpoint.url\": \"$[env:TEST_URL]\", \"request.timeout.ms:Integer\": 5}}";
}
