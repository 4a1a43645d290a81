/**
 * What the writer's table holds per node, for a poller that fills gaps from a server's history
 * ({@code LastStoredQuery}: the newest stored timestamp of each node before a time).
 */
package io.opcscraper.timescale.internal.stored;
