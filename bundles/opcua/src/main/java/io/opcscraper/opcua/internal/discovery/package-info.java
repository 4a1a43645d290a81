/**
 * The Discovery component: browsing the server for Variables ({@code Browser}, filtered by
 * {@code PathFilter}, the server's own diagnostics left out by {@code ServerDiagnostics}), reading
 * their attributes into catalog nodes ({@code CatalogBuilder}, {@code BrowsedCatalog} with the
 * leaves of structure values, {@code CatalogTypes}); {@code UaCatalog} is what the Poller uses.
 */
package io.opcscraper.opcua.internal.discovery;
