/**
 * The history backfill: where the collection of each node had a gap ({@code GapTracker}), which
 * of the server's history values fill it ({@code GapRule}, the one rule against storing a value
 * twice), reading them with HistoryRead ({@code GroupRead}), what a HistoryRead status means
 * ({@code HistoryFailures}), and the worker that fills the gaps at a pace that leaves live
 * collection first ({@code Backfill}).
 */
package io.opcscraper.opcua.internal.history;
