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
    void backfillIsAModeWithAGapOf600SecondsUnlessGiven() throws Exception {
        BenchOptions o = BenchOptions.parse("--repo", "..", "--backfill");
        assertTrue(o.backfill());
        assertEquals(600, o.gapSeconds());
        assertEquals(List.of(new RunSpec(1000, 1, "poll", 60)), o.runs(), "1,000 nodes at 1 Hz unless given");
        assertEquals(30, BenchOptions.parse("--repo", "..", "--backfill", "--gap", "30").gapSeconds());
        assertEquals(false, BenchOptions.parse("--repo", "..").backfill(), "not unless asked");
    }

    @Test
    void aBadGapOrAMixOfModesIsRefused() {
        for (List<String> bad : List.of(List.of("--backfill", "--gap", "0"), List.of("--backfill", "--gap", "ten"),
                List.of("--gap", "60"), List.of("--backfill", "--structures"), List.of("--backfill", "--gateways", "2"))) {
            List<String> args = new java.util.ArrayList<>(List.of("--repo", ".."));
            args.addAll(bad);
            BenchOptions.UsageException e = assertThrows(BenchOptions.UsageException.class,
                    () -> BenchOptions.parse(args.toArray(String[]::new)));
            assertTrue(e.getMessage().contains(bad.contains("--gap") ? "--gap" : "--backfill"), e.getMessage());
        }
    }
}
