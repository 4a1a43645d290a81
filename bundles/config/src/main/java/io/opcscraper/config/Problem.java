package io.opcscraper.config;

/**
 * One thing wrong with one property.
 *
 * @param property the metatype attribute id
 * @param shownValue the value as it may be shown to a user ({@code null} for secrets: never shown)
 * @param reason what is wrong, as a sentence fragment ("must be at least 100")
 */
public record Problem(String property, String shownValue, String reason) {

    @Override
    public String toString() {
        return this.shownValue == null ? "'" + this.property + "' " + this.reason
                : "'" + this.property + "' = '" + this.shownValue + "': " + this.reason;
    }
}
