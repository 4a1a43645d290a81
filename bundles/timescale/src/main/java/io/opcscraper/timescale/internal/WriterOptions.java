package io.opcscraper.timescale.internal;

import java.util.List;
import java.util.Map;

import io.opcscraper.config.Checks;
import io.opcscraper.config.ConfigReader;
import io.opcscraper.config.InvalidConfigurationException;
import io.opcscraper.config.Property;
import io.opcscraper.config.Secret;
import io.opcscraper.timescale.internal.db.ConnectionFactory;
import io.opcscraper.timescale.internal.ingest.Ingest;
import io.opcscraper.timescale.internal.schema.RowCapScope;
import io.opcscraper.timescale.internal.schema.SchemaSettings;
import io.opcscraper.timescale.internal.schema.TableNames;
import io.opcscraper.timescale.internal.spool.SpoolPolicy;

/**
 * The validated configuration of one {@code io.opcscraper.timescale.Writer} instance; the
 * metatype {@code metatype/io.opcscraper.timescale.Writer.xml} says the same (checked by a test).
 */
public record WriterOptions(String jdbcUrl, String user, Secret password, String sslMode, String sslRootCert,
        String tableName, int batchSize, int flushIntervalMs, int batchesInFlight, long maxRows, int rowCapIntervalS,
        RowCapScope rowCapScope, int retentionDays, int chunkIntervalS, boolean aggregatesEnabled,
        int aggregatesRefreshIntervalS, String spoolDir, int spoolMaxMb, String spoolMode, int spoolMemoryWindowMs,
        int spoolMemoryMaxKb, int statusIntervalS) {

    public static final String PID = "io.opcscraper.timescale.Writer";

    static final Property<String> JDBC_URL = Property.string("jdbc.url", "jdbc:postgresql://127.0.0.1:5432/postgres")
            .check(Checks::postgresJdbcUrl);
    static final Property<String> USER = Property.string("db.user", "postgres")
            .check(v -> v.isEmpty() ? "must name a database user" : Checks.label(v));
    static final Property<Secret> PASSWORD = Property.password("db.password");
    static final Property<String> SSL_MODE = Property.string("ssl.mode", "prefer").options("disable", "allow",
            "prefer", "require", "verify-ca", "verify-full");
    static final Property<String> SSL_ROOT_CERT = Property.string("ssl.root.cert", "")
            .check(Checks::absolutePathOrEmpty);
    /** The one table-name rule: {@link TableNames#tableNameProblem}. */
    static final Property<String> TABLE_NAME = Property.string("table.name", "sensor_data")
            .check(TableNames::tableNameProblem);
    static final Property<Integer> BATCH_SIZE = Property.integer("batch.size", 5000).range(1, 100_000);
    static final Property<Integer> FLUSH_INTERVAL_MS = Property.integer("flush.interval.ms", 1000).range(10, 60_000);
    static final Property<Integer> BATCHES_IN_FLIGHT = Property.integer("batches.in.flight", 2).range(1, 16);
    static final Property<Long> MAX_ROWS = Property.longValue("max.rows", 100_000L).range(0, 1_000_000_000_000L);
    static final Property<Integer> ROW_CAP_INTERVAL_S = Property.integer("row.cap.interval.s", 3600)
            .range(60, 604_800);
    static final Property<String> ROW_CAP_SCOPE = Property.string("row.cap.scope", RowCapScope.TABLE.id())
            .options(RowCapScope.TABLE.id(), RowCapScope.CLIENTID.id());
    static final Property<Integer> RETENTION_DAYS = Property.integer("retention.days", 0).range(0, 36_500);
    static final Property<Integer> CHUNK_INTERVAL_S = Property.integer("chunk.interval.s", 3600)
            .range(60, 31_536_000);
    static final Property<Boolean> AGGREGATES_ENABLED = Property.bool("aggregates.enabled", true);
    static final Property<Integer> AGGREGATES_REFRESH_INTERVAL_S = Property
            .integer("aggregates.refresh.interval.s", 60).range(5, 86_400);
    static final Property<String> SPOOL_DIR = Property.string("spool.dir", "").check(Checks::absolutePathOrEmpty);
    static final Property<Integer> SPOOL_MAX_MB = Property.integer("spool.max.mb", 512).range(1, 1_048_576);
    static final Property<String> SPOOL_MODE = Property.string("spool.mode", "always").options("always", "on-backlog");
    static final Property<Integer> SPOOL_MEMORY_WINDOW_MS = Property.integer("spool.memory.window.ms", 2000)
            .range(100, 60_000);
    static final Property<Integer> SPOOL_MEMORY_MAX_KB = Property.integer("spool.memory.max.kb", 8192)
            .range(64, 1_048_576);
    static final Property<Integer> STATUS_INTERVAL_S = Property.integer("status.interval.s", 60).range(5, 3600);

    /** Every property, in metatype order. */
    public static final List<Property<?>> PROPERTIES = List.of(JDBC_URL, USER, PASSWORD, SSL_MODE, SSL_ROOT_CERT,
            TABLE_NAME, BATCH_SIZE, FLUSH_INTERVAL_MS, BATCHES_IN_FLIGHT, MAX_ROWS, ROW_CAP_INTERVAL_S, ROW_CAP_SCOPE,
            RETENTION_DAYS, CHUNK_INTERVAL_S, AGGREGATES_ENABLED, AGGREGATES_REFRESH_INTERVAL_S, SPOOL_DIR, SPOOL_MAX_MB,
            SPOOL_MODE, SPOOL_MEMORY_WINDOW_MS, SPOOL_MEMORY_MAX_KB, STATUS_INTERVAL_S);

    public static WriterOptions parse(Map<String, ?> properties) throws InvalidConfigurationException {
        ConfigReader in = new ConfigReader(PID, properties);
        String sslMode = in.get(SSL_MODE);
        String sslRootCert = in.get(SSL_ROOT_CERT);
        if (sslMode.startsWith("verify") && sslRootCert.isEmpty()) {
            in.reject(SSL_ROOT_CERT, "is required when ssl.mode is " + sslMode);
        }
        WriterOptions options = new WriterOptions(in.get(JDBC_URL), in.get(USER), in.get(PASSWORD), sslMode,
                sslRootCert, in.get(TABLE_NAME), in.get(BATCH_SIZE), in.get(FLUSH_INTERVAL_MS),
                in.get(BATCHES_IN_FLIGHT), in.get(MAX_ROWS), in.get(ROW_CAP_INTERVAL_S),
                RowCapScope.of(in.get(ROW_CAP_SCOPE)), in.get(RETENTION_DAYS), in.get(CHUNK_INTERVAL_S),
                in.get(AGGREGATES_ENABLED), in.get(AGGREGATES_REFRESH_INTERVAL_S), in.get(SPOOL_DIR), in.get(SPOOL_MAX_MB),
                in.get(SPOOL_MODE), in.get(SPOOL_MEMORY_WINDOW_MS), in.get(SPOOL_MEMORY_MAX_KB), in.get(STATUS_INTERVAL_S));
        in.throwIfInvalid();
        return options;
    }

    /** The settings the generated schema depends on. */
    public SchemaSettings schemaSettings() {
        return new SchemaSettings(this.maxRows, this.retentionDays, this.chunkIntervalS, this.aggregatesEnabled,
                this.aggregatesRefreshIntervalS, this.rowCapIntervalS, this.rowCapScope);
    }

    /** What the ingest of this configuration needs. */
    public Ingest.Settings ingestSettings() {
        return new Ingest.Settings(new ConnectionFactory.Target(this.jdbcUrl, this.user, this.sslMode, this.sslRootCert),
                this.tableName, schemaSettings(), this.batchSize, this.flushIntervalMs, this.batchesInFlight,
                this.spoolDir, this.spoolMaxMb, spoolPolicy(), this.statusIntervalS);
    }

    /** Where the spool keeps samples: on disk before each acknowledgement, or in memory while the database keeps up. */
    public SpoolPolicy spoolPolicy() {
        return "on-backlog".equals(this.spoolMode)
                ? SpoolPolicy.onBacklog(this.spoolMemoryWindowMs, (long) this.spoolMemoryMaxKb * 1024)
                : SpoolPolicy.ALWAYS;
    }
}
