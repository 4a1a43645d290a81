package io.opcscraper.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.opcscraper.api.Sample;
import io.opcscraper.timescale.tooling.WriterTable;

/**
 * The plant's rows as binary COPY batches ({@link WriterTable#encodeCopy}), encoded once: every tag once per period,
 * periods going forward. A cycle holds a whole number of periods where that is cheap (lcm(tags, batch size) rows,
 * at most {@value #MAX_CYCLE_BATCHES} batches); each time a batch is used again its timestamps move on by the
 * cycle's length, patched in place in a copy, so every row gets a new (nodeid, "timestamp") as real polls do. (Reusing
 * the same timestamps would let PostgreSQL's B-tree deduplication keep the indexes tiny, and the bound would be
 * far too optimistic.)
 */
final class CopyRows {

    private static final int MAX_CYCLE_BATCHES = 40;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    /** Signature (11), flags (4), header extension length (4). */
    private static final int HEADER = 19;

    private final List<byte[]> batches = new ArrayList<>();
    private final List<int[]> timestampOffsets = new ArrayList<>();
    private final long cycleMicros;

    CopyRows(int tags, int batchSize, double rateHz) {
        long periodNanos = (long) (1e9 / rateHz);
        long cycleRows = lcm(tags, batchSize);
        int count = cycleRows / batchSize <= MAX_CYCLE_BATCHES ? (int) (cycleRows / batchSize) : MAX_CYCLE_BATCHES;
        List<PlantTags.Tag> plant = PlantTags.first(tags);
        Instant base = Instant.now();
        Random random = new Random(42);
        long i = 0;
        for (int b = 0; b < count; b++) {
            List<Sample> samples = new ArrayList<>(batchSize);
            for (int k = 0; k < batchSize; k++, i++) {
                PlantTags.Tag tag = plant.get((int) (i % tags));
                samples.add(new Sample(base.plusNanos((i / tags) * periodNanos), tag.nodeId(), "bench-copy",
                    tag.sensorName(), tag.tagName(), 20 + random.nextDouble(), 0));
            }
            byte[] encoded = WriterTable.encodeCopy(samples);
            batches.add(encoded);
            timestampOffsets.add(timestampOffsets(encoded, batchSize));
        }
        // The periods one cycle spans (rounded up when the cycle is not a whole number of periods).
        long periods = (i + tags - 1) / tags;
        this.cycleMicros = periods * periodNanos / 1000;
    }

    int batchCount() {
        return batches.size();
    }

    /**
     * The {@code n}-th batch to send (n = 0, 1, 2, ...), written into {@code into} (which must have the batch's
     * length, see {@link #length}) with its timestamps moved on by the cycles already sent.
     */
    byte[] batch(long n, byte[] into) {
        int b = (int) (n % batches.size());
        long shift = (n / batches.size()) * cycleMicros;
        byte[] source = batches.get(b);
        System.arraycopy(source, 0, into, 0, source.length);
        for (int offset : timestampOffsets.get(b)) {
            LONG.set(into, offset, (long) LONG.get(source, offset) + shift);
        }
        return into;
    }

    /** The encoded length of the {@code n}-th batch. */
    int length(long n) {
        return batches.get((int) (n % batches.size())).length;
    }

    /** Where each row's timestamp (its first field, int64) starts: row = int16 count, then int32 length + value. */
    private static int[] timestampOffsets(byte[] encoded, int rows) {
        int[] offsets = new int[rows];
        int p = HEADER;
        for (int r = 0; r < rows; r++) {
            int fields = ((encoded[p] & 0xff) << 8) | (encoded[p + 1] & 0xff);
            p += 2;
            offsets[r] = p + 4;
            for (int f = 0; f < fields; f++) {
                int length = (int) INT.get(encoded, p);
                p += 4 + Math.max(0, length);
            }
        }
        return offsets;
    }

    private static long lcm(long a, long b) {
        long x = a;
        long y = b;
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }
}
