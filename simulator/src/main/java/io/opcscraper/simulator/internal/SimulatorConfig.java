package io.opcscraper.simulator.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The settings of one simulator, validated by {@code PlantServer.Builder}.
 *
 * @param pkiDir null for a temporary directory
 * @param maxReferencesPerBrowse 0 = no server-side cap on references per Browse/BrowseNext response
 * @param history the history of the sensor variables ({@link History#off()} for none)
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
    History history,
    String structureDescriptions,
    int structureBlocks) {

    /**
     * The history the sensor variables keep ({@link PlantHistory}).
     *
     * @param seconds how much history is kept; 0: the variables are not historizing
     * @param backdated whether the history also covers the {@code seconds} before the server started
     * @param maxValuesPerNode at most this many values per node in one HistoryRead response
     * @param maxNodesPerRead MaxNodesPerHistoryReadData
     * @param maxContinuationPoints MaxHistoryContinuationPoints, per session
     */
    public record History(int seconds, boolean backdated, int maxValuesPerNode, int maxNodesPerRead,
                          int maxContinuationPoints) {

        public static History off() {
            return new History(0, false, 100, 250, 250);
        }

        public boolean on() {
            return seconds > 0;
        }
    }
}
