package io.opcscraper.opcua.internal.connection;

import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.StatusCodes;

/** A connection attempt failed, with a one-line reason for the log. */
final class ConnectException extends Exception {

    private static final long serialVersionUID = 1L;

    ConnectException(String message) {
        super(message);
    }

    /** The one-line reason of a failure: the OPC UA status name where there is one. */
    static String reason(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof UaException)) {
            cause = cause.getCause();
        }
        if (cause instanceof UaException) {
            long code = ((UaException) cause).getStatusCode().getValue();
            String name = StatusCodes.lookup(code).map(n -> n[0]).orElse(String.format("0x%08X", code));
            return name + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")");
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
