package io.opcscraper.opcua.internal.poller;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.kura.configuration.ConfigurableComponent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.api.ComponentStatus;
import io.opcscraper.api.SampleSink;
import io.opcscraper.api.StatusSource;
import io.opcscraper.config.ComponentLifecycle;
import io.opcscraper.config.LiveConfiguration;
import io.opcscraper.opcua.internal.connection.UaConnection;
import io.opcscraper.opcua.internal.discovery.UaCatalog;
import io.opcscraper.opcua.internal.history.Backfill;

/**
 * {@code io.opcscraper.opcua.Poller}: reads the nodes of one catalog ({@code discovery.target}),
 * by polling or by subscription ({@code mode}), and hands the samples to one sink
 * ({@code writer.target}), through the connection the catalog was browsed through; gaps in the
 * collection are filled from the server's history ({@code history.backfill.max.s}, {@link Backfill}).
 */
@Component(name = PollerOptions.PID, configurationPid = PollerOptions.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = { ConfigurableComponent.class, StatusSource.class })
public final class PollerComponent implements ConfigurableComponent, StatusSource {

    private static final Logger LOG = LoggerFactory.getLogger(PollerComponent.class);

    private final LiveConfiguration<PollerOptions> configuration = new LiveConfiguration<>(PollerOptions::parse, LOG);
    private final ComponentLifecycle<PollerOptions> lifecycle = new ComponentLifecycle<>(this.configuration,
            this::start, this::stop);
    private final UaCatalog catalog;
    private final SampleSink sink;
    private final String instance;
    private final PollerState state;
    private volatile AutoCloseable sampler;
    private Backfill backfill;

    @Activate
    public PollerComponent(@Reference(name = "discovery") UaCatalog catalog, @Reference(name = "writer") SampleSink sink,
            Map<String, Object> properties) {
        this.catalog = catalog;
        this.sink = sink;
        Object name = properties.get("kura.service.pid");
        this.instance = name instanceof String ? (String) name : PollerOptions.PID;
        this.state = new PollerState(catalog.clientId());
        this.lifecycle.configure(properties);
    }

    @Modified
    public void modified(Map<String, Object> properties) {
        this.lifecycle.configure(properties);
    }

    @Deactivate
    public void deactivate() {
        this.lifecycle.deactivate();
        // The writer is still bound while this instance deactivates: hand it what waits in memory.
        this.state.pending().deliver(this.sink, List.of());
        int left = this.state.pending().size();
        if (left > 0) {
            LOG.warn("{}: stopped with {} samples the writer did not take; they are lost", this.instance, left);
        }
    }

    @Override
    public ComponentStatus status() {
        boolean running = this.sampler != null; // volatile: status() never waits for a stop
        PendingSamples pending = this.state.pending();
        return new ComponentStatus(this.instance, PollerOptions.PID,
                running ? "running" : "idle",
                Map.of(ComponentStatus.SAMPLES_READ, this.state.read(),
                        ComponentStatus.SAMPLES_PENDING, (long) pending.size(),
                        ComponentStatus.SAMPLES_DROPPED, pending.dropped(),
                        ComponentStatus.SAMPLES_BACKFILLED, this.state.backfill().backfilled(),
                        ComponentStatus.VALUES_UNDECODED, this.state.undecoded().sum()),
                running ? Optional.ofNullable(this.state.lastError()).or(this.configuration::problem).orElse(null)
                        : this.configuration.problem().orElse("not configured"));
    }

    private synchronized void start(PollerOptions options) {
        UaConnection connection = this.catalog.connection();
        if (options.backfills()) {
            // A new sampler may miss what the old one would have read: every node's gap opens.
            this.state.gaps().openAll();
            this.backfill = new Backfill(connection, this.sink, this.state.gaps(),
                    new Backfill.Settings(options.historyBackfillMaxS(), options.historyValuesPerRequest(),
                            options.historyRequestsInFlight()),
                    new HistoryValues(connection.clientId(), TimestampPolicy.of(options.timestampSource())),
                    this.state.backfill());
            this.backfill.start();
        } else if (options.historyBackfillMaxS() > 0) {
            LOG.info("{}: no history backfill: with timestamp.source = gateway a value from the history has no"
                    + " time of its own", this.instance);
        }
        if ("subscribe".equals(options.mode())) {
            SubscriptionSampler subscribe = new SubscriptionSampler(connection, this.catalog, this.sink, options,
                    this.state);
            subscribe.start();
            this.sampler = subscribe;
        } else {
            PollLoop poll = new PollLoop(connection, this.catalog, this.sink, options, this.state);
            poll.start();
            this.sampler = poll;
        }
    }

    private synchronized void stop() {
        if (this.backfill != null) {
            this.backfill.close();
            this.backfill = null;
        }
        if (this.sampler != null) {
            try {
                this.sampler.close();
            } catch (Exception e) {
                LOG.warn("stopping the sampler: {}", e.toString());
            }
            this.sampler = null;
        }
    }
}
