package io.opcscraper.api;

/** A sink cannot take samples now: not configured, stopping, or its buffer is unusable. */
public class SinkUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public SinkUnavailableException(String message) {
        super(message);
    }

    public SinkUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
