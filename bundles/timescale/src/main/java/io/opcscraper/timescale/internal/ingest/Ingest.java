package io.opcscraper.timescale.internal.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.api.CatalogNode;
import io.opcscraper.api.NodeTime;
import io.opcscraper.api.Sample;
import io.opcscraper.api.SinkUnavailableException;
import io.opcscraper.timescale.internal.batch.BatchWriter;
import io.opcscraper.timescale.internal.batch.ClientIds;
import io.opcscraper.timescale.internal.batch.Quarantine;
import io.opcscraper.timescale.internal.catalog.CatalogWriter;
import io.opcscraper.timescale.internal.db.ConnectionFactory;
import io.opcscraper.timescale.internal.db.WriteFailure;
import io.opcscraper.timescale.internal.ledger.JdbcLedgerStore;
import io.opcscraper.timescale.internal.maintenance.JobHealth;
import io.opcscraper.timescale.internal.maintenance.Maintenance;
import io.opcscraper.timescale.internal.schema.SchemaSettings;
import io.opcscraper.timescale.internal.spool.Spool;
import io.opcscraper.timescale.internal.spool.SpoolPolicy;
import io.opcscraper.timescale.internal.status.StatusFigures;
import io.opcscraper.timescale.internal.status.StatusIdentity;
import io.opcscraper.timescale.internal.status.StatusReporter;
import io.opcscraper.timescale.internal.stored.LastStoredQuery;

/**
 * One writer's ingest: the spool that acknowledges samples, and the loop that drains it into the
 * database on its own thread. The writer id, which keys the progress marker in the database, is
 * generated once and kept in the spool directory: the marker describes that spool's sequence
 * numbers, whatever the instance is called.
 */
