/**
 * Talking to the database: connections ({@code ConnectionFactory}), the one failure taxonomy that
 * tells a temporary failure from a permanent one ({@code WriteFailure}), and small JDBC steps
 * ({@code Jdbc}).
 */
package io.opcscraper.timescale.internal.db;
