package io.opcscraper.kura.emulator.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One factory configuration as a snapshot keeps it: the instance name ({@code kura.service.pid}),
 * the factory PID and the properties as ConfigurationAdmin stored them (Password values as their
 * encrypted string, properties without a value absent), without the {@code service.pid} that
 * ConfigurationAdmin gave it: a boot gives a new one.
 *
 * @param name the instance name, {@code kura.service.pid}
 * @param factoryPid the factory PID
 * @param properties the stored properties (no {@code service.pid}, no bundle location)
 * @param passwords the ids of the properties the metatype declares as Password
 */
record SnapshotEntry(String name, String factoryPid, Map<String, Object> properties, Set<String> passwords) {

    SnapshotEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(factoryPid, "factoryPid");
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        passwords = Set.copyOf(passwords);
    }
}
