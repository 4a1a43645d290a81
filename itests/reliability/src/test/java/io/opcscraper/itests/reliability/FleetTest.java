package io.opcscraper.itests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.opcscraper.itests.support.ChildProcess;
import io.opcscraper.itests.support.Gateway;
import io.opcscraper.itests.support.Ports;

/**
 * Issue 14: a fleet. Six gateways (each its own JVM, Kura home, spool and emulated network card,
 * {@code -Dopcscraper.emulator.mac}), all configured from <b>one template</b> (the same instance
 * names, no {@code client.id}), started within one second of each other against one empty database
 * (a role and schema of the test's own) and one plant simulator; row cap scope {@code clientid}.
 * <ul>
 * <li>concurrent provisioning: every writer provisions without error, none waits longer than
 * {@value #PROVISION_BOUND_MS} ms (its "provisioned ... in N ms" line);</li>
 * <li>six distinct clientids, {@code <MAC>/opcua-connection}, in the rows, the catalog and the status
 * rows;</li>
 * <li>the sixth gateway has a small {@code max.rows} ({@value #CAP}): its row cap holds while the
 * others write, and never touches their rows (their counts only grow, and end exact);</li>
 * <li>gateway 2 is SIGKILLed while the others go on: its status row stops moving and is "not seen"
 * by the dashboard's rule (older than three status intervals) while the others' rows are fresh; it
 * is restarted on its spool;</li>
 * <li>after the orderly stop of all: per gateway exactly once: rows of its clientid = its read
 * (= written = its progress marker; gateway 2: = what its killed run committed + what the restarted
 * run wrote, its spool's replay included), no (nodeid, timestamp) twice; every status row
 * {@code stopped} with the gateway's final figures.</li>
 * </ul>
 */
class FleetTest {

    private static final int GATEWAYS = 6;
    private static final int TAGS = 40;
    private static final int RATE_HZ = 2;
    private static final long CAP = 600;
    private static final int STATUS_INTERVAL_S = 5;
    private static final long PROVISION_BOUND_MS = 20_000;
    private static final Pattern PROVISIONED = Pattern.compile(".*Table \"[a-z0-9_]+\" provisioned for (\\w+) in (\\d+) ms.*");

