package io.opcscraper.opcua.internal.connection;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.api.UaSession;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.config.retry.Backoff;
import io.opcscraper.milo.jca.JcaProviders;
import io.opcscraper.opcua.internal.ua.Threads;

/**
 * The lifecycle of one client: connect, and retry with capped backoff until a session is
 * active, including when the server is down at start. Once connected, Milo keeps the session:
 * after a lost connection it reconnects by itself, reactivates the session or creates a new one
 * and transfers subscriptions. State changes are logged once; a retry that fails for the same
 * reason is logged at DEBUG only.
 *
 * <p>Milo's reconnect schedule is 1, 2, 4, 8, 16 s, then every 16 s (fixed in Milo 0.6): a server
 * that comes back after a 30 s restart waits up to 16 s for the next attempt. So while a session is
 * lost the supervisor also probes the server's TCP port every second ({@link TcpProbe}); once the
 * port accepts and the session is still down, it discards Milo's client and connects anew at once
 * (the listeners see a new client, as after a first connect, and set up their reads and
 * subscriptions again). A failure of that connect is logged with its reason and retried with the
 * supervisor's own backoff.
 */
final class ConnectionSupervisor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionSupervisor.class);

    private final ConnectionOptions options;
    private final ClientPki pki;
    private final ClientConfigFactory configFactory;
    private final Consumer<OpcUaClient> onActive;
    private final Runnable onInactive;
    private final ScheduledExecutorService executor;
    private final Backoff backoff;
    private static final long PROBE_INTERVAL_MS = 1_000;

    private final TcpProbe probe;
    /** The client in use: connecting, connected or reconnecting; events of any other are ignored. */
    private volatile OpcUaClient client;
    private volatile boolean sessionActive;
    private volatile boolean stopped;
    private volatile String lastFailure;

    ConnectionSupervisor(ConnectionOptions options, ClientPki pki, ClientConfigFactory configFactory,
            Consumer<OpcUaClient> onActive, Runnable onInactive) {
        this.options = options;
        this.pki = pki;
        this.configFactory = configFactory;
        this.onActive = onActive;
        this.onInactive = onInactive;
        this.backoff = new Backoff(options.reconnectMaxDelayMs());
        this.executor = Threads.scheduler("connection", options.clientId());
        this.probe = probeOf(options);
    }

    /** The probe of the configured endpoint, or null (then only Milo reconnects) if its URL has no usable host. */
    private static TcpProbe probeOf(ConnectionOptions options) {
        try {
            return TcpProbe.of(options.endpointUrl(), (int) PROBE_INTERVAL_MS);
        } catch (IllegalArgumentException e) {
            LOG.debug("{}: no TCP probe of {}: {}", options.clientId(), options.endpointUrl(), e.getMessage());
            return null;
        }
    }

    void start() {
        LOG.info("{}: connecting to {}", this.options.clientId(), this.options.endpointUrl());
        this.executor.execute(this::attempt);
    }

    private void attempt() {
        if (this.stopped) {
            return;
        }
        OpcUaClient candidate = null;
        ClientPki.ServerCertificateCheck check = this.pki.validator(this.options.trustAllServers(),
                this.options.clientId());
        try {
            EndpointDescription endpoint = this.configFactory.chooseEndpoint();
            if ("Aes256_Sha256_RsaPss".equals(EndpointSelector.policyName(endpoint))) {
                JcaProviders.ensureRsaPss();
            }
            candidate = OpcUaClient.create(this.configFactory.build(endpoint, check));
            this.client = candidate; // before connect: its activity events belong to the client in use
            candidate.addSessionActivityListener(new Activity(candidate, endpoint));
            candidate.connect().get(2L * this.options.requestTimeoutMs(), TimeUnit.MILLISECONDS);
            if (this.stopped) {
                disconnect(candidate);
            }
        } catch (ConnectException e) {
            retry(e.getMessage(), candidate, check);
        } catch (UaException e) {
            retry("cannot create the client: " + ConnectException.reason(e), candidate, check);
        } catch (ExecutionException e) {
            retry("connect failed: " + ConnectException.reason(e.getCause()), candidate, check);
        } catch (TimeoutException e) {
            retry("connect timed out after " + 2L * this.options.requestTimeoutMs() + " ms", candidate, check);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            disconnect(candidate);
        } catch (RuntimeException e) {
            // A bug or an unexpected library failure: still retry, the gateway must not stop collecting.
            LOG.error("{}: unexpected failure while connecting", this.options.clientId(), e);
            retry("unexpected " + e.getClass().getSimpleName(), candidate, check);
        }
    }

    /**
     * The reason to log for a failed attempt, saying which side refused when certificates are
     * involved: this client refused the server's certificate (its validator says so), or the
     * server refused the connection for security reasons, most often because it does not trust
     * this client's certificate (servers then answer Bad_SecurityChecksFailed, by design no more
     * precise).
     */
    static String describe(String failure, ClientPki.ServerCertificateCheck check, Path pkiDir, String clientCertificate) {
        if (check != null && check.refusal() != null) {
            long code = check.refusal().getStatusCode().getValue();
            if (code != StatusCodes.Bad_SecurityChecksFailed && code != StatusCodes.Bad_CertificateUntrusted) {
                // Expired, revoked, wrong host name or URI: trusting it would not help.
                return "this client does not accept the server certificate (" + failure + ")";
            }
            return "this client does not trust the server certificate (" + failure + "); it is saved in "
                    + pkiDir.resolve("rejected") + ": to trust it, move it to "
                    + pkiDir.resolve("trusted").resolve("certs");
        }
        if (failure.contains("Bad_SecurityChecksFailed") || failure.contains("Bad_CertificateUntrusted")) {
            return "the server refused this client (" + failure + "), most likely because it does not trust this"
                    + " client's certificate " + clientCertificate + ": the server's administrator must trust it"
                    + " (servers usually list it among their rejected certificates; a copy is in "
                    + ClientPki.certificateFile(pkiDir) + ")";
        }
        return failure;
    }

    private void retry(String failure, OpcUaClient candidate, ClientPki.ServerCertificateCheck check) {
        if (this.client == candidate) {
            this.client = null;
        }
        disconnect(candidate);
        String reason = describe(failure, check, this.pki.dir(),
                this.pki.certificate().getSubjectX500Principal().getName());
        if (this.stopped) {
            return;
        }
        long delay = this.backoff.nextDelayMs();
        if (!Objects.equals(reason, this.lastFailure)) {
            LOG.warn("{}: cannot connect to {}: {}; retrying in {} ms, backing off up to {} ms",
                    this.options.clientId(), this.options.endpointUrl(), reason, delay,
                    this.options.reconnectMaxDelayMs());
            this.lastFailure = reason;
        } else {
            LOG.debug("{}: attempt {} failed again: {}; next in {} ms", this.options.clientId(),
                    this.backoff.failures(), reason, delay);
        }
        this.executor.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * While the session of {@code lost} is down: if the server's port accepts connections again,
     * replace Milo's reconnecting client by a new one now; otherwise look again in a second.
     */
    private void probe(OpcUaClient lost) {
        if (this.stopped || this.client != lost || this.sessionActive || this.probe == null) {
            return; // stopped, replaced, or Milo reconnected it
        }
        if (!this.probe.accepts()) {
            this.executor.schedule(() -> probe(lost), PROBE_INTERVAL_MS, TimeUnit.MILLISECONDS);
            return;
        }
        if (this.stopped || this.client != lost || this.sessionActive) {
            return;
        }
        LOG.info("{}: {}:{} accepts connections again; connecting now instead of at Milo's next reconnect attempt",
                this.options.clientId(), this.probe.host(), this.probe.port());
        this.client = null;
        disconnect(lost);
        this.backoff.reset();
        attempt();
    }

    private void disconnect(OpcUaClient target) {
        if (target == null) {
            return;
        }
        try {
            target.disconnect().get(this.options.requestTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("{}: disconnect did not complete cleanly: {}", this.options.clientId(),
                    ConnectException.reason(e));
        }
    }

    /**
     * Why the last attempt failed, or that the session was lost and Milo is reconnecting; {@code
     * null} while a session is active or none failed yet.
     */
    public String lastFailure() {
        return this.lastFailure;
    }

    @Override
    public void close() {
        this.stopped = true;
        this.executor.shutdownNow();
        try {
            this.executor.awaitTermination(this.options.requestTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        disconnect(this.client);
        this.client = null;
    }

    private final class Activity implements SessionActivityListener {

        private final OpcUaClient owner;
        private final EndpointDescription endpoint;

        Activity(OpcUaClient owner, EndpointDescription endpoint) {
            this.owner = owner;
            this.endpoint = endpoint;
        }

        @Override
        public void onSessionActive(UaSession session) {
            if (ConnectionSupervisor.this.stopped || ConnectionSupervisor.this.client != this.owner) {
                return;
            }
            ConnectionSupervisor.this.sessionActive = true;
            int failures = ConnectionSupervisor.this.backoff.failures();
            ConnectionSupervisor.this.backoff.reset();
            ConnectionSupervisor.this.lastFailure = null;
            LOG.info("{}: connected to {} ({}){}", ConnectionSupervisor.this.options.clientId(),
                    this.endpoint.getEndpointUrl(), EndpointSelector.describe(this.endpoint),
                    failures == 0 ? "" : " after " + failures + " failed attempts");
            ConnectionSupervisor.this.onActive.accept(this.owner);
        }

        @Override
        public void onSessionInactive(UaSession session) {
            if (ConnectionSupervisor.this.stopped || ConnectionSupervisor.this.client != this.owner) {
                return;
            }
            ConnectionSupervisor.this.sessionActive = false;
            LOG.warn("{}: session to {} lost; reconnecting", ConnectionSupervisor.this.options.clientId(),
                    this.endpoint.getEndpointUrl());
            // Milo reconnects by itself and does not say why each attempt fails: the status names
            // the lost session until one is active again (onSessionActive clears it).
            ConnectionSupervisor.this.lastFailure = "session to " + this.endpoint.getEndpointUrl()
                    + " lost; reconnecting";
            ConnectionSupervisor.this.onInactive.run();
            try {
                ConnectionSupervisor.this.executor.schedule(() -> probe(this.owner), PROBE_INTERVAL_MS,
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // close() ran meanwhile: nothing to probe for.
                LOG.debug("{}: not probing, closing", ConnectionSupervisor.this.options.clientId());
            }
        }
    }
}
