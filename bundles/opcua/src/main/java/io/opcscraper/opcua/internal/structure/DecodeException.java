package io.opcscraper.opcua.internal.structure;

/**
 * A structure's body does not match its description: it ends early, has bytes left over, holds
 * a length or a type byte that cannot be, or nests too deep. The message names the field.
 */
final class DecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean located;

    DecodeException(String message) {
        this(message, false);
    }

    private DecodeException(String message, boolean located) {
        super(message);
        this.located = located;
    }

    /** This problem, said to be at field {@code path}, unless an inner field already named itself. */
    DecodeException at(CharSequence path) {
        return this.located ? this : new DecodeException("field " + path + ": " + getMessage(), true);
    }
}