    @Test
    @Timeout(value = 900, unit = TimeUnit.SECONDS)
    void sixGatewaysFromOneTemplateIntoOneDatabase() throws Exception {
        String table = "sensor_data";
        Path work = UaPipeline.work(UaPipeline.unique("fleet"));
        List<Gateway> gateways = new ArrayList<>();
        try (DbFixture.Role role = DbFixture.createRole();
                ChildProcess sim = UaPipeline.simulator(work, Ports.free(), TAGS, RATE_HZ, 1)) {
            String endpoint = UaPipeline.endpoint(sim);
            Path template = config(work.resolve("template.json"), endpoint, role, table, 0);
            Path capped = config(work.resolve("template-capped.json"), endpoint, role, table, CAP);
            Map<String, String> env = Map.of("OPCSCRAPER_DB_PASSWORD", role.password());

            // Six gateways started within one second of each other.
            long t0 = System.nanoTime();
            for (int k = 1; k <= GATEWAYS; k++) {
                gateways.add(start(work, k, k == GATEWAYS ? capped : template, env));
            }
            long spreadMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.println("[test] " + GATEWAYS + " gateways started within " + spreadMs + " ms");
            assertTrue(spreadMs < 1000, "started within one second: " + spreadMs + " ms");
            for (Gateway g : gateways) {
                g.awaitReady(Duration.ofSeconds(240));
            }
            awaitAllWriting(gateways, Duration.ofSeconds(180));

            // Concurrent provisioning: no failure, no long wait.
            for (int k = 1; k <= GATEWAYS; k++) {
                List<String> lines = Files.readAllLines(Gateway.log(dir(work, k)), StandardCharsets.UTF_8);
                Matcher m = lines.stream().map(PROVISIONED::matcher).filter(Matcher::matches).findFirst()
                        .orElseThrow(() -> new AssertionError("no provisioning line in gateway's log"));
                long ms = Long.parseLong(m.group(2));
                System.out.println("[test] gateway " + k + ": provisioned for " + m.group(1) + " in " + ms + " ms");
                assertTrue(ms <= PROVISION_BOUND_MS, "gateway " + k + " provisioned in " + ms + " ms");
                assertFalse(lines.stream().anyMatch(l -> l.contains("Provisioning table") && l.contains("failed")),
                        "gateway " + k + ": a provisioning failed");
            }

            // Distinct clientids everywhere, named by each gateway's network card.
            List<String> clients = new ArrayList<>();
            for (int k = 1; k <= GATEWAYS; k++) {
                clients.add(mac(k) + "/opcua-connection");
            }
            assertEquals(clients, strings(role, "SELECT DISTINCT clientid FROM " + role.qualified(table) + " ORDER BY 1"));
            assertEquals(clients, strings(role, "SELECT DISTINCT clientid FROM " + role.name() + ".nodes ORDER BY 1"));
            Awaitility.await("six status rows").atMost(Duration.ofSeconds(60)).until(() -> strings(role,
                    "SELECT gateway FROM " + role.name() + ".opcscraper_status ORDER BY 1").size() == GATEWAYS);
            assertEquals(clients.stream().map(c -> c.split("/")[0]).toList(),
                    strings(role, "SELECT gateway FROM " + role.name() + ".opcscraper_status ORDER BY 1"));

            // The sixth gateway's cap holds while the others write; the others' rows only grow.
            Map<String, Long> lastCounts = new LinkedHashMap<>();
            long[] cappedMax = { 0 };
            boolean[] cappedHeld = { false };
            Awaitility.await("gateway 6's row cap to run while the others write (row.cap.interval.s 60)")
                    .atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        Map<String, Long> counts = counts(role, table);
                        for (int k = 0; k < GATEWAYS - 1; k++) {
                            long before = lastCounts.getOrDefault(clients.get(k), 0L);
                            long now = counts.getOrDefault(clients.get(k), 0L);
                            assertTrue(now >= before, clients.get(k) + " lost rows: " + before + " -> " + now);
                        }
                        lastCounts.putAll(counts);
                        long capRows = counts.getOrDefault(clients.get(GATEWAYS - 1), 0L);
                        cappedMax[0] = Math.max(cappedMax[0], capRows);
                        // Right after a run of the cap: back to max.rows plus what arrived since (< 2 s of rows).
                        if (cappedMax[0] > 3 * CAP && capRows <= CAP + 2 * TAGS * RATE_HZ * 2) {
                            cappedHeld[0] = true;
                        }
                        return cappedHeld[0];
                    });
            System.out.println("[test] gateway 6 grew to " + cappedMax[0] + " rows, capped back to " + CAP
                    + " while the others wrote: " + lastCounts);

