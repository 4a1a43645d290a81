package io.opcscraper.opcua.internal.poller;

import java.util.Map;

import org.eclipse.kura.configuration.ConfigurableComponent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.api.NodeCatalog;
import io.opcscraper.api.SampleSink;
import io.opcscraper.config.LiveConfiguration;

/**
 * {@code io.opcscraper.opcua.Poller}: reads the nodes of one catalog ({@code discovery.target})
 * and hands the samples to one sink ({@code writer.target}). This foundation version validates
 * its configuration; reading and subscribing come with the OPC UA issue.
 */
@Component(name = PollerOptions.PID, configurationPid = PollerOptions.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = ConfigurableComponent.class)
public final class PollerComponent implements ConfigurableComponent {

    private static final Logger LOG = LoggerFactory.getLogger(PollerComponent.class);

    private final LiveConfiguration<PollerOptions> configuration = new LiveConfiguration<>(PollerOptions::parse, LOG);
    private final NodeCatalog catalog;
    private final SampleSink sink;

    @Activate
    public PollerComponent(@Reference(name = "discovery") NodeCatalog catalog,
            @Reference(name = "writer") SampleSink sink, Map<String, Object> properties) {
        this.catalog = catalog;
        this.sink = sink;
        this.configuration.update(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        this.configuration.update(properties);
    }
}
