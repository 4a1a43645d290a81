package io.opcscraper.timescale.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.opcscraper.config.InvalidConfigurationException;
import io.opcscraper.config.metatype.MetatypeConformance;
import io.opcscraper.config.metatype.MetatypeDocument;
import io.opcscraper.config.metatype.ReadmeConformance;

/**
 * The writer's metatype (copied from metatype/ into the bundle) says the same as WriterOptions:
 * attributes, defaults, bounds, options; defaults valid; invalid values refused by name.
 */
class WriterMetatypeTest {

    @Test
    void metatypeMatchesTheOptions() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/OSGI-INF/metatype/" + WriterOptions.PID + ".xml")) {
            assertNotNull(in, "metatype is not in the bundle");
            MetatypeDocument doc = MetatypeDocument.parse(in);
            assertEquals(List.of(),
                    MetatypeConformance.check(doc, WriterOptions.PID, WriterOptions.PROPERTIES, WriterOptions::parse));
            assertEquals(List.of(), ReadmeConformance.check(Files.readString(Path.of("README.md")), doc),
                    "bundles/timescale/README.md");
        }
    }

    @Test
    void hostileTableNamesAreRefusedByName() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> WriterOptions.parse(Map.of("table.name", "x\"; DROP TABLE sensor_data; --")));
        assertTrue(e.getMessage().contains("'table.name' = 'x\"; DROP TABLE sensor_data; --'"), e.getMessage());
    }

    @Test
    void verifyModesNeedARootCertificate() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> WriterOptions.parse(Map.of("ssl.mode", "verify-full")));
        assertTrue(e.getMessage().contains("'ssl.root.cert' is required when ssl.mode is verify-full"), e.getMessage());
    }
}
