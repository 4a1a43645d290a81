package io.opcscraper.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.opcscraper.api.ComponentStatus;

class ConfigurationVerdictsTest {

    private static ComponentStatus status(String lastError) {
        return new ComponentStatus("timescale-writer", "io.opcscraper.timescale.Writer", "idle", Map.of(), lastError);
    }

    @Test
    void aRefusedConfigurationIsTheComponentsOwnMessage() {
        String message = "Invalid configuration of io.opcscraper.timescale.Writer 'timescale-writer': "
                + "'table.name' = 'nodes': is reserved";
        assertEquals(message, ConfigurationVerdicts.refusal(status(message)));
    }

    @Test
    void otherProblemsAndNoProblemAreNoRefusal() {
        assertNull(ConfigurationVerdicts.refusal(status(null)));
        assertNull(ConfigurationVerdicts.refusal(status("not configured")));
        assertNull(ConfigurationVerdicts.refusal(status("cannot use 'spool.dir' = '/x': Permission denied")));
    }
}
