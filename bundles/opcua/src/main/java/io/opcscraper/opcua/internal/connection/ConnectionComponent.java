package io.opcscraper.opcua.internal.connection;

import java.util.Map;

import org.eclipse.kura.configuration.ConfigurableComponent;
import org.eclipse.kura.crypto.CryptoService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.config.LiveConfiguration;

/**
 * {@code io.opcscraper.opcua.Connection}: one instance per OPC UA server (a factory
 * configuration, named by {@code kura.service.pid}). This foundation version validates its
 * configuration; the session lifecycle comes with the OPC UA issue.
 */
@Component(name = ConnectionOptions.PID, configurationPid = ConnectionOptions.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = { ConfigurableComponent.class, UaConnection.class })
public final class ConnectionComponent implements ConfigurableComponent, UaConnection {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionComponent.class);

    private final LiveConfiguration<ConnectionOptions> configuration = new LiveConfiguration<>(
            ConnectionOptions::parse, LOG);
    private final CryptoService crypto;

    @Activate
    public ConnectionComponent(@Reference CryptoService crypto, Map<String, Object> properties) {
        this.crypto = crypto;
        this.configuration.update(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        this.configuration.update(properties);
    }

    @Deactivate
    void deactivate() {
        LOG.info("Stopped {}", clientId());
    }

    @Override
    public String clientId() {
        return this.configuration.current().map(ConnectionOptions::clientId).orElse(ConnectionOptions.PID);
    }

    @Override
    public boolean isConnected() {
        return false;
    }
}
