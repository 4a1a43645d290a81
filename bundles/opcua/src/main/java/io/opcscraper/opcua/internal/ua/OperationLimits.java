package io.opcscraper.opcua.internal.ua;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * The server's operation limits (Server/ServerCapabilities/OperationLimits, and
 * MaxHistoryContinuationPoints from ServerCapabilities). A limit the server does not publish, or
 * publishes as 0 (no limit), gets our own cap, so one request never grows past what a small
 * gateway or the 2 MiB default message size can carry.
 */
public record OperationLimits(int maxNodesPerRead, int maxNodesPerBrowse, int maxMonitoredItemsPerCall,
        int maxNodesPerHistoryReadData, int maxHistoryContinuationPoints) {

    private static final Logger LOG = LoggerFactory.getLogger(OperationLimits.class);

    public static final int DEFAULT_NODES_PER_READ = 1000;
    public static final int DEFAULT_NODES_PER_BROWSE = 500;
    public static final int DEFAULT_MONITORED_ITEMS_PER_CALL = 1000;
    public static final int DEFAULT_NODES_PER_HISTORY_READ = 1000;
    /** Our cap on the history continuation points one session holds: a server that does not say gets few. */
    public static final int DEFAULT_HISTORY_CONTINUATION_POINTS = 100;

    private static final NodeId MAX_NODES_PER_READ = new NodeId(0, uint(11705));
    private static final NodeId MAX_NODES_PER_BROWSE = new NodeId(0, uint(11710));
    private static final NodeId MAX_MONITORED_ITEMS_PER_CALL = new NodeId(0, uint(11714));
    private static final NodeId MAX_NODES_PER_HISTORY_READ_DATA = new NodeId(0, uint(12165));
    private static final NodeId MAX_HISTORY_CONTINUATION_POINTS = new NodeId(0, uint(2737));

    public static final OperationLimits DEFAULTS = new OperationLimits(DEFAULT_NODES_PER_READ,
            DEFAULT_NODES_PER_BROWSE, DEFAULT_MONITORED_ITEMS_PER_CALL, DEFAULT_NODES_PER_HISTORY_READ,
            DEFAULT_HISTORY_CONTINUATION_POINTS);

    /** Reads the limits; a server that cannot tell gets the defaults. */
    public static OperationLimits read(OpcUaClient client, long timeoutMs) {
        try {
            List<DataValue> values = client.readValues(0, TimestampsToReturn.Neither,
                    List.of(MAX_NODES_PER_READ, MAX_NODES_PER_BROWSE, MAX_MONITORED_ITEMS_PER_CALL,
                            MAX_NODES_PER_HISTORY_READ_DATA, MAX_HISTORY_CONTINUATION_POINTS))
                    .get(timeoutMs, TimeUnit.MILLISECONDS);
            return new OperationLimits(limit(values.get(0), DEFAULT_NODES_PER_READ),
                    limit(values.get(1), DEFAULT_NODES_PER_BROWSE), limit(values.get(2), DEFAULT_MONITORED_ITEMS_PER_CALL),
                    limit(values.get(3), DEFAULT_NODES_PER_HISTORY_READ),
                    limit(values.get(4), DEFAULT_HISTORY_CONTINUATION_POINTS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DEFAULTS;
        } catch (Exception e) {
            // Optional information: without it we stay within our own caps.
            LOG.debug("cannot read the server's operation limits, using {}: {}", DEFAULTS, e.toString());
            return DEFAULTS;
        }
    }

    private static int limit(DataValue value, int cap) {
        if (value.getStatusCode() == null || !value.getStatusCode().isGood() || value.getValue().getValue() == null) {
            return cap;
        }
        Object raw = value.getValue().getValue();
        long limit = raw instanceof Number ? ((Number) raw).longValue() : 0;
        return limit <= 0 ? cap : (int) Math.min(limit, cap);
    }
}
