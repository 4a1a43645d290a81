package io.opcscraper.opcua.internal.connection;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;

/** Told when a session becomes active (first connect and every reconnect) and when it is lost. */
public interface ConnectionListener {

    /** A session is active. Called on a Milo or connection thread: return quickly. */
    void connected(OpcUaClient client);

    /** The session is lost; the connection is reconnecting. */
    default void disconnected() {
    }
}
