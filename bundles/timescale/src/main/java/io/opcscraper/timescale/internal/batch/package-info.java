/**
 * One batch on one connection ({@code BatchWriter}): a binary COPY ({@code BinaryCopyEncoder}, its rows
 * written by {@code CopyRows} straight from the spool's records) and its recorded range in one
 * transaction; data the table refuses isolated and kept in the {@code Quarantine} file; the clientids
 * written ({@code ClientIds}).
 */
package io.opcscraper.timescale.internal.batch;
