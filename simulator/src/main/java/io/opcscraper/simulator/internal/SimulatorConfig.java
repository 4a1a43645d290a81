package io.opcscraper.simulator.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The settings of one simulator, validated by {@code PlantServer.Builder}.
 *
 * @param pkiDir null for a temporary directory
 * @param maxReferencesPerBrowse 0 = no server-side cap on references per Browse/BrowseNext response
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
    List<java.security.cert.X509Certificate> x509Users) {
}
