package io.opcscraper.opcua.internal.connection;

import java.util.Optional;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;

/**
 * One OPC UA server connection, as discovery and polling in this bundle use it. Private to the
 * bundle: it hands out Milo types, which must not leak into the exported API.
 */
public interface UaConnection {

    /** The value stored in the {@code clientid} column. */
    String clientId();

    /** Whether a session is active now. */
    boolean isConnected();

    /** The client while a session is active. */
    Optional<OpcUaClient> client();

    /** Adds a listener; if a session is active now, it is told at once. */
    void addListener(ConnectionListener listener);

    void removeListener(ConnectionListener listener);
}
