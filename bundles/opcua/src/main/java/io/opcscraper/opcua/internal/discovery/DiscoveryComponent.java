package io.opcscraper.opcua.internal.discovery;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.kura.configuration.ConfigurableComponent;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
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
import io.opcscraper.api.NodeCatalog;
import io.opcscraper.api.StatusSource;
import io.opcscraper.config.ComponentLifecycle;
import io.opcscraper.config.LiveConfiguration;
import io.opcscraper.opcua.internal.connection.ConnectionListener;
import io.opcscraper.opcua.internal.connection.UaConnection;
import io.opcscraper.opcua.internal.structure.StructureTypes;
import io.opcscraper.opcua.internal.ua.NodeIdText;
import io.opcscraper.opcua.internal.ua.OperationLimits;
import io.opcscraper.opcua.internal.ua.Requests;
import io.opcscraper.opcua.internal.ua.Requests.RequestException;
import io.opcscraper.opcua.internal.ua.Threads;

/**
 * {@code io.opcscraper.opcua.Discovery}: browses one connection (selected by
 * {@code connection.target}) at every session activation and every {@code rebrowse.interval.s},
 * and publishes the Variables it finds as a {@link NodeCatalog}, with the leaves of the values
 * that are structures ({@link CatalogTypes}). A failed browse keeps the last catalog; a node
 * that disappeared leaves the catalog at the next browse.
 */
