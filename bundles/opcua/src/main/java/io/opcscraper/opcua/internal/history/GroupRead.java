package io.opcscraper.opcua.internal.history;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryData;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResult;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadRawModifiedDetails;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opcscraper.opcua.internal.ua.NodeIdText;
import io.opcscraper.opcua.internal.ua.Requests;
import io.opcscraper.opcua.internal.ua.Requests.RequestException;

/**
 * Reads the raw history of one group of gaps (ReadRawModifiedDetails, no bounds, from the oldest
 * gap's start to the newest one's end, at most {@code valuesPerRequest} values per response:
 * numValuesPerNode = valuesPerRequest / nodes), page by page: each response's values go to the
 * caller before the next request, whose nodes are those the server gave a continuation point.
 * Every item's status is checked ({@link HistoryFailures}); every request has a timeout; points
 * left when it stops early (stopped, a failure) are released.
 */
final class GroupRead {

    private static final Logger LOG = LoggerFactory.getLogger(GroupRead.class);
    static final long REQUEST_TIMEOUT_MS = 30_000;
    private static final long RELEASE_TIMEOUT_MS = 5_000;

    /**
     * Takes the values of one response: per gap, in the order the server sent them. One call per
     * response, not per node: the writer acknowledges a delivery once it is durable (a forced
     * spool write, at most one per group commit), so a delivery per node of a 1,000-node response
     * cost 1,000 such waits and held the backfill near 2,400 values/s (bench/run --backfill).
     */
    interface Pages {
        /** @throws Stopped to end the read early: nothing of this response counts, its points are released */
        void values(List<Map.Entry<Gap, DataValue[]>> page) throws Stopped;
    }

    /** The read is to end now. */
    static final class Stopped extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /**
     * How a group ended: gaps the server had no (more) values for, gaps to fill later, gaps without
     * history with the server's status, and when the request itself failed, its verdict and why
     * (then {@code later} holds every gap not done).
     */
    record Outcome(List<Gap> done, List<Gap> later, Map<Gap, String> noHistory, HistoryFailures.Verdict failure,
            String reason) {
    }

    private final OpcUaClient client;
    private final int valuesPerRequest;
    private final BooleanSupplier stopped;

    GroupRead(OpcUaClient client, int valuesPerRequest, BooleanSupplier stopped) {
        this.client = client;
        this.valuesPerRequest = valuesPerRequest;
        this.stopped = stopped;
    }

