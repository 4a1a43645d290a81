package io.opcscraper.opcua.internal.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.opcscraper.api.Sample;

/** What a subscription delivered within one interval: bounded in bytes, the excess dropped and counted. */
class ArrivalBufferTest {

    @Test
    void valuesBeyondTheBoundAreDroppedWholeAndCounted() {
        long bound = 32 * 1024;
        ArrivalBuffer buffer = new ArrivalBuffer("test", bound);
        int perRow = SampleBytes.FIXED + 2 * 50;
        List<Sample> value = PendingSamplesTest.samples(0, 5, 50); // one structure value: five rows
        int accepted = 0;
        for (int i = 0; i < 100; i++) {
            if (buffer.add(value)) {
                accepted++;
            }
        }
        assertEquals(bound / (5L * perRow), accepted, "whole values, until the next would pass the bound");
        assertEquals((100L - accepted) * 5, buffer.dropped());
        assertTrue(buffer.bytes() <= bound);

        int drained = 0;
        while (buffer.poll() != null) {
            drained++;
        }
        assertEquals(accepted * 5, drained);
        assertEquals(0, buffer.bytes(), "a drain gives the bytes back");
        assertTrue(buffer.add(value), "after a drain values are taken again");
    }

    @Test
    void aMarkerKeepsItsPlaceAndCostsNothingOnceDrained() {
        ArrivalBuffer buffer = new ArrivalBuffer("test", 1024 * 1024);
        Sample marker = new Sample(Instant.EPOCH, "session lost", "", null, null, null, 0);
        buffer.add(PendingSamplesTest.samples(0, 2, 10));
        buffer.mark(marker);
        buffer.add(PendingSamplesTest.samples(2, 1, 10));
        assertEquals(Instant.ofEpochSecond(0), buffer.poll().timestamp());
        assertEquals(Instant.ofEpochSecond(1), buffer.poll().timestamp());
        assertSame(marker, buffer.poll(), "the values before a lost session come before its marker");
        assertEquals(Instant.ofEpochSecond(2), buffer.poll().timestamp());
        assertNull(buffer.poll());
        assertEquals(0, buffer.bytes());
    }

    @Test
    void manyThreadsAddingNeverPassTheBound() throws Exception {
        long bound = 256 * 1024;
        ArrivalBuffer buffer = new ArrivalBuffer("test", bound);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        CountDownLatch done = new CountDownLatch(4);
        long[] maxSeen = new long[1];
        try {
            for (int t = 0; t < 4; t++) {
                threads.execute(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        buffer.add(PendingSamplesTest.samples(i, 1, 30));
                    }
                    done.countDown();
                });
            }
            while (!done.await(1, TimeUnit.MILLISECONDS)) {
                maxSeen[0] = Math.max(maxSeen[0], buffer.bytes());
                buffer.poll();
            }
        } finally {
            threads.shutdownNow();
        }
        assertTrue(maxSeen[0] <= bound, maxSeen[0] + " bytes seen");
        long held = 0;
        while (buffer.poll() != null) {
            held++;
        }
        assertEquals(0, buffer.bytes());
        assertFalse(held * (SampleBytes.FIXED + 60) > bound, held + " samples held at the end");
    }
}
