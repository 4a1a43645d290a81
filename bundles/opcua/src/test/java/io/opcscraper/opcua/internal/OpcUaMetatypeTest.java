package io.opcscraper.opcua.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.opcscraper.config.Property;
import io.opcscraper.config.metatype.MetatypeConformance;
import io.opcscraper.config.metatype.MetatypeDocument;
import io.opcscraper.config.metatype.ReadmeConformance;
import io.opcscraper.opcua.internal.connection.ConnectionOptions;
import io.opcscraper.opcua.internal.discovery.DiscoveryOptions;
import io.opcscraper.opcua.internal.poller.PollerOptions;

/**
 * The metatype each OPC UA component ships (copied from metatype/ into the bundle) parses, uses
 * only types the Kura console accepts, and says the same as the component's options: the same
 * attributes, defaults, bounds and options; every default valid; every invalid value refused
 * with an error naming the property; and the bundle README's table says the same.
 */
class OpcUaMetatypeTest {

    static Stream<Arguments> components() {
        return Stream.of(
                Arguments.of(ConnectionOptions.PID, ConnectionOptions.PROPERTIES,
                        (MetatypeConformance.OptionsParser) ConnectionOptions::parse),
                Arguments.of(DiscoveryOptions.PID, DiscoveryOptions.PROPERTIES,
                        (MetatypeConformance.OptionsParser) DiscoveryOptions::parse),
                Arguments.of(PollerOptions.PID, PollerOptions.PROPERTIES,
                        (MetatypeConformance.OptionsParser) PollerOptions::parse));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("components")
    void metatypeMatchesTheOptions(String pid, List<Property<?>> properties, MetatypeConformance.OptionsParser parser)
            throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/OSGI-INF/metatype/" + pid + ".xml")) {
            assertNotNull(in, "metatype of " + pid + " is not in the bundle");
            MetatypeDocument doc = MetatypeDocument.parse(in);
            assertEquals(List.of(), MetatypeConformance.check(doc, pid, properties, parser));
            assertEquals(List.of(), ReadmeConformance.check(Files.readString(Path.of("README.md")), doc),
                    "bundles/opcua/README.md");
        }
    }
}
