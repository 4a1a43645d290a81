package io.opcscraper.opcua.internal;

import static io.opcscraper.testing.fuzz.ConfigFuzz.confinePaths;
import static io.opcscraper.testing.fuzz.ConfigFuzz.fuzz;
import static io.opcscraper.testing.fuzz.ConfigFuzz.seed;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opcscraper.config.InvalidConfigurationException;
import io.opcscraper.config.LiveConfiguration;
import io.opcscraper.opcua.internal.connection.ConnectionComponent;
import io.opcscraper.opcua.internal.connection.ConnectionOptions;
import io.opcscraper.opcua.internal.discovery.DiscoveryComponent;
import io.opcscraper.opcua.internal.discovery.DiscoveryOptions;
import io.opcscraper.opcua.internal.poller.PollerComponent;
import io.opcscraper.opcua.internal.poller.PollerOptions;
import io.opcscraper.opcua.testing.CollectingSink;
import io.opcscraper.opcua.testing.Components;
import io.opcscraper.opcua.testing.PlainCrypto;
import io.opcscraper.testing.kura.TestSystem;
import io.opcscraper.simulator.PlantServer;
import io.opcscraper.testing.fuzz.ConfigFuzzer;

/**
 * A seeded fuzzer over every property of the Connection, Discovery and Poller PIDs (issue 6,
 * "Bad input"): random text, huge and negative numbers, empty values, unicode, SQL and
 * LDAP-filter injection, wrong Java types and arrays. The options parsers and
 * {@link LiveConfiguration} never throw anything but {@link InvalidConfigurationException};
 * every refusal names the property and (unless it is a password) the value; no password ever
 * appears in a message or in the logged options. Reproduce a run with {@code -Dfuzz.seed=N}
 * (the seed is printed), and the number of cases with {@code -Dfuzz.cases=N}. The generator and
 * the checks are {@link ConfigFuzzer} and {@code ConfigFuzz} (module {@code testing/config-fuzz}),
 * shared with the timescale bundle's {@code ConfigFuzzTest}.
 */
class ConfigFuzzTest {

    @TempDir
    Path pki;

    @Test
    void connectionOptions() {
        fuzz(ConnectionOptions.PID, ConnectionOptions.PROPERTIES, ConnectionOptions::parse, Map.of(
                "kura.service.pid", "fuzz-connection", "endpoint.url", "opc.tcp://127.0.0.1:4840"));
    }

    @Test
    void discoveryOptions() {
        fuzz(DiscoveryOptions.PID, DiscoveryOptions.PROPERTIES, DiscoveryOptions::parse,
                Map.of("kura.service.pid", "fuzz-discovery"));
    }

    @Test
    void pollerOptions() {
        fuzz(PollerOptions.PID, PollerOptions.PROPERTIES, PollerOptions::parse,
                Map.of("kura.service.pid", "fuzz-poller"));
    }

    /**
     * Fuzzed instances of all three components are constructed, reconfigured and deactivated
     * next to a valid pipeline on the simulator; the valid one stays connected, keeps its catalog
     * and keeps delivering samples.
     */
    @Test
    void fuzzedInstancesLeaveAValidPipelineUnaffected() throws Exception {
        long seed = seed("component");
        Random random = new Random(seed);
        try (PlantServer server = PlantServer.builder().tags(20).securityPolicies("None").start()) {
            ConnectionComponent connection = new ConnectionComponent(new PlainCrypto(), TestSystem.unknown(),
                    Components.connection("valid", server.endpointUrl(), this.pki.resolve("valid")));
            Map<String, Object> discoveryProperties = Components.discovery("valid-discovery");
            discoveryProperties.put("include.patterns", "Plant/**");
            DiscoveryComponent discovery = new DiscoveryComponent(connection, discoveryProperties);
            CollectingSink sink = new CollectingSink();
            PollerComponent poller = new PollerComponent(discovery, sink, Components.poller("valid-poller", "poll", 200));
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> connection.isConnected()
                        && discovery.generation() >= 1 && !sink.samples().isEmpty());
                int nodes = discovery.nodes().size();
                ConfigFuzzer fuzzer = new ConfigFuzzer(random);
                for (int i = 0; i < 40; i++) {
                    Map<String, Object> c = fuzzer.mutate(ConnectionOptions.PROPERTIES,
                            Components.connection("fuzz-" + i, server.endpointUrl(), this.pki.resolve("f" + i)));
                    confinePaths(c, this.pki.resolve("f" + i), "pki.dir", "identity.keystore");
                    ConnectionComponent fuzzedConnection = new ConnectionComponent(new PlainCrypto(), TestSystem.unknown(), c);
                    DiscoveryComponent fuzzedDiscovery = new DiscoveryComponent(fuzzedConnection,
                            fuzzer.mutate(DiscoveryOptions.PROPERTIES, Components.discovery("fuzz-d" + i)));
                    // A fuzzed poller on the VALID discovery and sink: it must not disturb them.
                    PollerComponent fuzzedPoller = new PollerComponent(discovery, new CollectingSink(),
                            fuzzer.mutate(PollerOptions.PROPERTIES, Components.poller("fuzz-p" + i, "poll", 1000)));
                    fuzzedPoller.modified(fuzzer.mutate(PollerOptions.PROPERTIES, Components.poller("fuzz-p" + i, "poll", 1000)));
                    fuzzedDiscovery.modified(fuzzer.mutate(DiscoveryOptions.PROPERTIES, Components.discovery("fuzz-d" + i)));
                    fuzzedPoller.status();
                    fuzzedDiscovery.status();
                    fuzzedConnection.status();
                    fuzzedPoller.deactivate();
                    fuzzedDiscovery.deactivate();
                    fuzzedConnection.deactivate();
                }
                assertTrue(connection.isConnected(), "the valid connection stays connected");
                assertEquals(nodes, discovery.nodes().size(), "the valid catalog is unchanged");
                sink.clear();
                await().atMost(Duration.ofSeconds(20)).until(() -> !sink.samples().isEmpty());
                assertEquals("valid", connection.clientId());
            } finally {
                poller.deactivate();
                discovery.deactivate();
                connection.deactivate();
            }
        }
    }
}