            // Gateway 2 killed: its status row stops, it is "not seen" while the others are seen.
            Gateway killed = gateways.get(1);
            killed.process().kill();
            String notSeen = "SELECT gateway FROM " + role.name() + ".opcscraper_status WHERE now() - last_seen > "
                    + (3 * STATUS_INTERVAL_S) + " * interval '1 second' ORDER BY 1";
            Awaitility.await("gateway 2 not seen, the others seen").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> strings(role, notSeen).equals(List.of(mac(2))));
            long othersBefore = counts(role, table).entrySet().stream().filter(e -> !e.getKey().startsWith(mac(2)))
                    .mapToLong(Map.Entry::getValue).sum();
            Awaitility.await("the others go on writing").atMost(Duration.ofSeconds(30)).until(() -> counts(role, table)
                    .entrySet().stream().filter(e -> !e.getKey().startsWith(mac(2))).mapToLong(Map.Entry::getValue)
                    .sum() > othersBefore + TAGS * RATE_HZ);
            // What the killed run committed (its last transactions ended long ago: it is not seen for 15 s).
            long rowsAtKill = counts(role, table).get(mac(2) + "/opcua-connection");
            gateways.set(1, start(work, 2, template, env));
            gateways.get(1).awaitReady(Duration.ofSeconds(120));
            awaitAllWriting(List.of(gateways.get(1)), Duration.ofSeconds(120));
            Awaitility.await("gateway 2 collecting again").atMost(Duration.ofSeconds(120))
                    .until(() -> gateways.get(1).status().map(m -> Long.parseLong(m.group(2)) > 0).orElse(false));
            Awaitility.await("everyone seen again").atMost(Duration.ofSeconds(60)).until(() -> strings(role, notSeen)
                    .isEmpty());

            // The orderly stop of all, then exactly once per gateway.
            List<Matcher> summaries = new ArrayList<>();
            for (Gateway g : gateways) {
                g.process().terminate();
            }
            for (Gateway g : gateways) {
                assertEquals(0, g.process().exitCode(Duration.ofSeconds(120)), "exit code of the orderly stop");
                summaries.add(g.summary().orElseThrow(() -> new AssertionError("no summary line")));
            }
            Map<String, Long> rows = counts(role, table);
            for (int k = 1; k <= GATEWAYS; k++) {
                Matcher s = summaries.get(k - 1);
                String client = clients.get(k - 1);
                String writerId = Files.readString(UaPipeline.spoolDir(dir(work, k)).resolve("writer-id")).trim();
                long marker = role.marker(writerId);
                long duplicates = number(role, "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM "
                        + role.qualified(table) + " WHERE clientid = '" + client + "' GROUP BY nodeid, \"timestamp\""
                        + " HAVING count(*) > 1) d");
                String line = "gateway " + k + " " + s.group() + "; rows=" + rows.get(client) + " marker=" + marker
                        + " duplicates=" + duplicates;
                System.out.println("[test] " + line);
                assertEquals(List.of("0", "0", "0"), List.of(s.group(3), s.group(4), s.group(5)),
                        "spooled, dropped, quarantined: " + line);
                assertEquals(0, duplicates, line);
                if (k == 2) {
                    // Every sample the killed run's spool acknowledged: committed before the kill, or written
                    // (replayed) by the restarted run, with what that run read; none twice (duplicates 0).
                    assertEquals(rowsAtKill + Long.parseLong(s.group(2)), rows.get(client),
                            "rows at the kill (" + rowsAtKill + ") + written after the restart: " + line);
                    assertTrue(Long.parseLong(s.group(2)) >= Long.parseLong(s.group(1)), line);
                } else if (k == GATEWAYS) {
                    assertEquals(s.group(1), s.group(2), "read = written: " + line);
                    assertEquals(Long.parseLong(s.group(2)), marker, line);
                    assertTrue(rows.get(client) < marker, "the cap removed rows: " + line);
                } else {
                    assertEquals(Long.parseLong(s.group(1)), rows.get(client), "rows = read: " + line);
                    assertEquals(marker, rows.get(client), line);
                }
            }
            assertEquals(List.of("stopped"), strings(role, "SELECT DISTINCT state FROM " + role.name()
                    + ".opcscraper_status"), "every writer's last row says it stopped in order");
            assertEquals(GATEWAYS, number(role, "SELECT count(*) FROM " + role.name() + ".opcscraper_status"
                    + " WHERE samples_spooled = 0 AND samples_written > 0 AND cardinality(clientids) = 1"));
        } finally {
            for (Gateway g : gateways) {
                g.close();
            }
        }
    }

    private static String mac(int k) {
        return String.format("02:00:00:00:14:%02X", k);
    }

    private static Path dir(Path work, int k) {
        return work.resolve("gateway-" + k);
    }

    private static Gateway start(Path work, int k, Path config, Map<String, String> env) throws Exception {
        return Gateway.start(UaPipeline.REPO, dir(work, k), config, env, "-Xmx256m", "-Dopcscraper.emulator.mac=" + mac(k));
    }

    /** The template every gateway uses: the same instance names, no client.id; max.rows differs for one. */
    private static Path config(Path file, String endpoint, DbFixture.Role role, String table, long maxRows)
            throws Exception {
        return UaPipeline.config(file, endpoint, role.name(), table, 1000 / RATE_HZ, "\"max.rows:Long\": " + maxRows
                + ", \"row.cap.scope\": \"clientid\", \"row.cap.interval.s:Integer\": 60, \"aggregates.enabled\": false,"
                + " \"status.interval.s:Integer\": " + STATUS_INTERVAL_S);
    }

    private static void awaitAllWriting(List<Gateway> gateways, Duration timeout) {
        Awaitility.await("every gateway writing").atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (Gateway g : gateways) {
                assertTrue(g.process().isAlive(), "a gateway exited:\n" + g.process().output());
                if (g.status().map(m -> Long.parseLong(m.group(3)) == 0).orElse(true)) {
                    return false;
                }
            }
            return true;
        });
    }

    private static Map<String, Long> counts(DbFixture.Role role, String table) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = DbFixture.admin(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT clientid, count(*) FROM " + role.qualified(table)
                        + " GROUP BY 1 ORDER BY 1")) {
            while (r.next()) {
                out.put(r.getString(1), r.getLong(2));
            }
        }
        return out;
    }

    private static List<String> strings(DbFixture.Role role, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DbFixture.admin(); PreparedStatement s = c.prepareStatement(sql);
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    private static long number(DbFixture.Role role, String sql) throws SQLException {
        try (Connection c = DbFixture.admin(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
