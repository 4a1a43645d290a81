package io.opcscraper.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The Variables one discovery found on one OPC UA server. A discovery component provides it; a
 * poller reads it.
 */
@ProviderType
public interface NodeCatalog {

    /** The client id of the connection this catalog was browsed through. */
    String clientId();

    /** A snapshot of the current nodes. */
    List<CatalogNode> nodes();

    /** Grows by one each time the set of nodes changes; lets a consumer skip unchanged catalogs. */
    long generation();
}
