package io.opcscraper.opcua.internal.poller;

import java.util.List;
import java.util.Map;

import io.opcscraper.config.Checks;
import io.opcscraper.config.ConfigReader;
import io.opcscraper.config.InvalidConfigurationException;
import io.opcscraper.config.Property;

/**
 * The validated configuration of one {@code io.opcscraper.opcua.Poller} instance; the metatype
 * {@code metatype/io.opcscraper.opcua.Poller.xml} says the same (checked by a test).
 */
public record PollerOptions(String discoveryTarget, String writerTarget, String mode, int intervalMs,
        int samplingIntervalMs, int queueSize, String deadbandType, double deadbandValue, String timestampSource,
        boolean storeOnChange, int heartbeatIntervalMs, int readsInFlight, int historyBackfillMaxS,
        int historyValuesPerRequest, int historyRequestsInFlight) {

    public static final String PID = "io.opcscraper.opcua.Poller";

    static final Property<String> DISCOVERY_TARGET = Property
            .string("discovery.target", "(kura.service.pid=opcua-discovery)").check(Checks::ldapFilter);
    static final Property<String> WRITER_TARGET = Property
            .string("writer.target", "(kura.service.pid=timescale-writer)").check(Checks::ldapFilter);
    static final Property<String> MODE = Property.string("mode", "poll").options("poll", "subscribe");
    static final Property<Integer> INTERVAL_MS = Property.integer("interval.ms", 1000).range(10, 86_400_000);
    static final Property<Integer> SAMPLING_INTERVAL_MS = Property.integer("sampling.interval.ms", 0)
            .range(0, 86_400_000);
    static final Property<Integer> QUEUE_SIZE = Property.integer("queue.size", 10).range(1, 10_000);
    static final Property<String> DEADBAND_TYPE = Property.string("deadband.type", "none").options("none",
            "absolute", "percent");
    static final Property<Double> DEADBAND_VALUE = Property.decimal("deadband.value", 0.0).range(0.0, 1.0E9);
    static final Property<String> TIMESTAMP_SOURCE = Property.string("timestamp.source", "source").options("source",
            "server", "gateway");
    static final Property<Boolean> STORE_ON_CHANGE = Property.bool("store.on.change", false);
    static final Property<Integer> HEARTBEAT_INTERVAL_MS = Property.integer("heartbeat.interval.ms", 60_000)
            .range(0, 86_400_000);
    static final Property<Integer> READS_IN_FLIGHT = Property.integer("reads.in.flight", 4).range(1, 64);
    static final Property<Integer> HISTORY_BACKFILL_MAX_S = Property.integer("history.backfill.max.s", 3600)
            .range(0, 604_800);
    static final Property<Integer> HISTORY_VALUES_PER_REQUEST = Property.integer("history.values.per.request", 10_000)
            .range(100, 100_000);
    static final Property<Integer> HISTORY_REQUESTS_IN_FLIGHT = Property.integer("history.requests.in.flight", 2)
            .range(1, 16);

    /** Every property, in metatype order. */
    public static final List<Property<?>> PROPERTIES = List.of(DISCOVERY_TARGET, WRITER_TARGET, MODE, INTERVAL_MS,
            SAMPLING_INTERVAL_MS, QUEUE_SIZE, DEADBAND_TYPE, DEADBAND_VALUE, TIMESTAMP_SOURCE, STORE_ON_CHANGE,
            HEARTBEAT_INTERVAL_MS, READS_IN_FLIGHT, HISTORY_BACKFILL_MAX_S, HISTORY_VALUES_PER_REQUEST,
            HISTORY_REQUESTS_IN_FLIGHT);

    public static PollerOptions parse(Map<String, ?> properties) throws InvalidConfigurationException {
        ConfigReader in = new ConfigReader(PID, properties);
        String deadbandType = in.get(DEADBAND_TYPE);
        double deadbandValue = in.get(DEADBAND_VALUE);
        if ("percent".equals(deadbandType) && deadbandValue > 100.0) {
            in.reject(DEADBAND_VALUE, "must be at most 100 when deadband.type is percent");
        }
        PollerOptions options = new PollerOptions(in.get(DISCOVERY_TARGET), in.get(WRITER_TARGET), in.get(MODE),
                in.get(INTERVAL_MS), in.get(SAMPLING_INTERVAL_MS), in.get(QUEUE_SIZE), deadbandType, deadbandValue,
                in.get(TIMESTAMP_SOURCE), in.get(STORE_ON_CHANGE), in.get(HEARTBEAT_INTERVAL_MS),
                in.get(READS_IN_FLIGHT), in.get(HISTORY_BACKFILL_MAX_S), in.get(HISTORY_VALUES_PER_REQUEST),
                in.get(HISTORY_REQUESTS_IN_FLIGHT));
        in.throwIfInvalid();
        return options;
    }

    /**
     * Whether gaps are filled from the server's history: on, unless {@code history.backfill.max.s}
     * is 0 or the samples take the gateway's clock (a value from the history has no gateway time).
     */
    public boolean backfills() {
        return this.historyBackfillMaxS > 0 && !"gateway".equals(this.timestampSource);
    }
}
