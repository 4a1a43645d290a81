package io.opcscraper.config;

/**
 * The metatype attribute types OPC Scraper uses, all of them types the Kura console accepts.
 * ({@code Character}, which bnd's metatype generator writes, breaks the console.)
 */
public enum AdType {
    STRING("String"),
    INTEGER("Integer"),
    LONG("Long"),
    DOUBLE("Double"),
    BOOLEAN("Boolean"),
    PASSWORD("Password");

    private final String metatypeName;

    AdType(String metatypeName) {
        this.metatypeName = metatypeName;
    }

    /** The name used in the metatype XML {@code type} attribute. */
    public String metatypeName() {
        return this.metatypeName;
    }
}
