package io.opcscraper.itests.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.opcscraper.itests.support.ChildProcess;
import io.opcscraper.itests.support.Gateway;
import io.opcscraper.itests.support.Ports;

/**
 * Issue 12: structured values end to end in the Kura-like runtime with the .dp. The plant simulator
 * program serves {@code Structures/Machine01/*} (its own structure types, described by
 * DataTypeDefinitions and a dictionary; one type described wrongly on purpose); the gateway polls
 * them into the local TimescaleDB. Checked in the database: a row per leaf with the leaf's path in
 * tagname, one status per value, hostile field names verbatim, no row of the broken type; the
 * {@code nodes} table lists each leaf with its type and unit, and every row finds its entry; the
 * gateway's log says the broken type once, and the nodes it left out once.
 */
class StructuredValuesTest {

    static final Set<String> MOTOR_ROWS = new TreeSet<>(List.of("Motor.Speed", "Motor.Status.Current",
            "Motor.Status.State", "Motor.Status.Running", "Motor.Axes[0].Position", "Motor.Axes[0].Velocity",
            "Motor.Axes[1].Position", "Motor.Axes[1].Velocity", "Motor.Axes[2].Position", "Motor.Axes[2].Velocity",
            "Motor.Temperatures[0]", "Motor.Temperatures[1]", "Motor.Torque", "Motor.Limits.Low", "Motor.Limits.High"));

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void everyLeafIsARowAndTheCatalogListsIt() throws Exception {
        String table = UaPipeline.unique("structures");
        Path work = UaPipeline.work(table);
        String writerId = null;
        ChildProcess sim = UaPipeline.simulator(work, Ports.free(), 8, 2, 1);
        try {
            Path config = UaPipeline.pollConfig(work, UaPipeline.endpoint(sim), table, 500, "Structures/**");
            Matcher summary;
            try (Gateway gateway = Gateway.start(UaPipeline.REPO, work, config, UaPipeline.env())) {
                ChildProcess out = gateway.process();
                gateway.awaitReady(Duration.ofSeconds(90));
                Awaitility.await("every leaf of the Motor, the union both ways, the catalog")
                        .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .failFast(() -> !out.isAlive())
                        .until(() -> UaPipeline.tableExists(table)
                                && tags(table, "Structures/Machine01/Motor").equals(MOTOR_ROWS)
                                && tags(table, "Structures/Machine01/Reading").size() == 2
                                && UaPipeline.number("SELECT count(*) FROM nodes WHERE clientid = " + clientOf(table)
                                        + " AND nodeid LIKE '%Structures/Machine01/Motor' AND field <> ''") == 10);
                writerId = UaPipeline.writerId(work);
                out.terminate();
                assertEquals(0, out.exitCode(Duration.ofSeconds(60)), "the gateway stops cleanly");
                summary = gateway.summary().orElseThrow(() -> new AssertionError("no summary line:\n" + out.output()));
            }
            assertEquals(summary.group(1), summary.group(2), "everything read was written: " + summary.group(0));
            assertEquals("0", summary.group(5), "quarantined: " + summary.group(0));

            assertEquals(Set.of("Reading.Level", "Reading.Code"), tags(table, "Structures/Machine01/Reading"));
            String rows = "SELECT count(*) FROM \"" + table + "\" ";
            assertEquals(0, UaPipeline.number(rows + "WHERE nodeid LIKE '%Structures/Machine01/Broken'"),
                    "the type described wrongly gives no row");
            assertEquals(0, UaPipeline.number(rows + "WHERE nodeid LIKE '%Structures/Machine01/IdleMotor'"
                    + " AND tagname = 'IdleMotor.Torque'"), "an absent optional field gives no row");
            assertEquals(0, UaPipeline.number("SELECT count(*) FROM (SELECT \"timestamp\" FROM \"" + table + "\""
                    + " WHERE nodeid LIKE '%Structures/Machine01/Motor' GROUP BY \"timestamp\""
                    + " HAVING count(DISTINCT quality) > 1) q"), "the leaves of one value share its status");
            Set<String> hostile = tags(table, "Structures/Machine01/Hostile");
            for (String name : HostileValuesTest.HOSTILE_NAMES) {
                assertTrue(hostile.contains("Hostile." + name), "the hostile field name " + name + " verbatim: "
                        + hostile);
            }

            Map<String, String> motorFields = strings("SELECT field, coalesce(data_type, '') || ' ' || coalesce("
                    + "engineering_unit, '-') || ' ' || tagname FROM nodes WHERE clientid = " + clientOf(table)
                    + " AND nodeid LIKE '%Structures/Machine01/Motor'");
            assertEquals("Double A Motor.Status.Current", motorFields.get(".Status.Current"), motorFields.toString());
            assertEquals("Double rpm Motor.Speed", motorFields.get(".Speed"));
            assertEquals("Float - Motor.Axes[].Velocity", motorFields.get(".Axes[].Velocity"));
            assertTrue(motorFields.get("").endsWith(" - Motor"), "the variable's own row: " + motorFields.get(""));
            assertEquals(0, UaPipeline.number(rows + "s WHERE s.nodeid LIKE '%Structures/%' AND NOT EXISTS"
                    + " (SELECT 1 FROM nodes n WHERE n.clientid = s.clientid AND n.nodeid = s.nodeid"
                    + " AND n.tagname = regexp_replace(s.tagname, '\\[[0-9]+\\]', '[]', 'g'))"),
                    "every row of a structure finds its catalog entry (docs/schema.md)");

            String log = Files.readString(Gateway.log(work), StandardCharsets.UTF_8);
            assertEquals(1, occurrences(log, "structure type nsu=urn:opcscraper:simulator:plant;s=DataTypes/BrokenType"
                    + " cannot be decoded"), "the broken type is said once");
            assertEquals(1, occurrences(log, "nodes that describe the server rather than the plant"),
                    "the nodes left out are said once");
        } finally {
            sim.close();
            UaPipeline.drop(table, writerId);
            try (Connection c = UaPipeline.connect(); Statement s = c.createStatement()) {
                s.execute("DELETE FROM nodes WHERE clientid LIKE '%opcua-connection' AND nodeid LIKE '%Structures/%'");
            }
        }
    }

    /**
     * The clientid of the rows of {@code table} as a SQL expression: since issue 14 it names the
     * gateway and the instance ({@code <MAC>/opcua-connection}), so it is read rather than assumed.
     */
    private static String clientOf(String table) {
        return "(SELECT clientid FROM \"" + table + "\" LIMIT 1)";
    }

    private static Set<String> tags(String table, String path) throws SQLException {
        return new TreeSet<>(strings("SELECT DISTINCT tagname, tagname FROM \"" + table
                + "\" WHERE nodeid LIKE '%;s=" + path + "' AND value IS NOT NULL").keySet());
    }

    private static Map<String, String> strings(String sql) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = UaPipeline.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.put(r.getString(1), r.getString(2));
            }
        }
        return out;
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
