package io.opcscraper.timescale.internal.ingest;

import static io.opcscraper.timescale.internal.ingest.WriterFixture.DB;
import static io.opcscraper.timescale.internal.ingest.WriterFixture.TIMEOUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.opcscraper.api.ComponentStatus;
import io.opcscraper.api.Sample;
import io.opcscraper.timescale.TestDatabase;
import io.opcscraper.timescale.internal.WriterComponent;
import io.opcscraper.timescale.testing.WriterTable;

/**
 * The writer over TLS with {@code ssl.mode=verify-full} against the local TimescaleDB, whose
 * server certificate (127.0.0.1, localhost) is signed by the test CA of
 * {@code scripts/timescaledb ca} (or {@code TIMESCALE_SSL_ROOT_CERT}): rows are written and the
 * server saw a TLS connection ({@code pg_stat_ssl}). With a CA that did not sign the server's
 * certificate the connection is refused, the writer says it is a certificate problem (without
 * the password) and keeps the samples in its spool.
 */
class WriterTlsTest {

    @RegisterExtension
    final WriterFixture writers = new WriterFixture("tls_");
    private final WriterTable rows = this.writers.table();

    @Test
    void verifyFullWithTheTestCaWritesOverTls() throws Exception {
        String ca = testCa();
        WriterComponent writer = writer("tls-writer", ca);
        accept(writer, 1_000);
        await().atMost(TIMEOUT).until(() -> this.rows.exists() && this.rows.rows() == 1_000);
        assertEquals(0, this.rows.duplicates());

        List<String> sessions = new ArrayList<>();
        try (Connection c = DB.connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT s.ssl, coalesce(s.version, ''), coalesce(s.cipher, '')"
                        + " FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)"
                        + " WHERE a.application_name = 'opc-scraper tls-writer'")) {
            while (r.next()) {
                sessions.add(r.getBoolean(1) + " " + r.getString(2) + " " + r.getString(3));
            }
        }
        System.out.println("WriterTlsTest: the writer's sessions in pg_stat_ssl: " + sessions);
        assertFalse(sessions.isEmpty(), "the writer's connection is in pg_stat_activity");
        assertTrue(sessions.stream().allMatch(line -> line.startsWith("true TLSv1.")),
                "every session of the writer uses TLS: " + sessions);
        assertEquals(null, writer.status().lastError());
    }

    @Test
    void verifyFullWithAnotherCaIsRefusedAndTheWriterKeepsSpooling() throws Exception {
        testCa(); // the same preconditions: the local database has TLS
        Path wrongCa = unrelatedCa();
        WriterComponent writer = writer("tls-wrong-ca", wrongCa.toString());
        accept(writer, 100);
        await().atMost(TIMEOUT).until(() -> writer.status().lastError() != null);
        String error = writer.status().lastError();
        System.out.println("WriterTlsTest: with another CA: " + error);
        String lower = error.toLowerCase(Locale.ROOT);
        assertTrue(lower.contains("ssl") && (lower.contains("certif") || lower.contains("pkix")),
                "the error names the TLS certificate problem: " + error);
        if (!DB.password().equals(DB.user())) {
            assertFalse(error.contains(DB.password()), "no password in the error: " + error);
        }
        assertEquals(100, writer.status().counter(ComponentStatus.SAMPLES_ACCEPTED));
        assertEquals(0, writer.status().counter(ComponentStatus.SAMPLES_WRITTEN));
        assertEquals(100, writer.status().counter(ComponentStatus.SPOOL_DEPTH), "the samples stay in the spool");
        accept(writer, 50);
        assertEquals(150, writer.status().counter(ComponentStatus.SPOOL_DEPTH), "it keeps spooling");
        assertFalse(this.rows.exists(), "nothing reached the database");
    }

    private WriterComponent writer(String name, String rootCert) {
        Map<String, Object> properties = this.rows.writerProperties(name, DB.url(), this.writers.spool().resolve(name));
        properties.put("ssl.mode", "verify-full");
        properties.put("ssl.root.cert", rootCert);
        return this.writers.start(properties);
    }

    private static void accept(WriterComponent writer, int count) throws Exception {
        List<Sample> batch = new ArrayList<>();
        long base = System.currentTimeMillis();
        for (int i = 0; i < count; i++) {
            batch.add(new Sample(Instant.ofEpochMilli(base).plusMillis(i), "nsu=urn:tls;s=n" + (i % 10), "tls",
                    "sensor", "tag", (double) i, 0));
        }
        writer.accept(batch);
    }

    /**
     * The CA of the local database: {@code TIMESCALE_SSL_ROOT_CERT}, else what
     * {@code scripts/timescaledb ca} prints. Another database ({@code TIMESCALE_URL}) without
     * its CA cannot be checked: the test is skipped with the reason.
     */
    static String testCa() throws IOException, InterruptedException {
        String fromEnvironment = System.getenv("TIMESCALE_SSL_ROOT_CERT");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment.trim();
        }
        Assumptions.assumeTrue(System.getenv(TestDatabase.ENV_URL) == null || System.getenv(TestDatabase.ENV_URL).isBlank(),
                "TIMESCALE_URL names another database and TIMESCALE_SSL_ROOT_CERT does not give its CA");
        Path script = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isExecutable(d.resolve("scripts/timescaledb"))) {
                script = d.resolve("scripts/timescaledb");
                break;
            }
        }
        if (script == null) {
            throw new IllegalStateException("scripts/timescaledb not found above " + Path.of("").toAbsolutePath());
        }
        Process p = new ProcessBuilder(script.toString(), "ca").redirectErrorStream(false).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.isReadable(Path.of(out))) {
            throw new IllegalStateException("'" + script + " ca' did not give the test CA: " + out + " " + err
                    + " (it needs root; or set TIMESCALE_SSL_ROOT_CERT)");
        }
        return out;
    }

    /** A real CA certificate that did not sign the server's: the first of the JDK's trust store. */
    private Path unrelatedCa() throws Exception {
        KeyStore cacerts = KeyStore.getInstance(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts")
                .toFile(), "changeit".toCharArray());
        List<String> aliases = Collections.list(cacerts.aliases());
        Collections.sort(aliases);
        Certificate certificate = cacerts.getCertificate(aliases.get(0));
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        return Files.writeString(this.writers.spool().resolve("unrelated-ca.pem"), pem);
    }
}
