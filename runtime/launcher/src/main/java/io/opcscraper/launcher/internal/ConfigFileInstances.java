package io.opcscraper.launcher.internal;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.kura.emulator.KuraConfigurator;

/**
 * Creates the instances of the OSGi Configurator JSON file named by framework property
 * {@value #PROPERTY} through the Kura emulator, as Kura's console would (metatype defaults
 * merged, passwords encrypted, instances named by kura.service.pid); an instance whose name
 * exists is updated instead. Every failure is printed naming the file, the key and the property.
 */
final class ConfigFileInstances {

    static final String PROPERTY = "opcscraper.config";
    private static final Logger LOG = LoggerFactory.getLogger(ConfigFileInstances.class);

    /**
     * The instances of a configuration file that were created (or updated).
     *
     * @param file the file, {@code null} when none is configured
     * @param created the instances created (or updated)
     * @param listed how many the file lists (1 for a file that cannot be read)
     */
    record Result(Path file, List<ConfiguratorFile.Instance> created, int listed) {
        static final Result NONE = new Result(null, List.of(), 0);

        boolean complete() {
            return this.created.size() == this.listed;
        }
    }

    private final KuraConfigurator configurator;
    private final UnaryOperator<String> properties;

    /** @param properties framework (or system) properties by name, {@code null} when unset */
    ConfigFileInstances(KuraConfigurator configurator, UnaryOperator<String> properties) {
        this.configurator = configurator;
        this.properties = properties;
    }

    /** The file, or {@code null} when the property is not set. */
    Path file() {
        String value = this.properties.apply(PROPERTY);
        return value == null || value.isBlank() ? null : Paths.get(value).toAbsolutePath().normalize();
    }

    Result create() {
        Path file = file();
        if (file == null) {
            Say.warn(LOG, "Framework property {} is not set: no instances to create", PROPERTY);
            return Result.NONE;
        }
        List<ConfiguratorFile.Instance> instances;
        try {
            instances = ConfiguratorFile.read(file, new ConfiguratorFile.Lookup() {
                @Override
                public String env(String name) {
                    return System.getenv(name);
                }

                @Override
                public String prop(String name) {
                    return ConfigFileInstances.this.properties.apply(name);
                }
            });
        } catch (ConfiguratorFile.ConfigException e) {
            Say.error(LOG, "{}={}: {}: {}", PROPERTY, this.properties.apply(PROPERTY), file, e.getMessage());
            return new Result(file, List.of(), 1);
        }
        Say.info(LOG, "Creating {} instance(s) from {}", instances.size(), file);
        List<ConfiguratorFile.Instance> created = new ArrayList<>();
        for (ConfiguratorFile.Instance instance : instances) {
            long start = System.nanoTime();
            try {
                if (this.configurator.getConfiguration(instance.name()).isPresent()) {
                    this.configurator.updateConfiguration(instance.name(), instance.properties());
                    Say.info(LOG, "Updated existing {} instance '{}' in {} ms", instance.factoryPid(), instance.name(),
                            PackageInstall.millis(start));
                } else {
                    Map<String, Object> properties = new LinkedHashMap<>(instance.properties());
                    // The Felix web console lists factory instances by this hint instead of the generated PID.
                    properties.putIfAbsent("webconsole.configurationFactory.nameHint", "{kura.service.pid}");
                    String pid = this.configurator.createFactoryConfiguration(instance.factoryPid(), instance.name(),
                            properties);
                    Say.info(LOG, "Instance created: {} '{}' as {} in {} ms", instance.factoryPid(), instance.name(), pid,
                            PackageInstall.millis(start));
                }
                created.add(instance);
            } catch (Exception e) {
                Say.error(LOG, "{}: \"{}\": {}", file, instance.key(), e.getMessage());
            }
        }
        return new Result(file, List.copyOf(created), instances.size());
    }
}
