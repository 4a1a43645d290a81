package io.opcscraper.opcua.internal.structure;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.Test;

class LoadFailuresTest {

    @Test
    void whatMayGoAwayByItselfIsTemporary() {
        for (long code : new long[] {0, StatusCodes.Bad_Timeout, StatusCodes.Bad_SessionClosed,
            StatusCodes.Bad_ConnectionClosed, StatusCodes.Bad_TooManyOperations, StatusCodes.Bad_Timeout | 0x0400}) {
            assertTrue(LoadFailures.temporary(code), Long.toHexString(code));
        }
    }

    @Test
    void whatOnlyAChangeOfTheServerChangesIsPermanent() {
        for (long code : new long[] {StatusCodes.Bad_NodeIdUnknown, StatusCodes.Bad_AttributeIdInvalid,
            StatusCodes.Bad_UserAccessDenied, StatusCodes.Bad_NotReadable, StatusCodes.Bad_DecodingError,
            StatusCodes.Bad_ServiceUnsupported}) {
            assertFalse(LoadFailures.temporary(code), Long.toHexString(code));
        }
    }
}
