package io.opcscraper.opcua.internal.structure;

/**
 * A type's description cannot be used: it names a type nobody describes, uses what the decoder
 * does not support (a custom encoding, IsLengthInBytes, a 1.05 structure kind), or its
 * dictionary does not parse. Permanent for this description: said once, counted, skipped.
 */
final class DescriptionException extends Exception {

    private static final long serialVersionUID = 1L;

    DescriptionException(String message) {
        super(message);
    }
}
