package io.opcscraper.itests.deployment;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the tests expect of OPC Scraper on a Kura gateway. */
final class KuraProfile {

    /** The bundles our .dp ships, and nothing else. */
    static final Set<String> OUR_BUNDLES = Set.of("io.opcscraper.api", "io.opcscraper.milo", "io.opcscraper.opcua",
            "io.opcscraper.timescale");

    static final String CONNECTION = "io.opcscraper.opcua.Connection";
    static final String DISCOVERY = "io.opcscraper.opcua.Discovery";
    static final String POLLER = "io.opcscraper.opcua.Poller";
    static final String WRITER = "io.opcscraper.timescale.Writer";

    static final List<String> PIDS = List.of(CONNECTION, DISCOVERY, POLLER, WRITER);

    /** The bundle that carries each PID's component and metatype. */
    static final Map<String, String> BUNDLE_OF_PID = Map.of(CONNECTION, "io.opcscraper.opcua", DISCOVERY,
            "io.opcscraper.opcua", POLLER, "io.opcscraper.opcua", WRITER, "io.opcscraper.timescale");

    /** One instance of each, named as the default target filters expect. */
    static final Map<String, String> INSTANCE_OF_PID = Map.of(CONNECTION, "opcua-connection", DISCOVERY,
            "opcua-discovery", POLLER, "opcua-poller", WRITER, "timescale-writer");

    private KuraProfile() {
    }
}
