package io.opcscraper.itests.deployment;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.Version;

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

    /**
     * What a Kura 5.5 gateway exports (kura.md, toolchain.md), for the packages and extenders
     * our bundles use: no import of ours may have a higher floor.
     */
    static final Map<String, Version> KURA55_EXPORTS = Map.ofEntries(
            Map.entry("org.osgi.framework", new Version(1, 9, 0)),
            Map.entry("org.osgi.util.tracker", new Version(1, 5, 2)),
            Map.entry("org.osgi.service.cm", new Version(1, 6, 0)),
            Map.entry("org.osgi.service.metatype", new Version(1, 4, 0)),
            Map.entry("org.osgi.service.component", new Version(1, 4, 0)),
            Map.entry("osgi.component", new Version(1, 4, 0)),
            Map.entry("org.slf4j", new Version(1, 7, 36)),
            Map.entry("org.slf4j.helpers", new Version(1, 7, 36)),
            Map.entry("org.slf4j.spi", new Version(1, 7, 36)),
            Map.entry("org.eclipse.kura", new Version(1, 7, 0)),
            Map.entry("org.eclipse.kura.configuration", new Version(1, 2, 0)),
            Map.entry("org.eclipse.kura.crypto", new Version(1, 3, 0)));

    private KuraProfile() {
    }
}
