/**
 * One writer's ingest: {@code Ingest} puts the parts together and takes samples into the spool;
 * {@code IngestLoop} drains the spool into the database on the writer's thread (connect, maintain,
 * catalog, dispatch, collect, move the marker, back off); {@code BatchDispatcher} runs batches on
 * their own connections; {@code DropAccounting} decides which samples the spool's bound dropped were
 * lost; {@code WriterStatus} and {@code StatusLog} are what a user reads.
 */
package io.opcscraper.timescale.internal.ingest;
