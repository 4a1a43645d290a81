package io.opcscraper.opcua.internal.ua;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ViewDescription;

import io.opcscraper.opcua.internal.ua.Requests.RequestException;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * Reads and one-level browses of many nodes, in requests of at most the server's limit, each with
 * a timeout; one result per item, in order, with its own status (an item the server left out of
 * its answer gets Bad). A failed request throws; a Bad item is the caller's to judge.
 */
public final class ChunkedRequests {

    private final OpcUaClient client;
    private final long timeoutMs;
    private final int maxNodesPerRead;
    private final int maxNodesPerBrowse;

    public ChunkedRequests(OpcUaClient client, long timeoutMs, OperationLimits limits) {
        this.client = client;
        this.timeoutMs = timeoutMs;
        this.maxNodesPerRead = Math.max(1, limits.maxNodesPerRead());
        this.maxNodesPerBrowse = Math.max(1, limits.maxNodesPerBrowse());
    }

    /** The values of {@code reads}, in order. */
    public List<DataValue> read(List<ReadValueId> reads, String what) throws RequestException {
        List<DataValue> values = new ArrayList<>(reads.size());
        for (int start = 0; start < reads.size(); start += this.maxNodesPerRead) {
            List<ReadValueId> chunk = reads.subList(start, Math.min(reads.size(), start + this.maxNodesPerRead));
            DataValue[] results = Requests.await(this.client.read(0, TimestampsToReturn.Neither, chunk),
                    this.timeoutMs, "Read of " + chunk.size() + " " + what).getResults();
            for (int i = 0; i < chunk.size(); i++) {
                values.add(results != null && i < results.length ? results[i] : new DataValue(StatusCode.BAD));
            }
        }
        return values;
    }

    /** What one node's browse found. */
    public record Browsed(StatusCode status, List<ReferenceDescription> references) {
    }

    /** The references of each description (continuation points drained before the next request), in order. */
    public List<Browsed> browse(List<BrowseDescription> descriptions, String what) throws RequestException {
        List<Browsed> found = new ArrayList<>(descriptions.size());
        ViewDescription view = new ViewDescription(NodeId.NULL_VALUE, DateTime.MIN_VALUE, uint(0));
        for (int start = 0; start < descriptions.size(); start += this.maxNodesPerBrowse) {
            List<BrowseDescription> chunk = descriptions.subList(start,
                    Math.min(descriptions.size(), start + this.maxNodesPerBrowse));
            BrowseResult[] results = Requests.await(this.client.browse(view, uint(0), chunk), this.timeoutMs,
                    "Browse of " + chunk.size() + " " + what).getResults();
            for (int i = 0; i < chunk.size(); i++) {
                BrowseResult result = results != null && i < results.length ? results[i] : null;
                found.add(drain(result, what));
            }
        }
        return found;
    }

    private Browsed drain(BrowseResult first, String what) throws RequestException {
        if (first == null) {
            return new Browsed(StatusCode.BAD, List.of());
        }
        List<ReferenceDescription> references = new ArrayList<>();
        BrowseResult result = first;
        while (true) {
            if (result.getStatusCode() != null && !result.getStatusCode().isGood()) {
                return new Browsed(result.getStatusCode(), references);
            }
            if (result.getReferences() != null) {
                references.addAll(List.of(result.getReferences()));
            }
            ByteString point = result.getContinuationPoint();
            if (point == null || point.isNull() || point.length() == 0) {
                return new Browsed(StatusCode.GOOD, references);
            }
            BrowseResult[] next = Requests.await(this.client.browseNext(false, List.of(point)), this.timeoutMs,
                    "BrowseNext of " + what).getResults();
            if (next == null || next.length == 0) {
                return new Browsed(StatusCode.BAD, references);
            }
            result = next[0];
        }
    }
}
