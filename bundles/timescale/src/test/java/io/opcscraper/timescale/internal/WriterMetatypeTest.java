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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /**
     * Names the writer itself uses in the table's schema: its shared tables (in any case) and the
     * aggregates and indexes it derives from another table's name. Refused when configured, naming
     * the property and the value, not later in the writer loop.
     */
    @ParameterizedTest
    @ValueSource(strings = { "nodes", "opcscraper_progress", "opcscraper_progress_ranges", "NODES",
            "Opcscraper_Progress", "OPCSCRAPER_PROGRESS_RANGES", " nodes ", "rolling_avg_sensor_data1m",
            "rolling_avg_sensor_data_5s", "rolling_count_sensor_data_5s", "sensor_data_timestamp_idx",
            "sensor_data_nodeid_timestamp_idx" })
    void reservedTableNamesAreRefusedByName(String name) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> WriterOptions.parse(Map.of("table.name", name)));
        assertTrue(e.getMessage().contains("'table.name' = '" + name + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());
        assertEquals(List.of("table.name"), e.problems().stream().map(p -> p.property()).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = { "sensor_data", "nodes2", "my_nodes", "opcscraper_progress_2", "rolling_avg_1m",
            "plant_timestamps", "timestamp_idx" })
    void namesThatOnlyResembleReservedOnesAreAccepted(String name) throws InvalidConfigurationException {
        assertEquals(name, WriterOptions.parse(Map.of("table.name", name)).tableName());
    }

    @Test
    void verifyModesNeedARootCertificate() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> WriterOptions.parse(Map.of("ssl.mode", "verify-full")));
        assertTrue(e.getMessage().contains("'ssl.root.cert' is required when ssl.mode is verify-full"), e.getMessage());
    }
}
