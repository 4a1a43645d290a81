package io.opcscraper.config.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFromOneSecondUpToTheCapAndStartsOverAfterASuccess() {
        Backoff backoff = new Backoff(5_000);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            delays.add(backoff.nextDelayMs());
        }
        assertEquals(List.of(1_000L, 2_000L, 4_000L, 5_000L, 5_000L), delays);
        assertEquals(5, backoff.failures());
        backoff.reset();
        assertEquals(0, backoff.failures());
        assertEquals(1_000L, backoff.nextDelayMs());
    }

    @Test
    void aCapBelowOneSecondIsOneSecond() {
        assertEquals(1_000L, new Backoff(10).nextDelayMs());
        assertEquals(1_000L, new Backoff(10).nextDelayMs());
    }
}
