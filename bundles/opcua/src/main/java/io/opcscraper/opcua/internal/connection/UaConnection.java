package io.opcscraper.opcua.internal.connection;

/**
 * One OPC UA server connection, as discovery and polling in this bundle use it. Private to the
 * bundle: it will hand out Milo types, which must not leak into the exported API.
 */
public interface UaConnection {

    /** The value stored in the {@code clientid} column. */
    String clientId();

    /** Whether a session is open now. */
    boolean isConnected();
}
