package io.opcscraper.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads one component configuration through typed {@link Property} descriptors and collects
 * every problem, so an admin sees all of them at once rather than one per save.
 *
 * <pre>
 * ConfigReader in = new ConfigReader(PID, properties);
 * int timeout = in.get(REQUEST_TIMEOUT_MS);
 * ...
 * in.throwIfInvalid();
 * </pre>
 */
public final class ConfigReader {

    private final String component;
    private final Map<String, ?> properties;
    private final List<Problem> problems = new ArrayList<>();

    /**
     * @param factoryPid the component's (factory) PID
     * @param properties the configuration as it reached the component
     */
    public ConfigReader(String factoryPid, Map<String, ?> properties) {
        Object instance = properties.get("kura.service.pid");
        this.component = instance == null ? factoryPid : factoryPid + " '" + Property.show(instance) + "'";
        this.properties = properties;
    }

    /** The value, or the default when it is missing; an invalid value is recorded and the default returned. */
    public <T> T get(Property<T> property) {
        try {
            return property.parse(this.properties.get(property.id()));
        } catch (InvalidPropertyException e) {
            this.problems.add(e.problem());
            return property.defaultValue();
        }
    }

    /** Records a problem that involves several properties at once. */
    public void reject(Property<?> property, String reason) {
        Object raw = this.properties.get(property.id());
        this.problems.add(new Problem(property.id(),
                property.type() == AdType.PASSWORD || raw == null ? null : Property.show(raw), reason));
    }

    /** The component as it appears in messages: factory PID and instance name. */
    public String component() {
        return this.component;
    }

    public void throwIfInvalid() throws InvalidConfigurationException {
        if (!this.problems.isEmpty()) {
            throw new InvalidConfigurationException(this.component, this.problems);
        }
    }
}
