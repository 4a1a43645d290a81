package io.opcscraper.opcua.internal.poller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opcscraper.api.NodeTime;
import io.opcscraper.api.Sample;
import io.opcscraper.api.SampleSink;
import io.opcscraper.api.SinkUnavailableException;
import io.opcscraper.opcua.internal.connection.ConnectionComponent;
import io.opcscraper.opcua.internal.discovery.DiscoveryComponent;
import io.opcscraper.opcua.testing.CollectingSink;
import io.opcscraper.opcua.testing.Components;
import io.opcscraper.opcua.testing.PlainCrypto;
import io.opcscraper.simulator.PlantServer;
import io.opcscraper.testing.kura.TestSystem;

/**
 * A subscription that stops (a reconfiguration, an upgrade, the bundle stopping) hands over what
 * the server had sent since its last tick, after the tick that runs has ended: nothing that
 * arrived before the stop is left behind.
 */
class SubscriptionStopTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path pki;

    /** A sink whose first delivery waits until the test lets it go; the rest it keeps. */
    private static final class HeldSink implements SampleSink {
        final CollectingSink kept = new CollectingSink();
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void accept(List<Sample> batch) throws SinkUnavailableException {
            if (this.held.getCount() > 0) {
                this.held.countDown();
                try {
                    if (!this.release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                        throw new SinkUnavailableException("never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SinkUnavailableException("interrupted while held");
                }
            }
            this.kept.accept(batch);
        }

        @Override
        public Map<String, Instant> lastStored(String clientId, List<NodeTime> nodes) {
            return Map.of();
        }
    }

    @Test
    void whatArrivedSinceTheLastTickReachesTheSinkWhenItStops() throws Exception {
        try (PlantServer server = PlantServer.builder().tags(200).changeRateHz(10).securityPolicies("None").start()) {
            ConnectionComponent connection = new ConnectionComponent(new PlainCrypto(), TestSystem.unknown(),
                    Components.connection("stop", server.endpointUrl(), this.pki));
            Map<String, Object> discoveryProperties = Components.discovery("stop-discovery");
            discoveryProperties.put("include.patterns", "Plant/Line*/**");
            DiscoveryComponent discovery = new DiscoveryComponent(connection, discoveryProperties);
            HeldSink sink = new HeldSink();
            SubscriptionSampler sampler = new SubscriptionSampler(connection, discovery, sink,
                    PollerOptions.parse(Components.poller("stop-poller", "subscribe", 100)));
            try {
                await().atMost(TIMEOUT).until(() -> discovery.generation() >= 1);
                sampler.start();
                assertTrue(sink.held.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "a first delivery");
                // The tick is held in the sink; values keep arriving behind it.
                await().atMost(TIMEOUT).until(() -> sampler.arrivedNow().size() >= 10);
                List<Sample> arrived = sampler.arrivedNow();
                CompletableFuture<Void> stopping = CompletableFuture.runAsync(sampler::close);
                sink.release.countDown();
                stopping.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

                List<Sample> stored = sink.kept.samples();
                List<Sample> missing = arrived.stream().filter(s -> !stored.contains(s)).toList();
                assertEquals(0, missing.size(), () -> missing.size() + " of the " + arrived.size()
                        + " values that had arrived when the stop began did not reach the sink, first " + missing.get(0));
                assertEquals(0, sampler.pending().size(), "nothing waits in memory");
                assertFalse(stored.isEmpty());
            } finally {
                sampler.close();
                discovery.deactivate();
                connection.deactivate();
            }
        }
    }
}
