package io.opcscraper.opcua.internal.discovery;

import io.opcscraper.api.NodeCatalog;
import io.opcscraper.opcua.internal.connection.UaConnection;
import io.opcscraper.opcua.internal.structure.StructureTypes;

/**
 * A catalog together with the connection it was browsed through, so a poller reads the nodes
 * from the server they came from, and the structure types that decode its values. Private to the
 * bundle (it hands out the connection).
 */
public interface UaCatalog extends NodeCatalog {

    UaConnection connection();

    /** The structure types of the current catalog, as the server describes them (never null). */
    StructureTypes structureTypes();

    /**
     * Values of structure type {@code typeId} do not match its description: the server may have
     * changed the type. Its description is read again soon.
     */
    void typeMismatch(String typeId);
}