public final class Ingest implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Ingest.class);

    /** What an ingest needs of the writer's configuration. */
    public record Settings(ConnectionFactory.Target target, String table, SchemaSettings schema, int batchSize,
            int flushIntervalMs, int batchesInFlight, String spoolDir, int spoolMaxMb, SpoolPolicy spoolPolicy,
            int statusIntervalS) {
    }

    private final Spool spool;
    private final IngestLoop loop;
    private final Thread thread;
    private final WriterStatus status;
    private final Quarantine quarantine;
    private final CatalogWriter catalogs;
    private final Maintenance maintenance;
    private final ConnectionFactory connections;
    private final String table;

    private Ingest(Spool spool, IngestLoop loop, Quarantine quarantine, CatalogWriter catalogs, Maintenance maintenance,
            WriterStatus status, String name, ConnectionFactory connections, String table) {
        this.spool = spool;
        this.connections = connections;
        this.table = table;
        this.loop = loop;
        this.quarantine = quarantine;
        this.catalogs = catalogs;
        this.maintenance = maintenance;
        this.status = status;
        this.thread = new Thread(loop, "timescale-writer-" + name);
        this.thread.setDaemon(true);
    }

    /** The configured spool directory, or the default under Kura's user directory (else the user's home). */
    public static Path spoolDirectory(String configured, String instance) {
        if (!configured.isEmpty()) {
            return Paths.get(configured);
        }
        String kuraHome = System.getProperty("kura.home");
        return kuraHome != null ? Paths.get(kuraHome, "user", "opc-scraper", "spool", instance)
                : Paths.get(System.getProperty("user.home"), ".opc-scraper", "spool", instance);
    }

    /**
     * @param host where the writer runs, for its row of {@code opcscraper_status}
     */
    public static Ingest start(String instance, Settings settings, StatusIdentity.Host host,
            ConnectionFactory.PasswordSource password) throws IOException {
        Path dir = spoolDirectory(settings.spoolDir(), instance);
        Files.createDirectories(dir);
        String writerId = writerId(dir);
        Spool spool = Spool.open(dir, (long) settings.spoolMaxMb() * 1024 * 1024, settings.spoolPolicy());
        Quarantine quarantine = new Quarantine(dir);
        WriterStatus status = new WriterStatus();
        JdbcLedgerStore store = new JdbcLedgerStore(writerId, settings.table());
        DropAccounting drops = new DropAccounting(instance, spool.maxBytes(), DropAccounting.Log.to(LOG), System::nanoTime);
        CatalogWriter catalogs = new CatalogWriter();
        ClientIds clientIds = new ClientIds();
        SchemaSettings schema = settings.schema();
        Maintenance maintenance = new Maintenance(instance, new Maintenance.Settings(settings.table(),
                schema.maxRows(), schema.retentionDays(), schema.rowCapIntervalS(), schema.rowCapScope()),
                new JobHealth(instance, settings.table(), clientIds::contains), clientIds::all);
        StatusIdentity identity = StatusIdentity.of(writerId, instance, host, settings.table(),
                settings.statusIntervalS());
        AtomicReference<Ingest> self = new AtomicReference<>();
        StatusReporter statusRow = new StatusReporter(instance, identity, () -> self.get().figures(clientIds));
        ConnectionFactory connections = new ConnectionFactory(settings.target(), password, "opc-scraper " + instance);
        IngestLoop.Parts parts = new IngestLoop.Parts(connections, spool, store,
                new BatchWriter(instance, settings.table(), store, quarantine, status.written, clientIds), catalogs,
                maintenance, drops, status, new StatusLog(instance, status, drops, quarantine), statusRow);
        IngestLoop loop = new IngestLoop(instance, new IngestLoop.Settings(settings.table(), schema,
                settings.batchSize(), settings.flushIntervalMs(), settings.batchesInFlight()), parts);
        Ingest started = new Ingest(spool, loop, quarantine, catalogs, maintenance, status, instance, connections,
                settings.table());
        self.set(started);
        started.thread.start();
        LOG.info("{}: {}; writer id {}", instance, describe(spool), writerId);
        return started;
    }

    /**
     * The spool at start, in one line. Not a backlog: released samples stay on disk until their
     * whole segment goes, and only the database's progress marker tells which sequences
     * committed; the writer logs how many wait once it has read it.
     */
    static String describe(Spool spool) {
        long first = spool.firstSequence();
        long last = spool.lastSequence();
        if (last < first) {
            return "spool " + spool.directory() + ": empty (next sequence " + (last + 1) + ")";
        }
        return "spool " + spool.directory() + ": sequences " + first + ".." + last
                + " on disk (those that committed before are skipped; how many wait is logged once the"
                + " database's progress marker is read)";
    }

    private static String writerId(Path dir) throws IOException {
        Path file = dir.resolve("writer-id");
        if (Files.isRegularFile(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        String id = UUID.randomUUID().toString();
        Path partial = dir.resolve("writer-id.partial");
        Files.writeString(partial, id, StandardCharsets.UTF_8);
        Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return id;
    }

    /** Appends durably; when this returns the samples will reach the database. */
    public void accept(List<Sample> samples) throws IOException {
        this.spool.append(samples);
        this.status.accepted.addAndGet(samples.size());
        this.loop.signal();
    }

    /** The latest catalog of a client, for the nodes table; written when the database is reachable. */
    public void catalog(String clientId, List<CatalogNode> nodes) {
        this.catalogs.offer(clientId, nodes);
        this.loop.signal();
    }

    /**
     * For each node, the newest timestamp this writer stored before the node's time
     * ({@link io.opcscraper.api.SampleSink#lastStored}). It answers from the database once
     * everything the spool accepted before the call is committed, waiting at most {@code waitMs}
     * for that: a sample still in the spool must not look like a gap. One query on a connection
     * of its own, opened and closed here.
     *
     * @throws SinkUnavailableException when the spool has not drained that far in time (the database is
     *         unreachable or catching up) or the query fails; the message says why, never a password
     */
    public Map<String, Instant> lastStored(String clientId, List<NodeTime> nodes, long waitMs)
            throws SinkUnavailableException {
        long accepted = this.spool.lastSequence();
        try {
            if (!this.loop.awaitCommitted(accepted, waitMs)) {
                throw new SinkUnavailableException("the database does not hold everything accepted yet ("
                        + Math.max(0, accepted - this.loop.committed()) + " samples wait in the spool): it cannot tell"
                        + " what was stored" + (this.status.lastError() == null ? "" : "; " + this.status.lastError()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkUnavailableException("interrupted");
        }
        try (Connection c = this.connections.open()) {
            return LastStoredQuery.newestBefore(c, this.table, clientId, nodes);
        } catch (SQLException e) {
            throw new SinkUnavailableException("reading what was stored: " + WriteFailure.of(e).describe());
        }
    }

    public WriterStatus status() {
        return this.status;
    }

    /** The spool (tests and the status of its disk use). */
    Spool spool() {
        return this.spool;
    }

    /** The figures of this writer's row of {@code opcscraper_status}; notes a current problem as the latest. */
    private StatusFigures figures(ClientIds clientIds) {
        String problem = problem();
        this.status.note(problem);
        WriterStatus.Problem latest = this.status.latest();
        return new StatusFigures(this.status.accepted(), this.status.written(), spooled(), dropped(), quarantined(),
                clientIds.all(), problem, latest == null ? null : latest.text(), latest == null ? null : latest.since());
    }

    /**
     * What is wrong now, for the status: the database's failure while the writer cannot write, else
     * a job of the database that is unhealthy, else nothing.
     */
    public String problem() {
        String error = this.status.lastError();
        return error != null ? error : this.maintenance.problem().orElse(null);
    }

    /**
     * Samples accepted and neither committed (at or below the marker) nor dropped for the spool's
     * bound. Batches that committed beyond the marker while an earlier one was in flight still
     * count until the marker passes them.
     */
    public long spooled() {
        return Math.max(0, this.spool.lastSequence()
                - Math.max(this.loop.committed(), this.spool.firstSequence() - 1));
    }

    /** Samples the spool dropped for its bound that were not written ({@link DropAccounting}). */
    public long dropped() {
        return this.loop.dropped();
    }

    public long quarantined() {
        return this.quarantine.count();
    }

    @Override
    public void close() throws IOException {
        this.loop.stop();
        try {
            this.thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        this.spool.close();
    }
}
