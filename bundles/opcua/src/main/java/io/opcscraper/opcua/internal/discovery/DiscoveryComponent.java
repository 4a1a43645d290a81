package io.opcscraper.opcua.internal.discovery;

import java.util.List;
import java.util.Map;

import org.eclipse.kura.configuration.ConfigurableComponent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.api.CatalogNode;
import io.opcscraper.api.NodeCatalog;
import io.opcscraper.config.LiveConfiguration;
import io.opcscraper.opcua.internal.connection.UaConnection;

/**
 * {@code io.opcscraper.opcua.Discovery}: browses one connection (selected by
 * {@code connection.target}) and publishes the Variables it finds as a {@link NodeCatalog}.
 * This foundation version validates its configuration and publishes an empty catalog.
 */
@Component(name = DiscoveryOptions.PID, configurationPid = DiscoveryOptions.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = { ConfigurableComponent.class, NodeCatalog.class })
public final class DiscoveryComponent implements ConfigurableComponent, NodeCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryComponent.class);

    private final LiveConfiguration<DiscoveryOptions> configuration = new LiveConfiguration<>(DiscoveryOptions::parse,
            LOG);
    private final UaConnection connection;

    @Activate
    public DiscoveryComponent(@Reference(name = "connection") UaConnection connection, Map<String, Object> properties) {
        this.connection = connection;
        this.configuration.update(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        this.configuration.update(properties);
    }

    @Override
    public String clientId() {
        return this.connection.clientId();
    }

    @Override
    public List<CatalogNode> nodes() {
        return List.of();
    }

    @Override
    public long generation() {
        return 0;
    }
}
