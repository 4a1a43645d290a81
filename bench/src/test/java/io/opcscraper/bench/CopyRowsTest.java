package io.opcscraper.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The COPY bound's rows: a whole number of periods per cycle, timestamps moved on at every reuse. */
class CopyRowsTest {

    @Test
    void reusedBatchesGetLaterTimestampsAndNothingElseChanges() {
        CopyRows rows = new CopyRows(3, 5, 2.0); // lcm(3, 5) = 15 rows: 3 batches, 5 periods of 500 ms
        assertEquals(3, rows.batchCount());

        byte[] first = rows.batch(0, new byte[rows.length(0)]);
        byte[] again = rows.batch(3, new byte[rows.length(3)]);
        List<Long> before = timestamps(first);
        List<Long> after = timestamps(again);
        assertEquals(5, before.size());
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i) + 2_500_000L, after.get(i), "row " + i + " moves on by 5 periods of 500 ms");
        }
        // Rows 0-2 are period 0, rows 3-4 period 1.
        assertEquals(before.get(0), before.get(2));
        assertEquals(before.get(0) + 500_000L, before.get(3));
        // Only the timestamps differ.
        int differing = 0;
        for (int i = 0; i < first.length; i++) {
            if (first[i] != again[i]) {
                differing++;
            }
        }
        assertNotEquals(0, differing);
    }

    /** Reads each row's first field (int64 microseconds) of a binary COPY stream. */
    private static List<Long> timestamps(byte[] copy) {
        ByteBuffer in = ByteBuffer.wrap(copy);
        in.position(19);
        List<Long> times = new ArrayList<>();
        while (true) {
            short fields = in.getShort();
            if (fields == -1) {
                return times;
            }
            for (int f = 0; f < fields; f++) {
                int length = in.getInt();
                if (f == 0) {
                    times.add(in.getLong());
                } else if (length > 0) {
                    in.position(in.position() + length);
                }
            }
        }
    }
}
