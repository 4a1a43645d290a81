package io.opcscraper.simulator.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.serialization.SerializationContext;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryData;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadDetails;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadResult;
import org.eclipse.milo.opcua.stack.core.types.structured.HistoryReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadRawModifiedDetails;

/**
 * The history of the historizing variables, served through HistoryRead with ReadRawModifiedDetails.
 * Nothing is stored: the values are a function of the period ({@link ValueModel}), so the history of
 * a variable is its value at the first period of the history (the period the server starts in) and
 * at every later period where the value changed (as a data change filter sees it), each with the period's start as source and server
 * timestamp. It begins when the server starts ({@code historySeconds} earlier when backdated: as if
 * the plant had recorded before this process ran) and keeps the last {@code historySeconds}: a
 * restarted server has lost what it had.
 *
 * <p>Each response holds at most {@code maxValuesPerNode} values per node (and at most the request's
 * numValuesPerNode), the rest behind a continuation point (16 random bytes, per session, at most
 * {@code maxContinuationPoints} per session, else Bad_NoContinuationPoints; released by a request
 * with releaseContinuationPoints, when it is used, and when its session closes).
 */
final class PlantHistory {

    /** One variable's remaining range, behind a continuation point. */
    private record Pending(NodeId nodeId, long nextK, long lastK, boolean forward, long limit) {
    }

    /** What the namespace knows of a variable that history needs. */
    interface Variable {
        Kind kind();

        int seed();

        boolean historizing();
    }

    private static final StatusCode BAD_CONTINUATION_POINT_INVALID =
        new StatusCode(StatusCodes.Bad_ContinuationPointInvalid);
    private static final StatusCode GOOD_MORE_DATA = new StatusCode(StatusCodes.Good_MoreData);

    private final ValueModel model;
    private final double changeRateHz;
    private final LongSupplier clockMillis;
    private final SimulatorConfig.History config;
    private final SerializationContext serialization;
    private final long firstPeriod;
    /** By session id. */
    private final ContinuationPoints<Pending> points;

    PlantHistory(ValueModel model, double changeRateHz, LongSupplier clockMillis, SimulatorConfig.History config,
                 SerializationContext serialization) {
        this.model = model;
        this.changeRateHz = changeRateHz;
        this.clockMillis = clockMillis;
        this.config = config;
        this.serialization = serialization;
        this.points = new ContinuationPoints<>(config.maxContinuationPoints());
        long start = clockMillis.getAsLong() - (config.backdated() ? config.seconds() * 1000L : 0);
        this.firstPeriod = ValueModel.period(start, changeRateHz); // the value the server has at its start
    }

    /** Where the history begins now: the start of its first period, or of the oldest one kept. */
    Instant start() {
        return Instant.ofEpochMilli(ValueModel.periodStart(oldestPeriod(), changeRateHz));
    }

    private long oldestPeriod() {
        return Math.max(firstPeriod, ceilPeriod(clockMillis.getAsLong() - config.seconds() * 1000L));
    }

    /** Continuation points held now, over every session. */
    int continuationPoints() {
        return points.size();
    }

    /** Releases the given continuation points (whichever session holds them). */
    void release(List<ByteString> released) {
        released.forEach(points::release);
    }

    void sessionClosed(NodeId sessionId) {
        points.forget(sessionId);
    }

    void clear() {
        points.clear();
    }

    /** Reads the history of {@code ids} for one session; {@code variables} finds a node's variable or null. */
    List<HistoryReadResult> read(NodeId sessionId, HistoryReadDetails details, TimestampsToReturn timestamps,
                                 List<HistoryReadValueId> ids, Function<NodeId, Variable> variables) {
        List<HistoryReadResult> results = new ArrayList<>(ids.size());
        for (HistoryReadValueId id : ids) {
            results.add(readOne(sessionId, details, timestamps, id, variables.apply(id.getNodeId())));
        }
        return results;
    }

    private HistoryReadResult readOne(NodeId sessionId, HistoryReadDetails details, TimestampsToReturn timestamps,
                                      HistoryReadValueId id, Variable variable) {
        if (variable == null) {
            return failed(StatusCodes.Bad_NodeIdUnknown);
        }
        if (!variable.historizing()) {
            return failed(StatusCodes.Bad_HistoryOperationUnsupported);
        }
        if (!(details instanceof ReadRawModifiedDetails raw) || Boolean.TRUE.equals(raw.getIsReadModified())) {
            return failed(StatusCodes.Bad_HistoryOperationUnsupported);
        }
        Pending pending;
        ByteString point = id.getContinuationPoint();
        if (point != null && point.isNotNull()) {
            pending = points.take(sessionId, point);
            if (pending == null || !pending.nodeId().equals(id.getNodeId())) {
                return new HistoryReadResult(BAD_CONTINUATION_POINT_INVALID, null, null);
            }
        } else {
            pending = range(id.getNodeId(), raw);
            if (pending == null) {
                return failed(StatusCodes.Bad_HistoryOperationInvalid);
            }
        }
        return page(sessionId, pending, variable, timestamps);
    }

