package io.opcscraper.timescale.internal.spool;

import io.opcscraper.api.Sample;

/**
 * A sample as the spool holds it.
 *
 * @param sequence its sequence number: unique in the spool, growing with the order of appends
 * @param sample the sample, exactly as appended
 * @param encodedBytes the size of its record in the spool (what memory bounds count)
 */
public record SpooledSample(long sequence, Sample sample, int encodedBytes) {
}
