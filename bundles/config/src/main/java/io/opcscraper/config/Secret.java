package io.opcscraper.config;

import java.util.Arrays;

/**
 * A Password-typed configuration value as it arrived: on Kura an AES-encrypted string. It never
 * prints its content; {@link #reveal(SecretDecoder)} gives the clear text to the one place that
 * needs it.
 */
public final class Secret {

    private static final Secret EMPTY = new Secret(new char[0]);

    private final char[] stored;

    private Secret(char[] stored) {
        this.stored = stored;
    }

    public static Secret of(char[] stored) {
        return stored.length == 0 ? EMPTY : new Secret(stored.clone());
    }

    public static Secret empty() {
        return EMPTY;
    }

    public boolean isEmpty() {
        return this.stored.length == 0;
    }

    /** The clear text, decrypted by the given decoder. The caller should wipe it after use. */
    public char[] reveal(SecretDecoder decoder) {
        return isEmpty() ? new char[0] : decoder.decode(this.stored.clone());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret && Arrays.equals(this.stored, ((Secret) other).stored);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(this.stored);
    }

    @Override
    public String toString() {
        return isEmpty() ? "(empty)" : "********";
    }
}
