package io.opcscraper.simulator.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The settings of one simulator, validated by {@code PlantServer.Builder}.
 *
 * @param pkiDir null for a temporary directory
 * @param maxReferencesPerBrowse 0 = no server-side cap on references per Browse/BrowseNext response
 * @param structureDescriptions how the plant's structure types are described: "both" (DataTypeDefinitions
 *     and a dictionary), "definitions" (1.04 only), "dictionary" (1.03 only)
 * @param structureBlocks how many Block variables (a structure of 5 Doubles) {@code Structures/Blocks} has
 */
public record SimulatorConfig(
    String bindAddress,
    int port,
    int tags,
    double changeRateHz,
    Path pkiDir,
    List<String> securityPolicies,
    Map<String, String> users,
    boolean allowAnonymous,
    int maxNodesPerRead,
    int maxNodesPerBrowse,
    int maxMonitoredItemsPerCall,
    int maxReferencesPerBrowse,
    List<java.security.cert.X509Certificate> x509Users,
    String structureDescriptions,
    int structureBlocks) {
}
