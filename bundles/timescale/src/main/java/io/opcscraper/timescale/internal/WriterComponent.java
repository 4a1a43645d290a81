package io.opcscraper.timescale.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.kura.configuration.ConfigurableComponent;
import org.eclipse.kura.crypto.CryptoService;
import org.eclipse.kura.system.SystemService;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.api.CatalogNode;
import io.opcscraper.api.ComponentStatus;
import io.opcscraper.api.NodeTime;
import io.opcscraper.api.Sample;
import io.opcscraper.api.SampleSink;
import io.opcscraper.api.SinkUnavailableException;
import io.opcscraper.api.StatusSource;
import io.opcscraper.config.ComponentLifecycle;
import io.opcscraper.config.LiveConfiguration;
import io.opcscraper.config.kura.CryptoSecretDecoder;
import io.opcscraper.config.kura.GatewayIdentity;
import io.opcscraper.timescale.internal.ingest.Ingest;
import io.opcscraper.timescale.internal.status.StatusIdentity;

/**
 * {@code io.opcscraper.timescale.Writer}: takes samples into a durable spool and writes them to
 * one TimescaleDB (or PostgreSQL) table with binary COPY, exactly once, and keeps its row of
 * {@code opcscraper_status} (which gateway, its figures, its last error).
 */
@Component(name = WriterOptions.PID, configurationPid = WriterOptions.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = { ConfigurableComponent.class, SampleSink.class, StatusSource.class })
public final class WriterComponent implements ConfigurableComponent, SampleSink, StatusSource {

    private static final Logger LOG = LoggerFactory.getLogger(WriterComponent.class);
    /** How long {@link #lastStored} waits for the spool to drain up to what it holds when asked. */
    private static final long LAST_STORED_WAIT_MS = 10_000;

    private final LiveConfiguration<WriterOptions> configuration = new LiveConfiguration<>(WriterOptions::parse, LOG);
    private final ComponentLifecycle<WriterOptions> lifecycle = new ComponentLifecycle<>(this.configuration,
            this::start, this::stop);
    private final CryptoService crypto;
    private final StatusIdentity.Host host;
    private final String instance;
    private volatile Ingest ingest;
    /** Counters of the ingests that a configuration change replaced: status counters only grow. */
    private final long[] before = new long[4];
    private final Object counters = new Object();
    private volatile String startProblem;
    /** Samples left in the spool when the last ingest closed: what an idle or stopped writer still owes. */
    private volatile long spooledAtStop;

    /**
     * @param system Kura's SystemService, asked once for the gateway's name and Kura's version (the
     *        writer's row of opcscraper_status); a static, mandatory reference: every Kura gateway runs one
     */
    @Activate
    public WriterComponent(@Reference CryptoService crypto, @Reference SystemService system,
            Map<String, Object> properties) {
        this.crypto = crypto;
        GatewayIdentity gateway = GatewayIdentity.of(system);
        Bundle bundle = FrameworkUtil.getBundle(WriterComponent.class);
        this.host = new StatusIdentity.Host(gateway.gateway(), bundle == null ? null : bundle.getVersion().toString(),
                gateway.kuraVersion());
        Object name = properties.get("kura.service.pid");
        this.instance = name instanceof String ? (String) name : "writer";
        this.lifecycle.configure(properties);
    }

    @Modified
    public void modified(Map<String, Object> properties) {
        this.lifecycle.configure(properties);
    }

    @Deactivate
    public void deactivate() {
        this.lifecycle.deactivate();
    }

    private synchronized void start(WriterOptions options) {
        CryptoSecretDecoder decoder = new CryptoSecretDecoder(this.crypto, "db.password");
        this.startProblem = null;
        try {
            this.ingest = Ingest.start(this.instance, options.ingestSettings(), this.host,
                    () -> options.password().reveal(decoder));
        } catch (IOException e) {
            this.startProblem = "cannot use 'spool.dir' = '" + Ingest.spoolDirectory(options.spoolDir(), this.instance)
                    + "': " + e.getMessage();
            LOG.error("{}: {}. The writer takes no samples until it is corrected.", this.instance, this.startProblem);
        }
    }

    private synchronized void stop() {
        Ingest current = this.ingest;
        if (current == null) {
            return;
        }
        try {
            current.close();
        } catch (IOException e) {
            LOG.warn("{}: closing the spool: {}", this.instance, e.getMessage());
        }
        // After the close the batches in flight have finished and the counters are final. A
        // separate lock: status() must not wait for the close.
        synchronized (this.counters) {
            this.before[0] += current.status().accepted();
            this.before[1] += current.status().written();
            this.before[2] += current.dropped();
            this.before[3] += current.quarantined();
            this.spooledAtStop = current.spooled();
            this.ingest = null;
        }
    }

    @Override
    public void accept(List<Sample> samples) throws SinkUnavailableException {
        Ingest current = running();
        try {
            current.accept(samples);
        } catch (IOException e) {
            throw new SinkUnavailableException(this.instance + ": the spool cannot store samples: " + e.getMessage(), e);
        }
    }

    private Ingest running() throws SinkUnavailableException {
        Ingest current = this.ingest;
        if (current == null) {
            throw new SinkUnavailableException(this.instance + " takes no samples: "
                    + this.configuration.problem().orElse("its spool is not open"));
        }
        return current;
    }

    @Override
    public Map<String, Instant> lastStored(String clientId, List<NodeTime> nodes) throws SinkUnavailableException {
        return running().lastStored(clientId, nodes, LAST_STORED_WAIT_MS);
    }

    @Override
    public long backlog() {
        Ingest current = this.ingest;
        return current == null ? 0 : current.spooled();
    }

    @Override
    public void catalog(String clientId, List<CatalogNode> nodes) {
        Ingest current = this.ingest;
        if (current != null) {
            current.catalog(clientId, nodes);
        }
    }

    @Override
    public ComponentStatus status() {
        Ingest current;
        long[] base;
        synchronized (this.counters) {
            current = this.ingest;
            base = this.before.clone();
        }
        if (current == null) {
            return new ComponentStatus(this.instance, WriterOptions.PID, "idle",
                    Map.of(ComponentStatus.SAMPLES_ACCEPTED, base[0], ComponentStatus.SAMPLES_WRITTEN, base[1],
                            ComponentStatus.SPOOL_DEPTH, this.spooledAtStop,
                            ComponentStatus.SAMPLES_DROPPED, base[2], ComponentStatus.SAMPLES_QUARANTINED, base[3]),
                    this.startProblem != null ? this.startProblem
                            : this.configuration.problem().orElse("not configured"));
        }
        String error = current.problem();
        return new ComponentStatus(this.instance, WriterOptions.PID,
                current.status().lastError() == null ? "writing" : "spooling",
                Map.of(ComponentStatus.SAMPLES_ACCEPTED, base[0] + current.status().accepted(),
                        ComponentStatus.SAMPLES_WRITTEN, base[1] + current.status().written(),
                        ComponentStatus.SPOOL_DEPTH, current.spooled(),
                        ComponentStatus.SAMPLES_DROPPED, base[2] + current.dropped(),
                        ComponentStatus.SAMPLES_QUARANTINED, base[3] + current.quarantined()),
                error != null ? error : this.configuration.problem().orElse(null));
    }

    /** The ingest while configured, for status and tests. */
    public Optional<Ingest> ingest() {
        return Optional.ofNullable(this.ingest);
    }
}
