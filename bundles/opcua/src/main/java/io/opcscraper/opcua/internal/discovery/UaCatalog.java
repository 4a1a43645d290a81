package io.opcscraper.opcua.internal.discovery;

import io.opcscraper.api.NodeCatalog;
import io.opcscraper.opcua.internal.connection.UaConnection;

/**
 * A catalog together with the connection it was browsed through, so a poller reads the nodes
 * from the server they came from. Private to the bundle (it hands out the connection).
 */
public interface UaCatalog extends NodeCatalog {

    UaConnection connection();
}
