package io.opcscraper.opcua.internal.poller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opcscraper.opcua.internal.connection.ConnectionComponent;
import io.opcscraper.opcua.internal.discovery.DiscoveryComponent;
import io.opcscraper.opcua.testing.CollectingSink;
import io.opcscraper.opcua.testing.Components;
import io.opcscraper.opcua.testing.PlainCrypto;
import io.opcscraper.testing.kura.TestSystem;
import io.opcscraper.simulator.PlantServer;

/** A poll that cannot finish within its interval skips the missed ticks instead of queueing them. */
class PollOverrunTest {

    @TempDir
    Path pki;

    @Test
    void overrunningPollsAreSkippedAndNothingQueues() throws Exception {
        try (PlantServer server = PlantServer.builder().tags(3000).maxNodesPerRead(50).securityPolicies("None")
                .start()) {
            ConnectionComponent connection = new ConnectionComponent(new PlainCrypto(), TestSystem.unknown(),
                    Components.connection("overrun", server.endpointUrl(), this.pki));
            Map<String, Object> discoveryProperties = Components.discovery("overrun-discovery");
            discoveryProperties.put("include.patterns", "Plant/Line*/**");
            DiscoveryComponent discovery = new DiscoveryComponent(connection, discoveryProperties);
            Map<String, Object> options = Components.poller("overrun-poller", "poll", 10);
            options.put("reads.in.flight", 1);
            CollectingSink sink = new CollectingSink();
            PollLoop loop = new PollLoop(connection, discovery, sink, PollerOptions.parse(options));
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> discovery.generation() >= 1);
                loop.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> loop.skippedTicks() > 10 && loop.samplesRead() > 0);
                assertTrue(loop.pending().size() == 0, "the sink took everything; nothing waits");
                long cycles = loop.samplesRead() / 3000;
                assertTrue(cycles < loop.skippedTicks(), "most ticks were skipped, not run late: " + cycles
                        + " cycles, " + loop.skippedTicks() + " skipped");
            } finally {
                loop.close();
                discovery.deactivate();
                connection.deactivate();
            }
        }
    }
}