@Component(name = DiscoveryOptions.PID, configurationPid = DiscoveryOptions.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = { ConfigurableComponent.class, NodeCatalog.class, UaCatalog.class, StatusSource.class })
public final class DiscoveryComponent implements ConfigurableComponent, UaCatalog, ConnectionListener, StatusSource {

    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryComponent.class);

    /** References per node in one browse result before the server must hand out a continuation point. */
    static final int MAX_REFERENCES_PER_NODE = 1000;
    private static final long REQUEST_TIMEOUT_MS = 30_000;

    private final LiveConfiguration<DiscoveryOptions> configuration = new LiveConfiguration<>(DiscoveryOptions::parse,
            LOG);
    private final ComponentLifecycle<DiscoveryOptions> lifecycle = new ComponentLifecycle<>(this.configuration,
            this::schedule, this::unschedule);
    private final UaConnection connection;
    private final ScheduledExecutorService executor;
    private final AtomicLong generation = new AtomicLong();
    private volatile List<CatalogNode> nodes = List.of();
    private volatile String browseProblem;
    private final String instance;
    private final CatalogTypes types;
    /** What the last browse found, for a reload of its types; discovery thread only. */
    private BrowsedCatalog browsed;
    /** Whether the nodes left out as server diagnostics were said; discovery thread only. */
    private boolean leftOutSaid;
    /** Guarded by the lifecycle's lock: only its start and stop touch it. */
    private ScheduledFuture<?> periodic;

    @Activate
    public DiscoveryComponent(@Reference(name = "connection") UaConnection connection, Map<String, Object> properties) {
        this.connection = connection;
        Object name = properties.get("kura.service.pid");
        this.instance = name instanceof String ? (String) name : DiscoveryOptions.PID;
        this.executor = Threads.scheduler("discovery", connection.clientId());
        this.types = new CatalogTypes(this::clientId, this.executor, this::reloadTypes);
        this.lifecycle.configure(properties);
        connection.addListener(this);
    }

    /** A valid configuration, changed or not, browses at once: saving it is how an admin asks for a browse. */
    @Modified
    public void modified(Map<String, Object> properties) {
        if (this.lifecycle.configure(properties)) {
            this.executor.execute(() -> browse(false));
        }
    }

    @Deactivate
    public void deactivate() {
        this.lifecycle.deactivate();
        this.connection.removeListener(this);
        this.executor.shutdownNow(); // drops a pending reload of the types too
    }

    /** The periodic re-browse of these options (the lifecycle's start). */
    private void schedule(DiscoveryOptions options) {
        if (options.rebrowseIntervalS() > 0) {
            this.periodic = this.executor.scheduleWithFixedDelay(() -> browse(false), options.rebrowseIntervalS(),
                    options.rebrowseIntervalS(), TimeUnit.SECONDS);
        }
    }

    /** The lifecycle's stop: no more periodic re-browse; a browse under way finishes. */
    private void unschedule() {
        if (this.periodic != null) {
            this.periodic.cancel(false);
            this.periodic = null;
        }
    }

    @Override
    public void connected(OpcUaClient client) {
        this.executor.execute(() -> browse(true));
    }

    /**
     * One browse; runs on the discovery thread only.
     *
     * @param afterConnect a (re)connect asked for it: its result is logged at INFO even when the
     *     catalog did not change, so the log shows that discovery ran again
     */
    void browse(boolean afterConnect) {
        Optional<DiscoveryOptions> current = this.configuration.current();
        Optional<OpcUaClient> client = this.connection.client();
        if (current.isEmpty() || client.isEmpty()) {
            return;
        }
        DiscoveryOptions options = current.get();
        long started = System.nanoTime();
        try {
            OperationLimits limits = OperationLimits.read(client.get(), REQUEST_TIMEOUT_MS);
            Map<NodeId, String> roots = roots(client.get(), options.browseRoots());
            Browser.Outcome outcome = new Browser(client.get(), REQUEST_TIMEOUT_MS, limits.maxNodesPerBrowse(),
                    MAX_REFERENCES_PER_NODE).walk(roots, options.followProperties(), options.maxDepth(),
                            options.maxNodes(), new PathFilter(options.includePatterns(), options.excludePatterns()),
                            options.includeServerDiagnostics());
            BrowsedCatalog found = new CatalogBuilder(client.get(), REQUEST_TIMEOUT_MS, limits)
                    .build(outcome, options.nodeIds());
            if (outcome.beyondMaxNodes() > 0) {
                LOG.warn("{}: {} more variables match but max.nodes is {}; they are not collected", clientId(),
                        outcome.beyondMaxNodes(), options.maxNodes());
            }
            sayLeftOut(outcome.leftOut());
            this.browsed = found;
            List<CatalogNode> nodes = found.nodes(this.types.load(client.get(), found, limits));
            publish(nodes, (System.nanoTime() - started) / 1_000_000, outcome.badResults(), afterConnect);
            this.browseProblem = null;
        } catch (RequestException e) {
            if (this.executor.isShutdown()) {
                // Deactivated meanwhile (shutdownNow interrupted the browse): nothing went wrong.
                LOG.debug("{}: browse stopped: {}", clientId(), e.getMessage());
                return;
            }
            this.browseProblem = "browse failed: " + e.getMessage();
            LOG.warn("{}: browse failed, keeping the last catalog of {} variables: {}", clientId(), this.nodes.size(),
                    e.getMessage());
        } catch (RuntimeException e) {
            this.browseProblem = "browse failed unexpectedly: " + e;
            LOG.error("{}: browse failed unexpectedly, keeping the last catalog", clientId(), e);
        }
    }

    /** Reads the types of the last browse again (a retry, a type that changed) and publishes the catalog. */
    private void reloadTypes() {
        Optional<OpcUaClient> client = this.connection.client();
        if (this.browsed == null || client.isEmpty() || this.configuration.current().isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        OperationLimits limits = OperationLimits.read(client.get(), REQUEST_TIMEOUT_MS);
        publish(this.browsed.nodes(this.types.load(client.get(), this.browsed, limits)),
                (System.nanoTime() - started) / 1_000_000, 0, false);
    }

    /** Said once: how many nodes about the server itself the browse did not enter. */
    private void sayLeftOut(int leftOut) {
        if (leftOut > 0 && !this.leftOutSaid) {
            LOG.info("{}: left out {} nodes that describe the server rather than the plant (the Server object i=2253,"
                    + " session and subscription diagnostics); include.server.diagnostics = true collects them",
                    clientId(), leftOut);
            this.leftOutSaid = true;
        } else if (leftOut > 0) {
            LOG.debug("{}: left out {} nodes that describe the server", clientId(), leftOut);
        }
    }

    /** The browse roots of this session, with their display names. */
    private Map<NodeId, String> roots(OpcUaClient client, List<String> texts) throws RequestException {
        Map<NodeId, String> roots = new LinkedHashMap<>();
        for (String text : texts) {
            NodeIdText.parse(text, client.getNamespaceTable()).ifPresentOrElse(id -> roots.put(id, text), () -> LOG
                    .warn("{}: 'browse.roots' entry '{}' names an unknown namespace; skipped", clientId(), text));
        }
        List<ReadValueId> reads = roots.keySet().stream()
                .map(id -> new ReadValueId(id, AttributeId.DisplayName.uid(), null, QualifiedName.NULL_VALUE)).toList();
        DataValue[] names = Requests.await(client.read(0, TimestampsToReturn.Neither, reads), REQUEST_TIMEOUT_MS,
                "Read of the browse roots' names").getResults();
        int i = 0;
        for (Map.Entry<NodeId, String> root : roots.entrySet()) {
            Object name = names != null && i < names.length ? names[i].getValue().getValue() : null;
            if (name instanceof LocalizedText && ((LocalizedText) name).getText() != null) {
                root.setValue(((LocalizedText) name).getText());
            }
            i++;
        }
        return roots;
    }

    private void publish(List<CatalogNode> found, long elapsedMs, int badResults, boolean afterConnect) {
        List<CatalogNode> before = this.nodes;
        if (found.equals(before)) {
            if (afterConnect) {
                LOG.info("{}: catalog {} unchanged after the reconnect: {} variables browsed in {} ms", clientId(),
                        this.generation.get(), found.size(), elapsedMs);
            } else {
                LOG.debug("{}: browse found the same {} variables in {} ms", clientId(), found.size(), elapsedMs);
            }
            return;
        }
        Set<String> old = new HashSet<>();
        before.forEach(n -> old.add(n.nodeId()));
        Set<String> now = new HashSet<>();
        found.forEach(n -> now.add(n.nodeId()));
        long added = now.stream().filter(id -> !old.contains(id)).count();
        long removed = old.stream().filter(id -> !now.contains(id)).count();
        this.nodes = List.copyOf(found);
        long generation = this.generation.incrementAndGet();
        LOG.info("{}: catalog {} has {} variables (+{} -{}) browsed in {} ms{}", clientId(), generation, found.size(),
                added, removed, elapsedMs, badResults == 0 ? "" : "; " + badResults + " nodes could not be browsed");
    }

    @Override
    public ComponentStatus status() {
        String problem = this.configuration.problem().orElse(this.browseProblem);
        String state = this.configuration.current().isEmpty() ? "idle"
                : this.generation.get() == 0 ? "waiting" : "browsed";
        return new ComponentStatus(this.instance, DiscoveryOptions.PID, state,
                Map.of(ComponentStatus.NODES, (long) this.nodes.size(), ComponentStatus.STRUCTURE_TYPES_FAILED,
                        (long) this.types.failed()), problem);
    }

    @Override
    public UaConnection connection() {
        return this.connection;
    }

    @Override
    public StructureTypes structureTypes() {
        return this.types.current();
    }

    @Override
    public void typeMismatch(String typeId) {
        try {
            this.types.mismatch(typeId);
        } catch (RejectedExecutionException e) {
            // Deactivated meanwhile: the next instance reads the types anew at its first browse.
            LOG.debug("{}: not reading the types again, discovery stopped: {}", clientId(), e.toString());
        }
    }

    @Override
    public String clientId() {
        return this.connection.clientId();
    }

    @Override
    public List<CatalogNode> nodes() {
        return this.nodes;
    }

    @Override
    public long generation() {
        return this.generation.get();
    }
}
