package io.opcscraper.timescale.internal;

import static io.opcscraper.testing.fuzz.ConfigFuzz.confinePaths;
import static io.opcscraper.testing.fuzz.ConfigFuzz.fuzz;
import static io.opcscraper.testing.fuzz.ConfigFuzz.seed;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.opcscraper.api.ComponentStatus;
import io.opcscraper.api.Sample;
import io.opcscraper.config.InvalidConfigurationException;
import io.opcscraper.config.LiveConfiguration;
import io.opcscraper.testing.fuzz.ConfigFuzzer;
import io.opcscraper.timescale.TestDatabase;
import io.opcscraper.testing.kura.TestSystem;
import io.opcscraper.timescale.testing.PlainCrypto;
import io.opcscraper.timescale.testing.WriterTable;

/**
 * A seeded fuzzer over every property of the Writer PID (issue 6, "Bad input"): random text,
 * huge and negative numbers, empty values, unicode, SQL and LDAP-filter injection, wrong Java
 * types and arrays. {@link WriterOptions#parse} and {@link LiveConfiguration} never throw
 * anything but {@link InvalidConfigurationException}; every refusal names the property and
 * (unless it is the password) the value; the password never appears in a message or in the
 * logged options. Same generator and checks as the opcua bundle's {@code ConfigFuzzTest}:
 * {@link ConfigFuzzer} and {@code ConfigFuzz} (module {@code testing/config-fuzz}). Reproduce a run
 * with {@code -Dfuzz.seed=N} (the seed is printed); {@code -Dfuzz.cases=N} sets the number of cases.
 */
class ConfigFuzzTest {

    private static final TestDatabase DB = TestDatabase.fromEnvironment();

    @TempDir
    Path dir;

    @Test
    void writerOptions() {
        fuzz(WriterOptions.PID, WriterOptions.PROPERTIES, WriterOptions::parse,
                Map.of("kura.service.pid", "fuzz-writer", "db.password", "pw-valid-base-secret"));
    }

    /**
     * Fuzzed Writer instances (unreachable or unusable databases, bad spools, invalid values)
     * are constructed, fed, reconfigured and deactivated while a valid writer writes to the
     * local TimescaleDB: the valid one writes every sample, once.
     */
    @Test
    void fuzzedWritersLeaveAValidWriterUnaffected() throws Exception {
        long seed = seed("component");
        Random random = new Random(seed);
        String table = "fz_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        Map<String, Object> valid = new HashMap<>();
        valid.put("kura.service.pid", "valid-writer");
        valid.put("jdbc.url", DB.url());
        valid.put("db.user", DB.user());
        valid.put("db.password", DB.password());
        valid.put("table.name", table);
        valid.put("spool.dir", this.dir.resolve("valid").toString());
        valid.put("flush.interval.ms", 50);
        valid.put("aggregates.enabled", false);
        WriterComponent writer = new WriterComponent(new PlainCrypto(), TestSystem.unknown(), valid);
        WriterTable rows = new WriterTable(DB, table);
        try {
            ConfigFuzzer fuzzer = new ConfigFuzzer(random);
            int sent = 0;
            for (int i = 0; i < 40; i++) {
                Map<String, Object> base = new HashMap<>();
                base.put("kura.service.pid", "fuzz-" + i);
                base.put("jdbc.url", "jdbc:postgresql://127.0.0.1:1/none");
                base.put("spool.dir", this.dir.resolve("f" + i).toString());
                base.put("table.name", table); // the same table: a fuzzed writer must not harm it
                Map<String, Object> c = fuzzer.mutate(WriterOptions.PROPERTIES, base);
                confinePaths(c, this.dir.resolve("f" + i), "spool.dir", "ssl.root.cert");
                WriterComponent fuzzed = new WriterComponent(new PlainCrypto(), TestSystem.unknown(), c);
                try {
                    fuzzed.accept(List.of(sample(1_000_000 + i)));
                } catch (io.opcscraper.api.SinkUnavailableException expected) {
                    // an idle writer refuses samples, with its problem
                    assertTrue(expected.getMessage().contains("takes no samples")
                            || expected.getMessage().contains("spool"), expected.getMessage());
                }
                fuzzed.modified(fuzzer.mutate(WriterOptions.PROPERTIES, base));
                fuzzed.status();
                fuzzed.deactivate();
                List<Sample> batch = new ArrayList<>();
                for (int k = 0; k < 50; k++) {
                    batch.add(sample(sent++));
                }
                writer.accept(batch);
            }
            int expected = sent;
            await().atMost(Duration.ofSeconds(60)).until(() -> rows.exists()
                    && rows.count("SELECT count(*) FROM \"" + table + "\" WHERE clientid = 'valid'") == expected);
            assertEquals(0, rows.duplicates());
            assertEquals(0, writer.status().counter(ComponentStatus.SAMPLES_QUARANTINED));
            assertEquals(0, writer.status().counter(ComponentStatus.SAMPLES_DROPPED));
        } finally {
            writer.deactivate();
            try (Connection c = DB.connect(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS \"" + table + "\" CASCADE");
                s.execute("DELETE FROM opcscraper_progress WHERE table_name = '" + table + "'");
            } catch (SQLException e) {
                System.out.println("ConfigFuzzTest: cleanup of " + table + ": " + e.getMessage());
            }
        }
    }

    private static Sample sample(int i) {
        return new Sample(Instant.parse("2026-11-28T00:00:00Z").plusMillis(i), "nsu=urn:fuzz;s=n" + (i % 10),
                i >= 1_000_000 ? "fuzzed" : "valid", "sensor", "tag", (double) i, 0);
    }
}
