package io.opcscraper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The fleet option of the command line: a list of gateway counts, each checked, naming the option and the value. */
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
}
