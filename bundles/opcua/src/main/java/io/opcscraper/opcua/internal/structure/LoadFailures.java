package io.opcscraper.opcua.internal.structure;

import org.eclipse.milo.opcua.stack.core.StatusCodes;

/**
 * The one place that tells a temporary failure to read type descriptions from a permanent one.
 *
 * <p>Temporary: the same request can succeed later without anyone changing the server: a
 * timeout, a busy or shutting-down server, a session or connection that went away, too many
 * operations at once, a request that failed without any status (interrupted, a local error). The
 * load is retried with a capped backoff, and its types wait.
 *
 * <p>Permanent: the server's answer about this node will stay the same until someone changes the
 * server: an unknown node, an attribute it does not have, access denied, a description that does
 * not decode. The type is said once (with its id and the reason), counted and skipped; the others
 * go on.
 */
final class LoadFailures {

    private static final long[] TEMPORARY = {
        StatusCodes.Bad_Timeout, StatusCodes.Bad_RequestTimeout, StatusCodes.Bad_TooManyOperations,
        StatusCodes.Bad_OutOfMemory, StatusCodes.Bad_ResourceUnavailable,
        StatusCodes.Bad_Shutdown, StatusCodes.Bad_ServerHalted, StatusCodes.Bad_ServerNotConnected,
        StatusCodes.Bad_SessionClosed, StatusCodes.Bad_SessionIdInvalid, StatusCodes.Bad_SessionNotActivated,
        StatusCodes.Bad_ConnectionClosed, StatusCodes.Bad_SecureChannelClosed, StatusCodes.Bad_SecureChannelIdInvalid,
        StatusCodes.Bad_CommunicationError, StatusCodes.Bad_NoCommunication, StatusCodes.Bad_WaitingForInitialData,
        StatusCodes.Bad_TcpInternalError, StatusCodes.Bad_RequestInterrupted, StatusCodes.Bad_TooManySessions,
        StatusCodes.Bad_InternalError,
    };

    private LoadFailures() {
    }

    /** Whether a failure with {@code statusCode} (0: none, e.g. interrupted) may go away by itself. */
    static boolean temporary(long statusCode) {
        if (statusCode == 0) {
            return true;
        }
        long code = statusCode & 0xFFFF0000L;
        for (long temporary : TEMPORARY) {
            if (code == temporary) {
                return true;
            }
        }
        return false;
    }

    /** Reading type descriptions failed in a way that may go away: retry the load later. */
    static final class TemporaryLoadFailure extends Exception {

        private static final long serialVersionUID = 1L;

        TemporaryLoadFailure(String message) {
            super(message);
        }
    }
}
