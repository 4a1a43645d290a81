package io.opcscraper.opcua.testing;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.opcscraper.api.SampleSink;
import io.opcscraper.opcua.internal.connection.ConnectionComponent;
import io.opcscraper.testing.kura.TestSystem;
import io.opcscraper.opcua.internal.discovery.DiscoveryComponent;
import io.opcscraper.opcua.internal.poller.PollerComponent;

/** The three components of one test, started in order and stopped in reverse by {@link #close}. */
public final class UaComponents implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ConnectionComponent connection;
    private DiscoveryComponent discovery;
    private PollerComponent poller;

    /** Connects to {@code endpointUrl} and waits for the first catalog. */
    public DiscoveryComponent discover(String name, String endpointUrl, Path pki, Map<String, Object> discoveryProperties) {
        this.connection = new ConnectionComponent(new PlainCrypto(), TestSystem.unknown(),
                Components.connection(name, endpointUrl, pki));
        this.discovery = new DiscoveryComponent(this.connection, discoveryProperties);
        await().atMost(TIMEOUT).until(() -> this.discovery.generation() >= 1);
        return this.discovery;
    }

    public PollerComponent poll(SampleSink sink, Map<String, Object> pollerProperties) {
        this.poller = new PollerComponent(this.discovery, sink, pollerProperties);
        return this.poller;
    }

    public ConnectionComponent connection() {
        return this.connection;
    }

    public DiscoveryComponent discovery() {
        return this.discovery;
    }

    public PollerComponent poller() {
        return this.poller;
    }

    @Override
    public void close() {
        if (this.poller != null) {
            this.poller.deactivate();
            this.poller = null;
        }
        if (this.discovery != null) {
            this.discovery.deactivate();
            this.discovery = null;
        }
        if (this.connection != null) {
            this.connection.deactivate();
            this.connection = null;
        }
    }
}
