package io.opcscraper.timescale.internal.ingest;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.opcscraper.api.ComponentStatus;
import io.opcscraper.api.Sample;
import io.opcscraper.testing.kura.TestSystem;
import io.opcscraper.timescale.TestDatabase;
import io.opcscraper.timescale.internal.WriterComponent;
import io.opcscraper.timescale.internal.schema.SchemaProvisioner;
import io.opcscraper.timescale.internal.schema.SchemaSettings;
import io.opcscraper.timescale.testing.PlainCrypto;
import io.opcscraper.timescale.testing.WriterTable;

/**
 * What a writer test against the real database sets up and takes down, registered with
 * {@code @RegisterExtension} (one per test, made with the test's instance): a table of its own (a
 * random name after a prefix) and a spool directory; the writers it starts, in this process
 * ({@link #start}) or as child processes ({@link #child}). After each test the children are killed,
 * the writers stopped, the table and its progress rows dropped and the spool deleted. And what the
 * writer tests ask of a writer: whether it drained, and the {@link WriterChild#sample indexed
 * samples} handed to it.
 */
final class WriterFixture implements AfterEachCallback {

    static final TestDatabase DB = TestDatabase.fromEnvironment();
    /** How long a writer test waits for the database to show what it expects, unless it says otherwise. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final WriterTable table;
    private final Path spool;
    private final List<WriterComponent> started = new ArrayList<>();
    /** Child writers, proxies: closed after the test before the writers stop, the last first. */
    private final List<AutoCloseable> resources = new ArrayList<>();

    /** A table named {@code prefix} and 16 random hex digits, and a new spool directory. */
    WriterFixture(String prefix) {
        this.table = new WriterTable(DB, prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16));
        try {
            this.spool = Files.createTempDirectory("writer-spool");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String tableName() {
        return this.table.name();
    }

    WriterTable table() {
        return this.table;
    }

    Path spool() {
        return this.spool;
    }

    /** {@link WriterTable#writerProperties} of the table, spooling in {@link #spool()}. */
    Map<String, Object> properties(String instance, String jdbcUrl) {
        return this.table.writerProperties(instance, jdbcUrl, this.spool);
    }

    /** A writer with the test's crypto service (passwords in clear) on a gateway without a MAC. */
    WriterComponent start(Map<String, Object> properties) {
        return start(properties, TestSystem.unknown());
    }

    WriterComponent start(Map<String, Object> properties, TestSystem system) {
        WriterComponent writer = new WriterComponent(new PlainCrypto(), system, properties);
        this.started.add(writer);
        return writer;
    }

    /** A child writer, a proxy: closed after the test (a child writer is killed). */
    <T extends AutoCloseable> T closeAfter(T resource) {
        this.resources.add(resource);
        return resource;
    }

    /** No problem and nothing waiting in the spool. */
    static boolean drained(WriterComponent writer) {
        ComponentStatus status = writer.status();
        return status.lastError() == null && status.counter(ComponentStatus.SPOOL_DEPTH) == 0;
    }

    /** Hands samples {@code WriterChild.sample(from)} .. {@code sample(from + count - 1)} to the writer. */
    static void accept(WriterComponent writer, long from, int count) throws Exception {
        for (long start = from; start < from + count; start += WriterChild.BATCH) {
            List<Sample> batch = new ArrayList<>(WriterChild.BATCH);
            for (long k = start; k < Math.min(from + count, start + WriterChild.BATCH); k++) {
                batch.add(WriterChild.sample(k));
            }
            writer.accept(batch);
        }
    }

    /**
     * The table provisioned, with this writer's progress in the database as a crash can leave it:
     * its marker at {@code marker} and {@code ranges} ({first, last}) committed beyond it. The
     * rows go when the table is dropped after the test.
     */
    void committedBeforeACrash(String writerId, long marker, long[]... ranges) throws SQLException {
        try (Connection c = DB.connect()) {
            new SchemaProvisioner(false).provision(c, tableName(), new SchemaSettings(0, 0, 3600, false, 60));
            try (PreparedStatement s = c.prepareStatement("INSERT INTO opcscraper_progress VALUES (?, ?, ?, now())")) {
                s.setString(1, writerId);
                s.setString(2, tableName());
                s.setLong(3, marker);
                s.execute();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO opcscraper_progress_ranges VALUES (?, ?, ?)")) {
                for (long[] range : ranges) {
                    s.setString(1, writerId);
                    s.setLong(2, range[0]);
                    s.setLong(3, range[1]);
                    s.execute();
                }
            }
        }
    }

    /**
     * Hands samples {@code from} .. {@code from + count - 1} to the writer, then waits until
     * {@code table} exists and holds {@code rows} rows and the writer has drained.
     */
    static void write(WriterComponent writer, long from, int count, WriterTable table, long rows, Duration timeout)
            throws Exception {
        accept(writer, from, count);
        await().atMost(timeout).until(() -> table.exists() && table.rows() == rows && drained(writer));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (int i = this.resources.size() - 1; i >= 0; i--) {
            this.resources.get(i).close();
        }
        this.started.forEach(WriterComponent::deactivate);
        this.table.drop();
        try (Stream<Path> files = Files.walk(this.spool)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
