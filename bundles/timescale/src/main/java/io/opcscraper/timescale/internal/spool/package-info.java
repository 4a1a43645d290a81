/**
 * The writer's durable spool ({@code Spool}): segment files of CRC-checked records
 * ({@code SampleCodec} with its text in {@code Wtf8} and {@code TextFields}, the last text of each field
 * so that a repeat is not coded again, {@code BatchEncoder}, {@code RecordReader}, {@code Segment}), recovery at
 * open ({@code SpoolRecovery}), paged reads ({@code SegmentReader}) of {@code SpooledSample}s, whose
 * fields a {@code SampleFields} takes from the record as they are, the bound, the local record of
 * what was committed and sent ({@code Watermark}), and {@code LongRanges}, the one type for sets of
 * sequence numbers. Format and guarantees: {@code docs/spool.md}.
 */
package io.opcscraper.timescale.internal.spool;
