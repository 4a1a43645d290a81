package io.opcscraper.timescale.internal;

import java.util.List;
import java.util.Map;

import org.eclipse.kura.configuration.ConfigurableComponent;
import org.eclipse.kura.crypto.CryptoService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.api.Sample;
import io.opcscraper.api.SampleSink;
import io.opcscraper.api.SinkUnavailableException;
import io.opcscraper.config.LiveConfiguration;

/**
 * {@code io.opcscraper.timescale.Writer}: stores samples in one TimescaleDB table. This
 * foundation version validates its configuration and refuses samples, so a caller keeps them;
 * the spool and the COPY ingest come with the writer issue.
 */
@Component(name = WriterOptions.PID, configurationPid = WriterOptions.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = { ConfigurableComponent.class, SampleSink.class })
public final class WriterComponent implements ConfigurableComponent, SampleSink {

    private static final Logger LOG = LoggerFactory.getLogger(WriterComponent.class);

    private final LiveConfiguration<WriterOptions> configuration = new LiveConfiguration<>(WriterOptions::parse, LOG);
    private final CryptoService crypto;

    @Activate
    public WriterComponent(@Reference CryptoService crypto, Map<String, Object> properties) {
        this.crypto = crypto;
        this.configuration.update(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        this.configuration.update(properties);
    }

    @Override
    public void accept(List<Sample> samples) throws SinkUnavailableException {
        throw new SinkUnavailableException("the writer does not store samples yet");
    }
}
