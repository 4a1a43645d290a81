package io.opcscraper.opcua.internal.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.Test;

import io.opcscraper.opcua.internal.history.HistoryFailures.Verdict;

class HistoryFailuresTest {

    @Test
    void perNode() {
        assertEquals(Verdict.VALUES, HistoryFailures.ofNode(0));
        assertEquals(Verdict.VALUES, HistoryFailures.ofNode(StatusCodes.Good_MoreData));
        assertEquals(Verdict.VALUES, HistoryFailures.ofNode(StatusCodes.Good_NoData));
        assertEquals(Verdict.VALUES, HistoryFailures.ofNode(StatusCodes.Bad_NoData), "nothing in the range");
        assertEquals(Verdict.VALUES, HistoryFailures.ofNode(StatusCodes.Uncertain_NoCommunicationLastUsableValue));
        assertEquals(Verdict.LATER, HistoryFailures.ofNode(StatusCodes.Bad_NoContinuationPoints));
        assertEquals(Verdict.LATER, HistoryFailures.ofNode(StatusCodes.Bad_ContinuationPointInvalid));
        for (long code : new long[] {StatusCodes.Bad_HistoryOperationUnsupported, StatusCodes.Bad_NotReadable,
            StatusCodes.Bad_NodeIdUnknown, StatusCodes.Bad_UserAccessDenied, StatusCodes.Bad_HistoryOperationInvalid,
            0x80FF0000L}) {
            assertEquals(Verdict.NO_HISTORY, HistoryFailures.ofNode(code), Long.toHexString(code));
        }
    }

    @Test
    void perRequest() {
        assertEquals(Verdict.SHRINK, HistoryFailures.ofRequest(StatusCodes.Bad_TooManyOperations));
        assertEquals(Verdict.SHRINK, HistoryFailures.ofRequest(StatusCodes.Bad_ResponseTooLarge));
        assertEquals(Verdict.NO_HISTORY, HistoryFailures.ofRequest(StatusCodes.Bad_ServiceUnsupported));
        assertEquals(Verdict.RETRY, HistoryFailures.ofRequest(StatusCodes.Bad_Timeout));
        assertEquals(Verdict.RETRY, HistoryFailures.ofRequest(StatusCodes.Bad_SessionClosed));
        assertEquals(Verdict.RETRY, HistoryFailures.ofRequest(0), "no status: a local failure");
    }
}
