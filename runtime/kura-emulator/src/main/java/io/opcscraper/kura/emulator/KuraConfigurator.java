package io.opcscraper.kura.emulator;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Creates and changes component configurations as Kura's ConfigurationService does for its web
 * console: instances are named by {@code kura.service.pid}; a new factory instance starts from
 * its metatype defaults, except the empty ones (Kura's metatype parser drops {@code default=""}:
 * such a property is absent, not ""); every Password-typed property is encrypted with the
 * CryptoService before it reaches ConfigurationAdmin; values are not checked against the metatype
 * (on Kura only the web form checks them, not its REST API or cloud); each change writes a
 * snapshot ({@link KuraSnapshots}).
 */
@ProviderType
public interface KuraConfigurator {

    /**
     * Creates a factory instance, like the console's "+" button.
     *
     * @param factoryPid the factory PID (the metatype OCD id)
     * @param name the instance name, stored as {@code kura.service.pid}
     * @param properties values that replace the metatype defaults (Password values in clear text)
     * @return the configuration's {@code service.pid}
     * @throws IOException if there is no metatype for the factory PID, the name is taken,
     *         ConfigurationAdmin fails or the snapshot cannot be written
     */
    String createFactoryConfiguration(String factoryPid, String name, Map<String, ?> properties) throws IOException;

    /** Changes some properties of the instance called {@code name}, like the console's Apply. */
    void updateConfiguration(String name, Map<String, ?> properties) throws IOException;

    /** Deletes the instance called {@code name}. */
    void deleteConfiguration(String name) throws IOException;

    /** The stored properties of the instance called {@code name} (Password values encrypted). */
    Optional<Map<String, Object>> getConfiguration(String name) throws IOException;
}
