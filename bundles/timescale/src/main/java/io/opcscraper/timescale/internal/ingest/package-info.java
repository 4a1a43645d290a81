/**
 * One writer's ingest: {@code Ingest} puts the parts together and takes samples into the spool;
 * {@code IngestLoop} drains the spool into the database on the writer's thread (connect, maintain,
 * catalog, dispatch, collect, move the marker, back off); {@code BatchAssembler} cuts the spool into
 * batches, {@code BatchDispatcher} runs them on their own connections; {@code TargetLog} says what a
 * database that does not hold the writer's latest progress receives; {@code DropAccounting} decides which samples the spool's bound dropped were
 * lost; {@code WriterStatus} and {@code StatusLog} are what a user reads.
 */
package io.opcscraper.timescale.internal.ingest;
