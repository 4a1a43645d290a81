package io.opcscraper.opcua.internal.poller;

import io.opcscraper.api.Sample;

/**
 * What a sample held in one of the Poller's queues costs the heap, estimated from above, so that
 * the queues are bounded in bytes and not only in samples (a small gateway shares a 256 MB heap
 * with Kura).
 * <p>
 * Fixed part, 128 bytes: the {@link Sample} record (header and seven fields, 40 bytes), its
 * {@code Instant} (24) and boxed {@code Double} (16), the queue's node or slot (24), and the
 * headers of a tag name made for this sample (24 for the String, 16 for its array). The node id,
 * client id and sensor name are the catalog's strings, shared by every sample of the node, so they
 * are not counted per sample; the tag name is shared too for a plain variable, but a structure's
 * leaf or an array element gets one of its own ({@code Motor.Axes[0].Position}), so it is always
 * counted, at two bytes a character (Java's compact strings use one for Latin-1).
 */
final class SampleBytes {

    static final int FIXED = 128;

    private SampleBytes() {
    }

    /** A bound for a log line: in MiB, or in KiB below one MiB. */
    static String describe(long bytes) {
        return bytes >= 1024 * 1024 ? bytes / (1024 * 1024) + " MiB" : bytes / 1024 + " KiB";
    }

    static long of(Sample sample) {
        String tag = sample.tagName();
        return FIXED + (tag == null ? 0 : 2L * tag.length());
    }
}
