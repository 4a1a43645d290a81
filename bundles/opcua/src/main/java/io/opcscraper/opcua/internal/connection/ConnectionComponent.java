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

/**
 * {@code io.opcscraper.opcua.Connection}: one instance per OPC UA server (a factory
 * configuration, named by {@code kura.service.pid}). Keeps one client connected, and tells
 * discovery and polling when a session becomes active or is lost.
 */
@Component(name = ConnectionOptions.PID, configurationPid = ConnectionOptions.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = { ConfigurableComponent.class, UaConnection.class, StatusSource.class })
public final class ConnectionComponent implements ConfigurableComponent, UaConnection, StatusSource {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionComponent.class);

    private final LiveConfiguration<ConnectionOptions> configuration = new LiveConfiguration<>(
            ConnectionOptions::parse, LOG);
    private final ComponentLifecycle<ConnectionOptions> lifecycle = new ComponentLifecycle<>(this.configuration,
            this::start, this::stop);
    private final CryptoService crypto;
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private volatile OpcUaClient activeClient;
    private ConnectionSupervisor supervisor;
    private ClientPki pki;
    private volatile String startProblem;
    private final String instance;

    @Activate
    public ConnectionComponent(@Reference CryptoService crypto, Map<String, Object> properties) {
        this.crypto = crypto;
        Object name = properties.get("kura.service.pid");
        this.instance = name instanceof String ? (String) name : ConnectionOptions.PID;
        this.lifecycle.configure(properties);
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
