package io.opcscraper.opcua.internal.discovery;

import java.util.List;
import java.util.Map;

import io.opcscraper.config.Checks;
import io.opcscraper.config.ConfigReader;
import io.opcscraper.config.InvalidConfigurationException;
import io.opcscraper.config.Lists;
import io.opcscraper.config.Property;

/**
 * The validated configuration of one {@code io.opcscraper.opcua.Discovery} instance; the
 * metatype {@code metatype/io.opcscraper.opcua.Discovery.xml} says the same (checked by a test).
 */
public record DiscoveryOptions(String connectionTarget, List<String> browseRoots, List<String> includePatterns,
        List<String> excludePatterns, boolean followProperties, int maxDepth, int maxNodes, List<String> nodeIds,
        int rebrowseIntervalS, boolean includeServerDiagnostics) {

    public static final String PID = "io.opcscraper.opcua.Discovery";

    static final Property<String> CONNECTION_TARGET = Property
            .string("connection.target", "(kura.service.pid=opcua-connection)").check(Checks::ldapFilter);
    static final Property<String> BROWSE_ROOTS = Property.string("browse.roots", "i=85").check(Checks::nodeIdList)
            .check(v -> Lists.split(v).isEmpty() ? "must name at least one node" : null);
    static final Property<String> INCLUDE_PATTERNS = Property.string("include.patterns", "**");
    static final Property<String> EXCLUDE_PATTERNS = Property.string("exclude.patterns", "");
    static final Property<Boolean> FOLLOW_PROPERTIES = Property.bool("follow.properties", false);
    static final Property<Integer> MAX_DEPTH = Property.integer("max.depth", 20).range(1, 100);
    static final Property<Integer> MAX_NODES = Property.integer("max.nodes", 100_000).range(1, 1_000_000);
    static final Property<String> NODE_IDS = Property.string("node.ids", "").check(Checks::nodeIdList);
    static final Property<Integer> REBROWSE_INTERVAL_S = Property.integer("rebrowse.interval.s", 3600)
            .range(0, 604_800);
    static final Property<Boolean> INCLUDE_SERVER_DIAGNOSTICS = Property.bool("include.server.diagnostics", false);

    /** Every property, in metatype order. */
    public static final List<Property<?>> PROPERTIES = List.of(CONNECTION_TARGET, BROWSE_ROOTS, INCLUDE_PATTERNS,
            EXCLUDE_PATTERNS, FOLLOW_PROPERTIES, MAX_DEPTH, MAX_NODES, NODE_IDS, REBROWSE_INTERVAL_S,
            INCLUDE_SERVER_DIAGNOSTICS);

    public static DiscoveryOptions parse(Map<String, ?> properties) throws InvalidConfigurationException {
        ConfigReader in = new ConfigReader(PID, properties);
        DiscoveryOptions options = new DiscoveryOptions(in.get(CONNECTION_TARGET), Lists.split(in.get(BROWSE_ROOTS)),
                Lists.lines(in.get(INCLUDE_PATTERNS)), Lists.lines(in.get(EXCLUDE_PATTERNS)),
                in.get(FOLLOW_PROPERTIES), in.get(MAX_DEPTH), in.get(MAX_NODES), Lists.split(in.get(NODE_IDS)),
                in.get(REBROWSE_INTERVAL_S), in.get(INCLUDE_SERVER_DIAGNOSTICS));
        in.throwIfInvalid();
        return options;
    }
}
