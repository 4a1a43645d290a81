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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * Issue 6, "Bad input": hostile values from an OPC UA server end to end into the database. The
 * plant simulator program serves {@code Plant/Hostile/*} (a 300-character browse name, SQL, quotes,
 * a format string with backslashes, non-Latin text, a slash in a name; {@code Huge}, a
 * Double[100000]) and {@code Plant/Types/*} (NaN, infinities, strings, a Bad sensor; the standard
 * structures Range and EUInformation give their numeric fields, see StructuredValuesTest).
 * The gateway (Kura-like runtime with the .dp) collects {@code Plant/**} for about 15 s into the
 * local TimescaleDB, then stops in order. Promised, and checked: no SQL error in the gateway's log
 * or output, nothing quarantined, nothing dropped, the writer's last_error none and its spool
 * drained ({@code summary ... spooled=0}); names with quotes and SQL stored verbatim in
 * sensorname/tagname; NaN and infinities stored as NULL with their status; strings and other
 * non-numeric values not stored; the huge array capped at its first 1,000 elements.
 */
class HostileValuesTest {

    private static final Duration COLLECT = Duration.ofSeconds(15);

    /** The simulator's Plant/Hostile names (PlantNamespace.HOSTILE_NAMES), the long one built alike. */
    static final List<String> HOSTILE_NAMES = List.of(longName(300), "Robert'); DROP TABLE sensor_data;--",
            "\"quoted\"", "Format %s %d {} ${x} $1 \\ back\\slash", "Ünïcødé 温度 °C ✓", "Slash/InName");

    /** Plant/Types variables whose values are not numbers: no rows. */
    static final List<String> NOT_STORED = List.of("String", "DateTime", "Guid", "ByteString", "XmlElement", "NodeId",
            "ExpandedNodeId", "QualifiedName", "LocalizedText");

    /** What counts as an SQL error or a stuck batch in the gateway's log and output. */
    static final Pattern SQL_TROUBLE = Pattern.compile(
            "PSQLException|SQLException|syntax error|SQLSTATE|the database refused|quarantined[ =][1-9]"
                    + "|unexpected failure in the writer",
            Pattern.CASE_INSENSITIVE);

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void hostileNamesAndValuesAreStoredOrRefusedAsDocumented() throws Exception {
        String table = UaPipeline.unique("hostile");
        Path work = UaPipeline.work(table);
        String writerId = null;
        long started = System.nanoTime();
        ChildProcess sim = UaPipeline.simulator(work, Ports.free(), 40, 1, 1);
        try {
            Path config = UaPipeline.pollConfig(work, UaPipeline.endpoint(sim), table, 1000, "Plant/**");
            Matcher summary;
            Matcher lastStatus;
            try (Gateway gateway = Gateway.start(UaPipeline.REPO, work, config, UaPipeline.env())) {
                ChildProcess out = gateway.process();
                gateway.awaitReady(Duration.ofSeconds(90));
                Awaitility.await("catalog and first rows").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500)).failFast(() -> !out.isAlive())
                        .until(() -> UaPipeline.lastCatalog(out) >= 1 && UaPipeline.tableExists(table)
                                && UaPipeline.rows(table) > 0);
                writerId = UaPipeline.writerId(work);
                Thread.sleep(COLLECT.toMillis());
                lastStatus = gateway.status().orElseThrow(() -> new AssertionError("no status line"));
                out.terminate();
                assertEquals(0, out.exitCode(Duration.ofSeconds(60)), "the gateway stops cleanly");
                summary = gateway.summary().orElseThrow(() -> new AssertionError("no summary line:\n" + out.output()));
            }
            System.out.println("HostileValuesTest: " + summary.group(0) + "; last " + lastStatus.group(0));

            // The gateway: no SQL error, nothing quarantined or dropped, the spool drained.
            List<String> trouble = new ArrayList<>();
            for (Path file : List.of(Gateway.log(work), work.resolve("gateway-1.out"))) {
                if (Files.exists(file)) {
                    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                    for (int i = 0; i < lines.size(); i++) {
                        if (SQL_TROUBLE.matcher(lines.get(i)).find()) {
                            trouble.add(file.getFileName() + ":" + (i + 1) + ": " + lines.get(i));
                        }
                    }
                }
            }
            assertEquals(List.of(), trouble, "SQL errors or quarantined samples in the gateway's log");
            assertEquals("none", lastStatus.group(Gateway.STATUS_LAST_ERROR), "the writer's last_error: " + lastStatus.group(0));
            assertEquals(0, Long.parseLong(summary.group(3)), "spooled: " + summary.group(0));
            assertEquals(0, Long.parseLong(summary.group(4)), "dropped: " + summary.group(0));
            assertEquals(0, Long.parseLong(summary.group(5)), "quarantined: " + summary.group(0));
            assertEquals(Long.parseLong(summary.group(1)), Long.parseLong(summary.group(2)),
                    "everything read was written: " + summary.group(0));
            assertEquals(UaPipeline.marker(writerId), UaPipeline.rows(table), "rows = the writer's marker");

            // Hostile names: stored verbatim, sensorname the nearest Object (Hostile).
            Map<String, Long> hostile = counts(table, "SELECT tagname, count(*) FROM \"" + table
                    + "\" WHERE sensorname = 'Hostile' AND tagname NOT LIKE 'Huge[%' GROUP BY tagname");
            for (String name : HOSTILE_NAMES) {
                assertTrue(hostile.getOrDefault(name, 0L) > 0, "rows for the hostile name " + name + ": " + hostile.keySet());
            }
            assertEquals(HOSTILE_NAMES.size(), hostile.size(), "no other (mangled) names: " + hostile.keySet());
            long badValues = UaPipeline.number("SELECT count(*) FROM \"" + table + "\" WHERE sensorname = 'Hostile'"
                    + " AND tagname NOT LIKE 'Huge[%' AND (value IS NULL OR quality <> 0)");
            assertEquals(0, badValues, "the hostile-named Doubles are Good numbers");

            // The huge array: exactly its first 1,000 elements, Huge[0] to Huge[999].
            Map<String, Long> huge = counts(table, "SELECT 'n', count(DISTINCT tagname) FROM \"" + table
                    + "\" WHERE tagname LIKE 'Huge[%' UNION ALL SELECT 'first', count(*) FROM \"" + table
                    + "\" WHERE tagname = 'Huge[0]' UNION ALL SELECT 'last', count(*) FROM \"" + table
                    + "\" WHERE tagname = 'Huge[999]' UNION ALL SELECT 'beyond', count(*) FROM \"" + table
                    + "\" WHERE tagname = 'Huge[1000]'");
            assertEquals(1000L, huge.get("n"), "distinct Huge[i] tags: " + huge);
            assertTrue(huge.get("first") > 0 && huge.get("last") > 0 && huge.get("beyond") == 0, huge.toString());

            // NaN and infinities: NULL with their status (Good as the simulator serves them).
            for (String tag : List.of("NaN", "PosInf", "NegInf")) {
                Map<String, Long> special = counts(table, "SELECT coalesce(value::text, 'NULL') || ' q=' || quality,"
                        + " count(*) FROM \"" + table + "\" WHERE sensorname = 'Types' AND tagname = '" + tag
                        + "' GROUP BY 1");
                assertEquals(List.of("NULL q=0"), new ArrayList<>(special.keySet()), tag + " rows: " + special);
            }
            // A Bad read: NULL with its status Bad_SensorFailure (0x808C0000).
            Map<String, Long> bad = counts(table, "SELECT coalesce(value::text, 'NULL') || ' q=' || quality, count(*) FROM \""
                    + table + "\" WHERE sensorname = 'Types' AND tagname = 'BadSensor' GROUP BY 1");
            assertEquals(List.of("NULL q=" + 0x808C0000L), new ArrayList<>(bad.keySet()), "BadSensor rows: " + bad);

            // Strings and other non-numeric values: no rows.
            StringBuilder in = new StringBuilder();
            for (String tag : NOT_STORED) {
                in.append(in.length() == 0 ? "" : ",").append('\'').append(tag).append('\'');
            }
            long strings = UaPipeline.number("SELECT count(*) FROM \"" + table + "\" WHERE sensorname = 'Types' AND"
                    + " (tagname IN (" + in + ") OR tagname LIKE 'StringArray%')");
            assertEquals(0, strings, "rows of non-numeric variables");
            // And the numbers next to them are stored: the collection did cover Plant/Types.
            assertTrue(UaPipeline.number("SELECT count(*) FROM \"" + table
                    + "\" WHERE sensorname = 'Types' AND tagname = 'Double' AND value IS NOT NULL") > 0);

            System.out.printf("RESULT hostile values: %s rows (%d hostile names stored verbatim, Huge capped at %d"
                    + " elements, NaN/PosInf/NegInf NULL q=0, BadSensor NULL q=0x808C0000, 0 rows of %d non-numeric"
                    + " types); 0 SQL errors, quarantined=%s dropped=%s spooled=%s; test %d s%n",
                    UaPipeline.rows(table), HOSTILE_NAMES.size(), huge.get("n"), NOT_STORED.size() + 1,
                    summary.group(5), summary.group(4), summary.group(3),
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        } finally {
            sim.close();
            UaPipeline.drop(table, writerId);
        }
    }

    private static Map<String, Long> counts(String table, String sql) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (Connection c = UaPipeline.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.put(r.getString(1), r.getLong(2));
            }
        }
        return out;
    }

    static String longName(int length) {
        StringBuilder name = new StringBuilder("VeryLongName_");
        for (int i = 0; name.length() < length; i++) {
            name.append((char) ('a' + i % 26));
        }
        return name.substring(0, length);
    }
}