    Outcome read(List<Gap> gaps, Pages pages) {
        List<Gap> done = new ArrayList<>();
        List<Gap> later = new ArrayList<>();
        Map<Gap, String> noHistory = new LinkedHashMap<>();
        NamespaceTable namespaces = this.client.getNamespaceTable();
        Map<Gap, HistoryReadValueId> pending = new LinkedHashMap<>();
        for (Gap gap : gaps) {
            NodeId id = NodeIdText.parse(gap.nodeId(), namespaces).orElse(null);
            if (id == null) {
                noHistory.put(gap, "its namespace is unknown to the server");
            } else {
                pending.put(gap, new HistoryReadValueId(id, null, QualifiedName.NULL_VALUE, ByteString.NULL_VALUE));
            }
        }
        long from = gaps.stream().mapToLong(Gap::from).min().orElse(0);
        long to = gaps.stream().mapToLong(Gap::to).max().orElse(0);
        ReadRawModifiedDetails details = new ReadRawModifiedDetails(false, time(from), time(to),
                uint(Math.max(1, this.valuesPerRequest / Math.max(1, pending.size()))), false);
        while (!pending.isEmpty()) {
            List<Gap> asked = new ArrayList<>(pending.keySet());
            HistoryReadResult[] results;
            try {
                if (this.stopped.getAsBoolean()) {
                    throw new Stopped();
                }
                HistoryReadResponse response = Requests.await(this.client.historyRead(details, TimestampsToReturn.Both,
                        false, new ArrayList<>(pending.values())), REQUEST_TIMEOUT_MS,
                        "HistoryRead of " + pending.size() + " nodes");
                results = response.getResults();
                if (results == null || results.length != asked.size()) {
                    throw new RequestException("HistoryRead of " + asked.size() + " nodes returned "
                            + (results == null ? "no" : results.length) + " results", 0);
                }
            } catch (RequestException e) {
                release(pending);
                later.addAll(asked);
                return new Outcome(done, later, noHistory, HistoryFailures.ofRequest(e.statusCode()), e.getMessage());
            } catch (Stopped e) {
                release(pending);
                later.addAll(asked);
                return new Outcome(done, later, noHistory, null, null);
            }
            Map<Gap, HistoryReadValueId> next = new LinkedHashMap<>();
            List<Map.Entry<Gap, DataValue[]>> page = new ArrayList<>();
            List<Gap> ended = new ArrayList<>();
            for (int i = 0; i < asked.size(); i++) {
                Gap gap = asked.get(i);
                HistoryReadResult result = results[i];
                StatusCode status = result.getStatusCode() == null ? StatusCode.GOOD : result.getStatusCode();
                HistoryFailures.Verdict verdict = HistoryFailures.ofNode(status.getValue());
                ByteString point = result.getContinuationPoint();
                if (verdict == HistoryFailures.Verdict.VALUES) {
                    page.add(Map.entry(gap, values(result)));
                    if (point != null && point.isNotNull()) {
                        next.put(gap, withPoint(pending.get(gap), point));
                    } else {
                        ended.add(gap);
                    }
                } else if (verdict == HistoryFailures.Verdict.LATER) {
                    later.add(gap);
                } else {
                    noHistory.put(gap, Requests.name(status));
                }
            }
            try {
                if (!page.isEmpty()) {
                    pages.values(page);
                }
            } catch (Stopped e) {
                // Nothing of this response was delivered: every gap in it is filled later from
                // where it was, and the points the server gave for the next pages are released.
                release(next);
                page.forEach(entry -> later.add(entry.getKey()));
                return new Outcome(done, later, noHistory, null, null);
            }
            done.addAll(ended);
            pending = next;
        }
        return new Outcome(done, later, noHistory, null, null);
    }

    private DataValue[] values(HistoryReadResult result) {
        ExtensionObject encoded = result.getHistoryData();
        if (encoded == null) {
            return new DataValue[0];
        }
        Object decoded = encoded.decodeOrNull(this.client.getStaticSerializationContext());
        if (decoded instanceof HistoryData && ((HistoryData) decoded).getDataValues() != null) {
            return ((HistoryData) decoded).getDataValues();
        }
        LOG.debug("a HistoryRead result that is not HistoryData: {}", encoded.getEncodingId());
        return new DataValue[0];
    }

    private static HistoryReadValueId withPoint(HistoryReadValueId id, ByteString point) {
        return new HistoryReadValueId(id.getNodeId(), id.getIndexRange(), id.getDataEncoding(), point);
    }

    /** Tells the server to free the points of {@code pending} (best effort: a lost session frees them too). */
    private void release(Map<Gap, HistoryReadValueId> pending) {
        List<HistoryReadValueId> points = new ArrayList<>();
        for (HistoryReadValueId id : pending.values()) {
            if (id.getContinuationPoint() != null && id.getContinuationPoint().isNotNull()) {
                points.add(id);
            }
        }
        if (points.isEmpty()) {
            return;
        }
        try {
            Requests.await(this.client.historyRead(new ReadRawModifiedDetails(false, DateTime.MIN_VALUE,
                    DateTime.MIN_VALUE, uint(0), false), TimestampsToReturn.Both, true, points), RELEASE_TIMEOUT_MS,
                    "HistoryRead releasing " + points.size() + " continuation points");
        } catch (RequestException e) {
            LOG.debug("{}", e.getMessage());
        }
    }

    private static DateTime time(long micros) {
        return new DateTime(GapRule.instant(micros));
    }
}
