package io.opcscraper.opcua.internal.discovery;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.config.retry.Backoff;
import io.opcscraper.opcua.internal.structure.StructureTypeLoader;
import io.opcscraper.opcua.internal.structure.StructureTypes;
import io.opcscraper.opcua.internal.ua.NodeIdText;
import io.opcscraper.opcua.internal.ua.OperationLimits;

/**
 * The structure types of one discovery's catalog. Read at every browse; read again after a
 * temporary failure (1 s doubling up to {@value #MAX_RETRY_MS} ms) and, soon, when a poller finds
 * values that do not match their type's description (the server changed the type). A type that
 * cannot be decoded is said once, with its id, the reason and how many variables it leaves
 * without rows. Loads run on the discovery thread; {@link #current} and {@link #mismatch} may be
 * called from any.
 */
final class CatalogTypes {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogTypes.class);
    static final long MAX_RETRY_MS = 60_000;
    /** The shortest time between two loads a mismatch asks for. */
    static final long MISMATCH_RELOAD_MS = 2_000;
    private static final long REQUEST_TIMEOUT_MS = 30_000;

    private final StructureTypeLoader loader = new StructureTypeLoader();
    private final Backoff backoff = new Backoff(MAX_RETRY_MS);
    private final Supplier<String> clientId;
    private final ScheduledExecutorService executor;
    private final Runnable reload;
    /** Failures already said, as "type id: reason"; only those still current are kept. */
    private final Set<String> said = new HashSet<>();
    private volatile StructureTypes current = StructureTypes.none();
    private volatile long lastLoadNanos = System.nanoTime();
    private ScheduledFuture<?> retry;
    private String temporaryProblem;

    /** @param reload loads the types again and publishes the catalog (run on the discovery thread) */
    CatalogTypes(Supplier<String> clientId, ScheduledExecutorService executor, Runnable reload) {
        this.clientId = clientId;
        this.executor = executor;
        this.reload = reload;
    }

    StructureTypes current() {
        return this.current;
    }

    /** The types that cannot be decoded now (a problem that stopped every type counts as one). */
    int failed() {
        StructureTypes types = this.current;
        return types.failures().size() + (types.problem() == null ? 0 : 1);
    }

    /**
     * Reads the types of {@code browsed} from the server. A temporary failure keeps what was read in
     * this session before (nothing when the namespaces changed) and schedules a retry.
     */
    StructureTypes load(OpcUaClient client, BrowsedCatalog browsed, OperationLimits limits) {
        cancelRetry();
        this.lastLoadNanos = System.nanoTime();
        try {
            StructureTypes types = this.loader.load(client, browsed.dataTypes(), limits, REQUEST_TIMEOUT_MS);
            this.backoff.reset();
            if (this.temporaryProblem != null) {
                LOG.info("{}: the structure type descriptions could be read again", this.clientId.get());
                this.temporaryProblem = null;
            }
            sayFailures(types, browsed, client);
            this.current = types;
            return types;
        } catch (StructureTypeLoader.TemporaryFailure e) {
            long delay = this.backoff.nextDelayMs();
            if (!e.getMessage().equals(this.temporaryProblem)) {
                LOG.warn("{}: cannot read the structure type descriptions ({}); retrying in {} s, values of structure"
                        + " types without a description are not stored meanwhile", this.clientId.get(), e.getMessage(),
                        delay / 1000);
                this.temporaryProblem = e.getMessage();
            }
            this.retry = this.executor.schedule(this.reload, delay, TimeUnit.MILLISECONDS);
            StructureTypes kept = this.current.sameNamespaces(client.getNamespaceTable()) ? this.current
                    : StructureTypes.none();
            this.current = kept;
            return kept;
        }
    }

    /**
     * A poller found values of {@code typeId} that do not match its description: read the types again
     * soon (at most one load every {@value #MISMATCH_RELOAD_MS} ms, none while one is due).
     *
     * @throws java.util.concurrent.RejectedExecutionException when discovery has stopped
     */
    void mismatch(String typeId) {
        this.executor.execute(() -> {
            if (this.retry != null && !this.retry.isDone()) {
                return; // a load is due anyway
            }
            long sinceMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.lastLoadNanos);
            LOG.info("{}: values of {} do not match its description; reading the type descriptions again",
                    this.clientId.get(), typeId);
            this.retry = this.executor.schedule(this.reload, Math.max(0, MISMATCH_RELOAD_MS - sinceMs),
                    TimeUnit.MILLISECONDS);
        });
    }

    private void cancelRetry() {
        if (this.retry != null) {
            this.retry.cancel(false);
            this.retry = null;
        }
    }

    private void sayFailures(StructureTypes types, BrowsedCatalog browsed, OpcUaClient client) {
        Set<String> now = new HashSet<>();
        if (types.problem() != null) {
            now.add("*: " + types.problem());
            if (this.said.add("*: " + types.problem())) {
                LOG.warn("{}: no structure type can be decoded: {}", this.clientId.get(), types.problem());
            }
        }
        for (Map.Entry<String, String> failure : types.failures().entrySet()) {
            String key = failure.getKey() + ": " + failure.getValue();
            now.add(key);
            if (this.said.add(key)) {
                long variables = browsed.structureCandidates().stream()
                        .filter(v -> failure.getKey().equals(format(v.dataType(), client))).count();
                LOG.warn("{}: structure type {} cannot be decoded: {}; the values of its {} variables are not stored",
                        this.clientId.get(), failure.getKey(), failure.getValue(), variables);
            }
        }
        this.said.retainAll(now);
    }

    private static String format(NodeId id, OpcUaClient client) {
        return NodeIdText.format(id, client.getNamespaceTable());
    }
}
