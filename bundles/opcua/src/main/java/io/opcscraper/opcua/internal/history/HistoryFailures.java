package io.opcscraper.opcua.internal.history;

import org.eclipse.milo.opcua.stack.core.StatusCodes;

/**
 * The one place that tells what a HistoryRead status means for the backfill.
 *
 * <p><b>Per node</b> (a result of a request that succeeded):
 * <ul>
 * <li>Good (also Good_MoreData, Good_NoData) and Bad_NoData: values, possibly none: the server
 * has nothing more in the range.</li>
 * <li>Bad_NoContinuationPoints, Bad_ContinuationPointInvalid: the server has no room for another
 * point, or lost one (it may drop points when it is busy, or after a reconnect): temporary for that
 * node, whose gap is filled on from what it got, in a later round.</li>
 * <li>Everything else (Bad_HistoryOperationUnsupported, Bad_HistoryOperationInvalid,
 * Bad_NotReadable, Bad_UserAccessDenied, Bad_NodeIdUnknown, Bad_NodeIdInvalid, and any code we do
 * not know): the server says something about this node that asking again does not change:
 * <em>no history</em>: the node is skipped, said once, and not asked again until its catalog entry
 * changes. Never retried in a loop.</li>
 * </ul>
 * <p><b>Per request</b> (the service failed): Bad_TooManyOperations, Bad_ResponseTooLarge,
 * Bad_EncodingLimitsExceeded, Bad_TcpMessageTooLarge: the request was too big: <em>shrink</em> (half
 * the nodes per request) and go on. Bad_ServiceUnsupported: the server has no HistoryRead at all:
 * no history for every node asked. Everything else (a timeout, a lost session or connection, a busy
 * or shutting down server, no status at all): <em>temporary</em>: the gaps wait and the round is
 * retried with a capped backoff, from where each node got to.
 */
final class HistoryFailures {

    /** What the backfill does. */
    enum Verdict {
        /** Values (possibly none). */
        VALUES,
        /** The node has no history for us: skip it, say it once. */
        NO_HISTORY,
        /** Temporary for this node: fill it later from where it got to. */
        LATER,
        /** The request was too large: fewer nodes per request. */
        SHRINK,
        /** Temporary: retry after a backoff. */
        RETRY
    }

    private HistoryFailures() {
    }

    static Verdict ofNode(long statusCode) {
        if ((statusCode & 0xC0000000L) != 0x80000000L || statusCode == StatusCodes.Bad_NoData) {
            return Verdict.VALUES; // Good and Uncertain carry values
        }
        if (statusCode == StatusCodes.Bad_NoContinuationPoints || statusCode == StatusCodes.Bad_ContinuationPointInvalid) {
            return Verdict.LATER;
        }
        return Verdict.NO_HISTORY;
    }

    static Verdict ofRequest(long statusCode) {
        if (statusCode == StatusCodes.Bad_TooManyOperations || statusCode == StatusCodes.Bad_ResponseTooLarge
                || statusCode == StatusCodes.Bad_EncodingLimitsExceeded
                || statusCode == StatusCodes.Bad_TcpMessageTooLarge) {
            return Verdict.SHRINK;
        }
        if (statusCode == StatusCodes.Bad_ServiceUnsupported) {
            return Verdict.NO_HISTORY;
        }
        return Verdict.RETRY;
    }
}
