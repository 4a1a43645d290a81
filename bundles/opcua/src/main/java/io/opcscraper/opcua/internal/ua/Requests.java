package io.opcscraper.opcua.internal.ua;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

/** Waiting on Milo's futures with a timeout, and naming status codes for log lines. */
public final class Requests {

    private Requests() {
    }

    /** The result, or a {@link RequestException} naming the request and what went wrong. */
    public static <T> T await(CompletableFuture<T> future, long timeoutMs, String what) throws RequestException {
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestException(what + " interrupted", 0);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new RequestException(what + " timed out after " + timeoutMs + " ms", StatusCodes.Bad_Timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            long code = cause instanceof UaException ? ((UaException) cause).getStatusCode().getValue() : 0;
            throw new RequestException(what + " failed: " + describe(cause), code);
        }
    }

    /** "Bad_NodeIdUnknown" for a known code, else its hex value. */
    public static String name(long statusCode) {
        return StatusCodes.lookup(statusCode).map(n -> n[0]).orElse(String.format("0x%08X", statusCode));
    }

    public static String name(StatusCode statusCode) {
        return statusCode == null ? "no status" : name(statusCode.getValue());
    }

    private static String describe(Throwable cause) {
        if (cause instanceof UaException) {
            return name(((UaException) cause).getStatusCode().getValue());
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    /** A request failed; {@link #statusCode()} is its OPC UA status, 0 when it has none. */
    public static final class RequestException extends Exception {

        private static final long serialVersionUID = 1L;

        private final long statusCode;

        public RequestException(String message, long statusCode) {
            super(message);
            this.statusCode = statusCode;
        }

        public long statusCode() {
            return this.statusCode;
        }
    }
}
