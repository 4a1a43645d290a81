/**
 * The Connection component: one OPC UA session's lifecycle ({@code ConnectionSupervisor}: connect,
 * reconnect with capped backoff, the TCP probe while the server is away), the endpoint and its
 * security ({@code EndpointSelector}, {@code ClientConfigFactory}), the client's certificate and the
 * trust of servers ({@code ClientPki}); {@code UaConnection} is what the Discovery and the Poller
 * use of it, {@code ConnectionListener} what they are told.
 */
package io.opcscraper.opcua.internal.connection;
