package io.opcscraper.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
            gateway.await("status: nodes=0 read=0/s written=0/s spool=0 dropped=0 last_error=opcua-connection: ", Duration.ofSeconds(60));
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

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void anInvalidConfigurationFileIsNamedAndTheRuntimeKeepsRunning(@TempDir Path tmp) throws Exception {
        Path config = tmp.resolve("bad.json");
        Files.writeString(config, "{\"io.opcscraper.opcua.Connection~c\": {\"request.timeout.ms:Integer\": \"soon\"}}");
        ChildProcess gateway = LocalGateway.start(tmp, config);
        try {
            gateway.await("Launcher done WITH ERRORS", Duration.ofSeconds(60));
            assertTrue(gateway.has("\"io.opcscraper.opcua.Connection~c\".request.timeout.ms:Integer: \"soon\" is not a Integer"),
                    gateway.output());
            assertTrue(gateway.isAlive(), "the framework keeps running");
            gateway.terminate();
            assertEquals(0, gateway.exitCode(Duration.ofSeconds(30)), gateway.output());
        } finally {
            gateway.close();
        }
    }
}
