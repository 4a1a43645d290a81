package io.opcscraper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The fleet option of the command line: a list of gateway counts, each checked, naming the option and the value;
 * the backfill mode and its gap.
 */
class BenchOptionsTest {

    @Test
    void gatewaysIsAListOfCounts() throws Exception {
        BenchOptions o = BenchOptions.parse("--repo", "..", "--gateways", "1,2,4,8", "--tags", "500", "--rate", "4");
        assertEquals(List.of(1, 2, 4, 8), o.gateways());
        assertEquals(new RunSpec(500, 4, "poll", 60), o.runs().get(0));
        assertEquals(List.of(), BenchOptions.parse("--repo", "..").gateways(), "no fleet runs unless asked");
    }

    @Test
    void aBadCountIsRefusedByName() {
        for (String bad : List.of("0", "65", "two", "1,,2")) {
            BenchOptions.UsageException e = assertThrows(BenchOptions.UsageException.class,
                    () -> BenchOptions.parse("--repo", "..", "--gateways", bad));
            assertTrue(e.getMessage().contains("--gateways") && e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void eachRunOncePerSpoolMode() throws Exception {
        BenchOptions o = BenchOptions.parse("--repo", "..", "--runs", "1000x1,10000x1", "--spool-mode", "always,on-backlog",
                "--syscalls", "--idle-peer");
        assertEquals(List.of(new RunSpec(1000, 1, "poll", 60, "always"), new RunSpec(1000, 1, "poll", 60, "on-backlog"),
                new RunSpec(10000, 1, "poll", 60, "always"), new RunSpec(10000, 1, "poll", 60, "on-backlog")), o.runs());
        assertTrue(o.syscalls() && o.idlePeer());
        BenchOptions plain = BenchOptions.parse("--repo", "..", "--tags", "500");
        assertEquals(null, plain.runs().get(0).spoolMode(), "not set unless asked: the writer's default");
        assertTrue(!plain.syscalls() && !plain.idlePeer());
        Database.Settings db = new Database.Settings("jdbc:postgresql://h/d", "u", "p");
        assertTrue(GatewayConfig.json(o.runs().get(1), "opc.tcp://h:1/p", db, "t", "c", "/s")
                .contains("\"spool.mode\": \"on-backlog\""));
        assertTrue(!GatewayConfig.json(plain.runs().get(0), "opc.tcp://h:1/p", db, "t", "c", "/s").contains("spool.mode"));
    }

    @Test
    void aBadSpoolModeIsRefusedByName() {
        for (String bad : List.of("never", "always,,on-backlog", "on_backlog")) {
            BenchOptions.UsageException e = assertThrows(BenchOptions.UsageException.class,
                    () -> BenchOptions.parse("--repo", "..", "--spool-mode", bad));
            assertTrue(e.getMessage().contains("--spool-mode"), e.getMessage());
        }
    }

    @Test
    void backfillIsAModeWithAGapOf600SecondsUnlessGiven() throws Exception {
        BenchOptions o = BenchOptions.parse("--repo", "..", "--backfill");
        assertTrue(o.backfill());
        assertEquals(600, o.gapSeconds());
        assertEquals(List.of(new RunSpec(1000, 1, "poll", 60)), o.runs(), "1,000 nodes at 1 Hz unless given");
        assertEquals(30, BenchOptions.parse("--repo", "..", "--backfill", "--gap", "30").gapSeconds());
        assertEquals(false, BenchOptions.parse("--repo", "..").backfill(), "not unless asked");
        assertEquals(java.util.Map.of("history.requests.in.flight", 8, "history.values.per.request", 20000),
            BenchOptions.parse("--repo", "..", "--backfill", "--poller",
                "history.requests.in.flight=8,history.values.per.request=20000").poller());
        assertEquals(java.util.Map.of(), o.poller(), "the Poller's defaults unless given");
    }

    @Test
    void aBadGapOrAMixOfModesIsRefused() {
        for (List<String> bad : List.of(List.of("--backfill", "--gap", "0"), List.of("--backfill", "--gap", "ten"),
                List.of("--gap", "60"), List.of("--backfill", "--structures"), List.of("--backfill", "--gateways", "2"),
                List.of("--backfill", "--poller", "history.requests.in.flight"), List.of("--poller", "a.b=1"),
                List.of("--backfill", "--poller", "a.b=x"))) {
            List<String> args = new java.util.ArrayList<>(List.of("--repo", ".."));
            args.addAll(bad);
            BenchOptions.UsageException e = assertThrows(BenchOptions.UsageException.class,
                    () -> BenchOptions.parse(args.toArray(String[]::new)));
            String named = bad.contains("--gap") ? "--gap" : bad.contains("--poller") ? "--poller" : "--backfill";
            assertTrue(e.getMessage().contains(named), e.getMessage());
        }
    }

    @Test
    void theSmallGatewayOptions() throws Exception {
        BenchOptions o = BenchOptions.parse("--repo", "..", "--ballast-mb", "128", "--db-outage", "120", "--seconds", "600",
                "--histogram");
        assertEquals(128, o.ballastMb());
        assertEquals(120, o.outageSeconds());
        assertTrue(o.histogram());
        BenchOptions none = BenchOptions.parse("--repo", "..");
        assertEquals(0, none.ballastMb() + none.outageSeconds(), "no ballast, no outage unless asked");
        BenchOptions.UsageException e = assertThrows(BenchOptions.UsageException.class,
                () -> BenchOptions.parse("--repo", "..", "--db-outage", "60", "--seconds", "60"));
        assertTrue(e.getMessage().contains("--db-outage"), e.getMessage());
    }
}
