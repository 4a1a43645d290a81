package io.opcscraper.opcua.internal.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.opcscraper.api.Sample;
import io.opcscraper.api.SampleSink;
import io.opcscraper.api.SinkUnavailableException;

/** The Poller's samples for a writer that does not take them: bounded in bytes, oldest dropped and counted. */
class PendingSamplesTest {

    /** A writer that refuses while {@code down}, and keeps what it took. */
    private static final class Writer implements SampleSink {
        boolean down = true;
        final List<Sample> taken = new ArrayList<>();

        @Override
        public void accept(List<Sample> samples) throws SinkUnavailableException {
            if (this.down) {
                throw new SinkUnavailableException("restarting");
            }
            this.taken.addAll(samples);
        }
    }

    static List<Sample> samples(int from, int count, int tagLength) {
        List<Sample> samples = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            String tag = ("Motor.Axes[" + i + "].Position" + "x".repeat(tagLength)).substring(0, tagLength);
            samples.add(new Sample(Instant.ofEpochSecond(i), "ns=2;s=m", "gw/opcua", "Machine", tag, (double) i, 0));
        }
        return samples;
    }

    @Test
    void theBoundIsInBytesSoLongTagNamesKeepFewerSamples() {
        long bound = 64 * 1024;
        PendingSamples pending = new PendingSamples("test", bound);
        Writer writer = new Writer();
        int perSample = SampleBytes.FIXED + 2 * 100;
        for (int round = 0; round < 10; round++) {
            pending.deliver(writer, samples(round * 100, 100, 100));
            assertTrue(pending.bytes() <= bound, pending.bytes() + " bytes held");
        }
        int kept = (int) (bound / perSample);
        assertEquals(kept, pending.size(), "the newest that fit in " + bound + " bytes");
        assertEquals(1000 - kept, pending.dropped(), "the oldest dropped, counted");
        assertEquals((long) kept * perSample, pending.bytes());

        writer.down = false;
        pending.deliver(writer, List.of());
        assertEquals(kept, writer.taken.size(), "what was kept goes first when the writer is back");
        assertEquals(Instant.ofEpochSecond(1000 - kept), writer.taken.get(0).timestamp(), "the oldest kept");
        assertEquals(0, pending.size());
        assertEquals(0, pending.bytes());
    }

    @Test
    void shortTagNamesKeepMoreOfTheSameBytes() {
        long bound = 64 * 1024;
        PendingSamples longNames = new PendingSamples("long", bound);
        PendingSamples shortNames = new PendingSamples("short", bound);
        Writer writer = new Writer();
        longNames.deliver(writer, samples(0, 1000, 400));
        shortNames.deliver(writer, samples(0, 1000, 20));
        assertEquals(bound / (SampleBytes.FIXED + 800), longNames.size());
        assertEquals(bound / (SampleBytes.FIXED + 40), shortNames.size());
    }

    @Test
    void nothingIsDroppedWhileTheWriterTakesThem() {
        PendingSamples pending = new PendingSamples("test");
        Writer writer = new Writer();
        writer.down = false;
        pending.deliver(writer, samples(0, 200_000, 20));
        assertEquals(200_000, writer.taken.size(), "the bound is for what waits, not for what passes");
        assertEquals(0, pending.dropped());
    }
}
