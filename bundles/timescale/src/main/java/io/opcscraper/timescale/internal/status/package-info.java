/**
 * The writer's row in the shared table {@code opcscraper_status}: who it is (gateway, writer, versions,
 * edition) and its figures, upserted once a {@code status.interval.s} on its main connection
 * ({@code StatusReporter}). A failure there is the status's, never the samples'.
 */
package io.opcscraper.timescale.internal.status;
