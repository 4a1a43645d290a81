package io.opcscraper.config;

import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;

/**
 * The current, valid options of one component instance. A configuration that fails validation
 * is logged with every problem and does not replace a valid one: the component keeps running
 * on what it had, or stays idle until an admin corrects it. It never makes activation fail,
 * so the instance stays visible (and fixable) in the Kura console. {@link ComponentLifecycle}
 * starts and stops a component's work around it.
 *
 * @param <O> the options type
 */
public final class LiveConfiguration<O> {

    /** Parses and validates a whole configuration. */
    @FunctionalInterface
    public interface Parser<O> {
        O parse(Map<String, ?> properties) throws InvalidConfigurationException;
    }

    private final Parser<O> parser;
    private final Logger log;
    private volatile O current;
    private volatile String problem;

    public LiveConfiguration(Parser<O> parser, Logger log) {
        this.parser = parser;
        this.log = log;
    }

    /**
     * Validates and, if valid, takes the new configuration.
     *
     * @return the new options, or empty when they were rejected (and logged)
     */
    public Optional<O> update(Map<String, ?> properties) {
        try {
            O options = this.parser.parse(properties);
            this.current = options;
            this.problem = null;
            // Valid values may still hold characters a log line should not carry raw (U+FFFF...).
            this.log.info("Configured: {}", Property.printable(String.valueOf(options)));
            return Optional.of(options);
        } catch (InvalidConfigurationException e) {
            this.problem = e.getMessage();
            this.log.error("{}. {}", e.getMessage(), this.current == null
                    ? "The component stays idle until the configuration is corrected."
                    : "The component keeps running with its previous configuration.");
            return Optional.empty();
        }
    }

    public Optional<O> current() {
        return Optional.ofNullable(this.current);
    }

    /** The message of the last rejected configuration, if the last update was rejected. */
    public Optional<String> problem() {
        return Optional.ofNullable(this.problem);
    }
}
