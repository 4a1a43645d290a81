package io.opcscraper.opcua.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opcscraper.api.CatalogNode;
import io.opcscraper.api.ComponentStatus;
import io.opcscraper.api.Sample;
import io.opcscraper.itests.support.LogCapture;
import io.opcscraper.itests.support.TcpProxy;
import io.opcscraper.opcua.internal.connection.ConnectionComponent;
import io.opcscraper.opcua.internal.discovery.DiscoveryComponent;
import io.opcscraper.opcua.internal.poller.PollerComponent;
import io.opcscraper.opcua.testing.CollectingSink;
import io.opcscraper.opcua.testing.Components;
import io.opcscraper.opcua.testing.PlainCrypto;
import io.opcscraper.simulator.PlantServer;
import io.opcscraper.testing.kura.TestSystem;

/**
 * The history backfill against the plant simulator (Milo's server, historizing sensor variables at
 * 10 Hz, 20 values per node per response and 15 nodes per HistoryRead, so continuation points and
 * several requests are used), through a TCP proxy that cuts the connection: every value of every
 * variable that changes each period (Temperature, Pressure, Count) is stored exactly once across a
 * cut, a restart of the Poller, in poll and subscribe mode; a node that stops historizing, a gap
 * longer than {@code history.backfill.max.s} and a server that restarts without its history.
 */
class HistoryBackfillTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final long PERIOD_MS = 100;
    private static final Duration CUT = Duration.ofSeconds(6);

    @TempDir
    Path pki;

    private PlantServer plant;
    private TcpProxy proxy;
    private ConnectionComponent connection;
    private DiscoveryComponent discovery;
    private final List<PollerComponent> pollers = new ArrayList<>();
    private final CollectingSink sink = new CollectingSink();

    @BeforeEach
    void start() throws Exception {
        this.plant = plant(0, true);
        this.proxy = TcpProxy.start("127.0.0.1", this.plant.port());
        Map<String, Object> properties = Components.connection("plant", "opc.tcp://127.0.0.1:" + this.proxy.port()
                + PlantServer.PATH, this.pki);
        properties.put("endpoint.use.configured.address", true);
        this.connection = new ConnectionComponent(new PlainCrypto(), TestSystem.unknown(), properties);
        Map<String, Object> discovery = Components.discovery("plant-discovery");
        discovery.put("include.patterns", "Plant/Line01/**");
        this.discovery = new DiscoveryComponent(this.connection, discovery);
        await().atMost(TIMEOUT).until(() -> this.discovery.generation() >= 1);
    }

    private static PlantServer plant(int port, boolean backdated) throws Exception {
        return PlantServer.builder().port(port).tags(40).changeRateHz(1000.0 / PERIOD_MS).securityPolicies("None")
                .history(600).historyBackdated(backdated).maxHistoryValuesPerNode(20).maxNodesPerHistoryReadData(15)
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        this.pollers.forEach(PollerComponent::deactivate);
        this.discovery.deactivate();
        this.connection.deactivate();
        this.proxy.close();
        this.plant.close();
    }

    private PollerComponent poller(String mode, Map<String, Object> extra) {
        Map<String, Object> properties = Components.poller("plant-poller", mode,
                "poll".equals(mode) ? (int) PERIOD_MS / 2 : (int) PERIOD_MS);
        if ("poll".equals(mode)) {
            properties.put("store.on.change", true); // polling twice a period stores each change once
        }
        properties.putAll(extra);
        PollerComponent poller = new PollerComponent(this.discovery, this.sink, properties);
        this.pollers.add(poller);
        return poller;
    }

    /** Collecting: more than 3 s of values stored since {@code since} (the checks look 2 s before a fault). */
    private void awaitCollecting(Instant since) {
        await().atMost(TIMEOUT).until(() -> this.sink.matching(s -> s.timestamp().isAfter(since.plusSeconds(3)))
                .size() > 40);
    }

    /** Every node that changes each period has a value stored after {@code time}. */
    private void awaitEveryNodeAfter(Instant time) {
        await().atMost(TIMEOUT).until(() -> stored(everyPeriodNodes(), time.plusNanos(1), Instant.MAX).values().stream()
                .noneMatch(List::isEmpty));
    }

    /** Cuts the connection for {@link #CUT}; returns [cut, restored]. */
    private Instant[] cut() {
        Instant cut = Instant.now();
        this.proxy.cutOff();
        await().atMost(TIMEOUT).until(() -> !this.connection.isConnected());
        await().atMost(CUT.plusSeconds(10)).until(() -> Duration.between(cut, Instant.now()).compareTo(CUT) >= 0);
        this.proxy.restore();
        Instant restored = Instant.now();
        await().atMost(TIMEOUT).until(() -> this.connection.isConnected());
        return new Instant[] {cut, restored};
    }

    /** The sensor variables whose value changes every period. */
    private List<String> everyPeriodNodes() {
        return this.discovery.nodes().stream().map(CatalogNode::nodeId)
                .filter(id -> id.endsWith("/Temperature") || id.endsWith("/Pressure") || id.endsWith("/Count"))
                .collect(Collectors.toList());
    }

    /** Each node's stored timestamps within [from, to], in order (duplicates kept). */
    private Map<String, List<Instant>> stored(List<String> nodes, Instant from, Instant to) {
        Map<String, List<Instant>> stored = new TreeMap<>();
        nodes.forEach(id -> stored.put(id, new ArrayList<>()));
        for (Sample sample : this.sink.samples()) {
            List<Instant> times = stored.get(sample.nodeId());
            if (times != null && !sample.timestamp().isBefore(from) && !sample.timestamp().isAfter(to)) {
                times.add(sample.timestamp());
            }
        }
        stored.values().forEach(times -> times.sort(null));
        return stored;
    }

    /** Every period start in [from, to]. */
    private static List<Instant> periods(Instant from, Instant to) {
        List<Instant> periods = new ArrayList<>();
        for (long t = (from.toEpochMilli() + PERIOD_MS - 1) / PERIOD_MS * PERIOD_MS; t <= to.toEpochMilli();
                t += PERIOD_MS) {
            periods.add(Instant.ofEpochMilli(t));
        }
        return periods;
    }

    /**
     * Every period of [from, to] stored exactly once for each of {@code nodes}, once the backfill
     * has had the time to finish (it runs on its own thread; a duplicate never goes away).
     */
    private void assertEveryPeriodOnce(List<String> nodes, Instant from, Instant to) {
        await().atMost(TIMEOUT).untilAsserted(() -> assertPeriodsNow(nodes, from, to));
    }

    private void assertPeriodsNow(List<String> nodes, Instant from, Instant to) {
        List<Instant> expected = periods(from, to);
        Map<String, List<Instant>> stored = stored(nodes, from, to);
        Map<String, String> wrong = new HashMap<>();
        stored.forEach((node, times) -> {
            if (!times.equals(expected)) {
                List<Instant> missing = new ArrayList<>(expected);
                missing.removeAll(times);
                wrong.put(node, times.size() + " stored of " + expected.size() + ", missing " + missing.size()
                        + (missing.isEmpty() ? "" : " from " + missing.get(0)) + ", duplicates "
                        + (times.size() - times.stream().distinct().count()));
            }
        });
        assertEquals(Map.of(), wrong.entrySet().stream().limit(3).collect(Collectors.toMap(Map.Entry::getKey,
                Map.Entry::getValue)), "every period of " + from + " .. " + to + " once, " + nodes.size() + " nodes ("
                + wrong.size() + " wrong, the first three shown)");
    }

    private long backfilled(PollerComponent poller) {
        return poller.status().counter(ComponentStatus.SAMPLES_BACKFILLED);
    }

    @Test
    void pollModeFillsACutConnectionFromTheHistory() {
        PollerComponent poller = poller("poll", Map.of());
        awaitCollecting(Instant.now());
        Instant[] cut = cut();
        await().atMost(TIMEOUT).until(() -> backfilled(poller) >= everyPeriodNodes().size() * 50L);
        Instant until = cut[1].plusSeconds(2);
        awaitEveryNodeAfter(until);
        // Polling may miss a period of live collection under load: the checked window is the gap,
        // from just after the cut to just before the connection was back.
        assertEveryPeriodOnce(everyPeriodNodes(), cut[0].plusMillis(500), cut[1].minusMillis(500));
        assertEquals(0, duplicates(), "no (node, timestamp) stored twice");
        assertTrue(poller.status().counter(ComponentStatus.SAMPLES_READ) >= backfilled(poller),
                "read counts the backfilled values too");
    }

    @Test
    void subscribeModeFillsWhatTheQueueOfTheSubscriptionLost() {
        PollerComponent poller = poller("subscribe", Map.of());
        awaitCollecting(Instant.now());
        Instant[] cut = cut();
        await().atMost(TIMEOUT).until(() -> backfilled(poller) >= everyPeriodNodes().size() * 45L);
        Instant until = cut[1].plusSeconds(3);
        awaitEveryNodeAfter(until);
        assertEveryPeriodOnce(everyPeriodNodes(), cut[0].minusSeconds(2), cut[1].plusSeconds(2));
        assertEquals(0, duplicates());
    }

    /**
     * A new Poller instance (a restart of the gateway or the bundle) knows nothing: it asks the
     * writer where each gap begins; while the writer cannot tell, the gaps wait and say why.
     */
    @Test
    void aRestartedPollerAsksTheWriterWhereEachGapBegins() {
        PollerComponent first = poller("subscribe", Map.of());
        awaitCollecting(Instant.now());
        Instant stopped = Instant.now();
        first.deactivate();
        await().atMost(Duration.ofSeconds(20)).until(() -> Duration.between(stopped, Instant.now()).toSeconds() >= 4);
        this.sink.cannotTell("the database is unreachable");
        PollerComponent second = poller("subscribe", Map.of());
        Instant started = Instant.now();
        await().atMost(TIMEOUT).until(() -> String.valueOf(second.status().lastError())
                .contains("history backfill: the writer cannot tell what it stored (the database is unreachable)"));
        assertEquals(0, backfilled(second));
        this.sink.cannotTell(null);
        await().atMost(TIMEOUT).until(() -> backfilled(second) >= everyPeriodNodes().size() * 35L);
        await().atMost(TIMEOUT).until(() -> second.status().lastError() == null);
        assertEveryPeriodOnce(everyPeriodNodes(), stopped.minusSeconds(2), started.plusSeconds(2));
        assertEquals(0, duplicates());
    }

    @Test
    void aNodeThatStopsHistorizingIsSkippedAndTheOthersFilled() {
        List<String> nodes = everyPeriodNodes();
        String off = nodes.get(0);
        PollerComponent poller = poller("subscribe", Map.of());
        awaitCollecting(Instant.now());
        this.plant.stopHistorizing(off);
        Instant[] cut = cut();
        List<String> others = nodes.subList(1, nodes.size());
        await().atMost(TIMEOUT).until(() -> backfilled(poller) >= others.size() * 45L);
        Instant until = cut[1].plusSeconds(3);
        awaitEveryNodeAfter(until);
        assertEveryPeriodOnce(others, cut[0].minusSeconds(2), cut[1].plusSeconds(2));
        assertEquals(List.of(), stored(List.of(off), cut[0].plusSeconds(1), cut[1].minusSeconds(2)).get(off),
                "nothing filled for the node without history");
        assertEquals(null, poller.status().lastError(), "a node without history is no error");
    }

    /**
     * The catalog still says the node keeps history (no re-browse without a reconnect), the server
     * refuses (Bad_HistoryOperationUnsupported): the node is skipped, said once, and not asked again
     * when the next gaps are filled (a configuration change opens them), the others are filled.
     */
    @Test
    void aNodeWhoseHistoryTheServerRefusesIsSaidOnceAndNotAskedAgain() {
        List<String> nodes = everyPeriodNodes();
        String off = nodes.get(0);
        List<String> others = nodes.subList(1, nodes.size());
        PollerComponent first = poller("subscribe", Map.of());
        awaitCollecting(Instant.now());
        first.deactivate();
        this.plant.stopHistorizing(off);
        try (LogCapture log = new LogCapture()) {
            Instant stopped = Instant.now();
            await().atMost(Duration.ofSeconds(20)).until(() -> Duration.between(stopped, Instant.now()).toSeconds() >= 3);
            PollerComponent second = poller("subscribe", Map.of());
            await().atMost(TIMEOUT).until(() -> log.text().contains("history: filled"));
            assertEveryPeriodOnce(others, stopped.minusSeconds(1), stopped.plusSeconds(3));
            Map<String, Object> changed = Components.poller("plant-poller", "subscribe", (int) PERIOD_MS);
            changed.put("queue.size", 20);
            Instant reconfigured = Instant.now();
            second.modified(changed);
            // The new sampler's gaps hold values only when the server changed them more than once
            // while it subscribed again (a few hundred ms): usually, not always (a CI run found none).
            // So: the second round's line, or live values 2 s after the change and 3 s more.
            awaitEveryNodeAfter(reconfigured.plusSeconds(2));
            Instant settled = Instant.now();
            await().atMost(TIMEOUT).until(() -> log.text().split("history: filled", -1).length - 1 >= 2
                    || Duration.between(settled, Instant.now()).toSeconds() >= 3);
            String warning = "1 nodes have no history the server gives us: " + off + " (Bad_HistoryOperationUnsupported)";
            assertEquals(1, log.text().split(java.util.regex.Pattern.quote(warning), -1).length - 1,
                    "said once:\n" + log.text());
            assertEquals(List.of(), stored(List.of(off), stopped, reconfigured).get(off).stream()
                    .filter(t -> t.isBefore(stopped.plusSeconds(2))).toList(), "nothing filled for the refused node");
            assertEquals(null, second.status().lastError(), "a node without history is no error");
        }
        assertEquals(0, duplicates());
    }

    @Test
    void aGapLongerThanTheBoundKeepsOnlyItsNewestPart() {
        PollerComponent poller = poller("subscribe", Map.of("history.backfill.max.s", 2));
        awaitCollecting(Instant.now());
        Instant[] cut = cut();
        await().atMost(TIMEOUT).until(() -> backfilled(poller) >= everyPeriodNodes().size() * 15L);
        Instant until = cut[1].plusSeconds(3);
        awaitEveryNodeAfter(until);
        // Per node: the hole between the last value before the cut and the first after it is what
        // stays empty: the cut less the newest 2 s before the first live value (less what the
        // subscription's queue kept, 10 values: 1 s); from there on every period is stored once.
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Map<String, List<Instant>> all = stored(everyPeriodNodes(), cut[0].minusSeconds(2), Instant.MAX);
            all.forEach((node, times) -> {
                Instant before = times.stream().filter(t -> !t.isAfter(cut[0])).reduce((a, b) -> b).orElseThrow();
                Instant after = times.get(times.indexOf(before) + 1);
                long hole = Duration.between(before, after).toMillis();
                assertTrue(hole >= CUT.toMillis() - 3_000 - PERIOD_MS, node + ": only the newest 2 s of the gap are"
                        + " filled, the hole is " + hole + " ms");
                assertEquals(periods(after, until), times.subList(times.indexOf(after), times.indexOf(after)
                        + periods(after, until).size()), node + ": every period once from the newest 2 s on");
            });
        });
        assertEquals(0, duplicates());
    }

    /** The server comes back without its history: what it has (since its start) is filled, nothing fails in a loop. */
    @Test
    void aServerThatRestartsWithoutItsHistoryFillsWhatItHas() throws Exception {
        PollerComponent poller = poller("subscribe", Map.of());
        awaitCollecting(Instant.now());
        int port = this.plant.port();
        Instant down = Instant.now();
        this.plant.close();
        await().atMost(TIMEOUT).until(() -> !this.connection.isConnected());
        await().atMost(Duration.ofSeconds(20)).until(() -> Duration.between(down, Instant.now()).toSeconds() >= 4);
        this.plant = plant(port, false);
        Instant restarted = this.plant.historyStart();
        awaitEveryNodeAfter(restarted.plusSeconds(3));
        assertEquals(List.of(), stored(everyPeriodNodes(), down.plusSeconds(1), restarted.minusMillis(PERIOD_MS))
                .values().stream().flatMap(List::stream).toList(), "the server has nothing of its downtime");
        assertEveryPeriodOnce(everyPeriodNodes(), restarted, restarted.plusSeconds(2));
        assertEquals(0, duplicates());
        await().atMost(TIMEOUT).until(() -> poller.status().lastError() == null);
    }

    private long duplicates() {
        List<Sample> all = this.sink.samples();
        return all.size() - all.stream().map(s -> s.nodeId() + "|" + s.tagName() + "|" + s.timestamp()).distinct()
                .count();
    }
}
