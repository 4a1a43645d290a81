/**
 * Which sequences committed ({@code ProgressLedger}: the marker, the ranges beyond it, the batches in
 * flight, and where a database starts), and where a database keeps a writer's progress
 * ({@code LedgerStore}; {@code JdbcLedgerStore}: the tables {@code opcscraper_progress} and
 * {@code opcscraper_progress_ranges} and their SQL).
 */
package io.opcscraper.timescale.internal.ledger;
