package io.opcscraper.timescale.internal.spool;

import io.opcscraper.api.Sample;

/**
 * A sample as the spool holds it.
 *
 * @param sequence its sequence number: unique in the spool, growing with the order of appends
 * @param sample the sample, exactly as appended
 */
public record SpooledSample(long sequence, Sample sample) {
}
