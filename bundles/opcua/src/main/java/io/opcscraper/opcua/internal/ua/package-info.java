/**
 * OPC UA helpers every component uses: requests with a timeout and one failure type
 * ({@code Requests}), requests split by the server's operation limits ({@code ChunkedRequests},
 * {@code OperationLimits}), the stable text form of node ids ({@code NodeIdText}) and the
 * components' named threads ({@code Threads}).
 */
package io.opcscraper.opcua.internal.ua;