    /** The periods a request covers, clamped to what the history holds now; null when invalid. */
    private Pending range(NodeId nodeId, ReadRawModifiedDetails raw) {
        long startMs = millis(raw.getStartTime());
        long endMs = millis(raw.getEndTime());
        long limit = raw.getNumValuesPerNode() == null ? 0 : raw.getNumValuesPerNode().longValue();
        if (startMs < 0 && endMs < 0) {
            return null;
        }
        if ((startMs < 0 || endMs < 0) && limit == 0) {
            return null; // Part 11: with one time only, numValuesPerNode says how far to read
        }
        boolean forward = endMs < 0 || (startMs >= 0 && startMs <= endMs);
        long oldest = oldestPeriod();
        long newest = ValueModel.period(clockMillis.getAsLong(), changeRateHz);
        if (!forward) { // (end, start], newest first
            long from = startMs < 0 ? newest : ValueModel.period(startMs, changeRateHz);
            long to = endMs < 0 ? oldest : ValueModel.period(endMs, changeRateHz) + 1;
            return new Pending(nodeId, Math.min(from, newest), Math.max(to, oldest), false, limit);
        }
        long from = startMs < 0 ? oldest : ceilPeriod(startMs);
        long to = endMs < 0 ? newest : ceilPeriod(endMs) - 1; // [start, end)
        return new Pending(nodeId, Math.max(from, oldest), Math.min(to, newest), true, limit);
    }

    /** One page of values of {@code pending}, with a continuation point when more remain. */
    private HistoryReadResult page(NodeId sessionId, Pending pending, Variable variable,
                                   TimestampsToReturn timestamps) {
        long perPage = config.maxValuesPerNode();
        if (pending.limit() > 0) {
            perPage = Math.min(perPage, pending.limit());
        }
        List<DataValue> values = new ArrayList<>();
        long step = pending.forward() ? 1 : -1;
        long k = pending.nextK();
        for (; pending.forward() ? k <= pending.lastK() : k >= pending.lastK(); k += step) {
            if (!recorded(variable, k)) {
                continue;
            }
            if (values.size() == perPage) {
                break;
            }
            values.add(value(variable, k, timestamps));
        }
        boolean more = pending.forward() ? k <= pending.lastK() : k >= pending.lastK();
        ByteString point = ByteString.NULL_VALUE;
        StatusCode status = StatusCode.GOOD;
        if (more) {
            point = points.add(sessionId, new Pending(pending.nodeId(), k, pending.lastK(), pending.forward(),
                pending.limit()));
            if (point == null) {
                return failed(StatusCodes.Bad_NoContinuationPoints);
            }
            status = GOOD_MORE_DATA;
        }
        HistoryData data = new HistoryData(values.toArray(new DataValue[0]));
        return new HistoryReadResult(status, point, ExtensionObject.encode(serialization, data));
    }

    /** Whether the history holds a value at period k: the first period, or a change. */
    private boolean recorded(Variable variable, long k) {
        return k == firstPeriod || ValueModel.changes(variable.kind(), variable.seed(), k - 1, k, changeRateHz) > 0;
    }

    private DataValue value(Variable variable, long k, TimestampsToReturn timestamps) {
        long start = ValueModel.periodStart(k, changeRateHz);
        DateTime time = new DateTime(Instant.ofEpochMilli(start));
        Object value = model.compute(variable.kind(), variable.seed(), k, start);
        boolean source = timestamps != TimestampsToReturn.Server && timestamps != TimestampsToReturn.Neither;
        boolean server = timestamps == TimestampsToReturn.Server || timestamps == TimestampsToReturn.Both;
        return new DataValue(new Variant(value), StatusCode.GOOD, source ? time : null, server ? time : null);
    }

    /** The first period that starts at or after {@code millis}. */
    private long ceilPeriod(long millis) {
        long k = ValueModel.period(millis, changeRateHz);
        return ValueModel.periodStart(k, changeRateHz) < millis ? k + 1 : k;
    }

    /** Milliseconds since the epoch, or -1 for a missing time (null or MinDateTime). */
    private static long millis(DateTime time) {
        return time == null || time.getUtcTime() <= 0 ? -1 : time.getJavaTime();
    }

    private static HistoryReadResult failed(long statusCode) {
        return new HistoryReadResult(new StatusCode(statusCode), null, null);
    }
}
