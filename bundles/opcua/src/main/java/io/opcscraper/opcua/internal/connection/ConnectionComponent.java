package io.opcscraper.opcua.internal.connection;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.kura.configuration.ConfigurableComponent;
import org.eclipse.kura.crypto.CryptoService;
import org.eclipse.kura.system.SystemService;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.api.ComponentStatus;
import io.opcscraper.api.StatusSource;
import io.opcscraper.config.ComponentLifecycle;
import io.opcscraper.config.LiveConfiguration;
import io.opcscraper.config.kura.CryptoSecretDecoder;
import io.opcscraper.config.kura.GatewayIdentity;

/**
 * {@code io.opcscraper.opcua.Connection}: one instance per OPC UA server (a factory
 * configuration, named by {@code kura.service.pid}). Keeps one client connected, and tells
 * discovery and polling when a session becomes active or is lost. Its client id ({@code client.id},
 * else {@code <gateway>/<instance name>} with the gateway named by Kura's SystemService:
 * {@link GatewayIdentity}) fills the {@code clientid} column of every row it collects.
 */
@Component(name = ConnectionOptions.PID, configurationPid = ConnectionOptions.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = { ConfigurableComponent.class, UaConnection.class, StatusSource.class })
public final class ConnectionComponent implements ConfigurableComponent, UaConnection, StatusSource {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionComponent.class);

    private final LiveConfiguration<ConnectionOptions> configuration;
    private final ComponentLifecycle<ConnectionOptions> lifecycle;
    private final CryptoService crypto;
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private volatile OpcUaClient activeClient;
    private ConnectionSupervisor supervisor;
    private ClientPki pki;
    private volatile String startProblem;
    private final String instance;

    /**
     * @param system Kura's SystemService, asked once for the gateway's identity (the default client
     *        id); a static, mandatory reference: every Kura gateway runs one
     */
    @Activate
    public ConnectionComponent(@Reference CryptoService crypto, @Reference SystemService system,
            Map<String, Object> properties) {
        this.crypto = crypto;
        Object name = properties.get("kura.service.pid");
        this.instance = name instanceof String ? (String) name : ConnectionOptions.PID;
        GatewayIdentity gateway = GatewayIdentity.of(system);
        this.configuration = new LiveConfiguration<>(p -> ConnectionOptions.parse(p, gateway), LOG);
        this.lifecycle = new ComponentLifecycle<>(this.configuration, this::start, this::stop);
        this.lifecycle.configure(properties);
        Object clientId = properties.get(ConnectionOptions.CLIENT_ID.id());
        if (gateway.gateway() == null && (clientId == null || clientId.toString().isBlank())) {
            LOG.warn("{}: the client id is the instance name alone: {}; gateways set up from one template then write"
                    + " rows that cannot be told apart: set client.id", this.instance, gateway.describe());
        }
    }

    @Modified
    public void modified(Map<String, Object> properties) {
        this.lifecycle.configure(properties);
    }

    @Deactivate
    public void deactivate() {
        this.lifecycle.deactivate();
        LOG.info("{}: stopped", clientId());
    }

    private synchronized void start(ConnectionOptions options) {
        Path dir = ClientPki.directory(options.pkiDir());
        this.startProblem = null;
        try {
            this.pki = ClientPki.open(dir);
        } catch (IOException | GeneralSecurityException e) {
            this.startProblem = "cannot use 'pki.dir' = '" + dir + "': "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            LOG.error("{}: {}. The connection stays idle until it is corrected.", options.clientId(), this.startProblem);
            return;
        }
        ClientConfigFactory factory = new ClientConfigFactory(options, this.pki,
                new CryptoSecretDecoder(this.crypto, "identity.password"),
                new CryptoSecretDecoder(this.crypto, "identity.keystore.password"));
        this.supervisor = new ConnectionSupervisor(options, this.pki, factory, this::sessionActive,
                this::sessionInactive);
        this.supervisor.start();
    }

    private synchronized void stop() {
        if (this.supervisor != null) {
            this.supervisor.close();
            this.supervisor = null;
        }
        if (this.activeClient != null) {
            this.activeClient = null;
            this.listeners.forEach(ConnectionComponent::tellDisconnected);
        }
        if (this.pki != null) {
            try {
                this.pki.close();
            } catch (IOException e) {
                LOG.debug("closing the trust list: {}", e.getMessage());
            }
            this.pki = null;
        }
    }

    private void sessionActive(OpcUaClient client) {
        this.activeClient = client;
        this.listeners.forEach(listener -> tellConnected(listener, client));
    }

    private void sessionInactive() {
        this.activeClient = null;
        this.listeners.forEach(ConnectionComponent::tellDisconnected);
    }

    private static void tellConnected(ConnectionListener listener, OpcUaClient client) {
        try {
            listener.connected(client);
        } catch (RuntimeException e) {
            LOG.error("A connection listener failed", e);
        }
    }

    private static void tellDisconnected(ConnectionListener listener) {
        try {
            listener.disconnected();
        } catch (RuntimeException e) {
            LOG.error("A connection listener failed", e);
        }
    }

    @Override
    public ComponentStatus status() {
        ConnectionSupervisor current;
        synchronized (this) {
            current = this.supervisor;
        }
        String state = this.activeClient != null ? "connected" : current != null ? "connecting" : "idle";
        String error = this.activeClient != null ? null
                : current != null ? current.lastFailure()
                : this.startProblem != null ? this.startProblem
                : this.configuration.problem().orElse("not configured");
        if (error == null) {
            error = this.configuration.problem().orElse(null);
        }
        return new ComponentStatus(this.instance, ConnectionOptions.PID, state, Map.of(), error);
    }

    @Override
    public String clientId() {
        return this.configuration.current().map(ConnectionOptions::clientId).orElse(ConnectionOptions.PID);
    }

    @Override
    public boolean isConnected() {
        return this.activeClient != null;
    }

    @Override
    public Optional<OpcUaClient> client() {
        return Optional.ofNullable(this.activeClient);
    }

    @Override
    public void addListener(ConnectionListener listener) {
        this.listeners.add(listener);
        OpcUaClient client = this.activeClient;
        if (client != null) {
            tellConnected(listener, client);
        }
    }

    @Override
    public void removeListener(ConnectionListener listener) {
        this.listeners.remove(listener);
    }
}
