package io.opcscraper.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

class ComponentLifecycleTest {

    private static final Property<Integer> INTERVAL = Property.integer("interval.ms", 1000).range(10, 60_000);

    /** The options of the test component: one interval. */
    private record Options(int intervalMs) {
        static Options parse(Map<String, ?> properties) throws InvalidConfigurationException {
            ConfigReader in = new ConfigReader("test.Component", properties);
            Options options = new Options(in.get(INTERVAL));
            in.throwIfInvalid();
            return options;
        }
    }

    /** The work of the test component: records every start and stop, and how many run at once. */
    private static final class Work {
        final List<String> events = new ArrayList<>();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();

        void start(Options options) {
            int now = this.running.incrementAndGet();
            this.mostAtOnce.accumulateAndGet(now, Math::max);
            synchronized (this.events) {
                this.events.add("start " + options.intervalMs());
            }
        }

        void stop() {
            this.running.decrementAndGet();
            synchronized (this.events) {
                this.events.add("stop");
            }
        }

        List<String> events() {
            synchronized (this.events) {
                return List.copyOf(this.events);
            }
        }
    }

    private final LiveConfiguration<Options> configuration = new LiveConfiguration<>(Options::parse,
            NOPLogger.NOP_LOGGER);
    private final Work work = new Work();
    private final ComponentLifecycle<Options> lifecycle = new ComponentLifecycle<>(this.configuration,
            this.work::start, this.work::stop);

    @Test
    void aValidConfigurationStartsTheWorkAndDeactivationStopsIt() {
        assertTrue(this.lifecycle.configure(Map.of("interval.ms", 250)));
        assertEquals(List.of("start 250"), this.work.events());
        assertEquals(Optional.of(new Options(250)), this.configuration.current());

        this.lifecycle.deactivate();
        assertEquals(List.of("start 250", "stop"), this.work.events());
    }

    @Test
    void aChangedConfigurationRestartsTheWorkWithTheNewOptions() {
        this.lifecycle.configure(Map.of("interval.ms", 250));
        assertTrue(this.lifecycle.configure(Map.of("interval.ms", 500)));
        assertEquals(List.of("start 250", "stop", "start 500"), this.work.events());
        assertEquals(1, this.work.running.get());
    }

    @Test
    void anUnchangedConfigurationIsValidAndLeavesTheWorkRunning() {
        this.lifecycle.configure(Map.of("interval.ms", 250));
        assertTrue(this.lifecycle.configure(Map.of("interval.ms", 250L)), "the same value in another type");
        assertEquals(List.of("start 250"), this.work.events());
    }

    @Test
    void aRejectedConfigurationKeepsTheRunningWorkAndItsOptions() {
        this.lifecycle.configure(Map.of("interval.ms", 250));
        assertFalse(this.lifecycle.configure(Map.of("interval.ms", 5)));
        assertEquals(List.of("start 250"), this.work.events());
        assertEquals(Optional.of(new Options(250)), this.configuration.current());
        assertEquals(Optional.of("Invalid configuration of test.Component: 'interval.ms' = '5': must be at least 10"),
                this.configuration.problem());
    }

    @Test
    void aComponentConfiguredWronglyStaysIdleUntilCorrectedAndStopsNothing() {
        assertFalse(this.lifecycle.configure(Map.of("interval.ms", "often")));
        assertEquals(List.of(), this.work.events());
        assertTrue(this.lifecycle.configure(Map.of("interval.ms", 100)));
        assertEquals(List.of("start 100"), this.work.events(), "nothing ran, so nothing is stopped first");
    }

    @Test
    void deactivationWithoutWorkStopsNothingAndHappensOnce() {
        this.lifecycle.configure(Map.of("interval.ms", 1));
        this.lifecycle.deactivate();
        this.lifecycle.deactivate();
        assertEquals(List.of(), this.work.events());
    }

    @Test
    void aConfigurationAfterDeactivationStartsNothing() {
        this.lifecycle.configure(Map.of("interval.ms", 250));
        this.lifecycle.deactivate();
        assertFalse(this.lifecycle.configure(Map.of("interval.ms", 500)));
        assertEquals(List.of("start 250", "stop"), this.work.events());
        assertEquals(0, this.work.running.get());
    }

    @Test
    void aStartThatFailsHalfWayIsStoppedAtTheNextChange() {
        List<String> events = new ArrayList<>();
        ComponentLifecycle<Options> failing = new ComponentLifecycle<>(
                new LiveConfiguration<>(Options::parse, NOPLogger.NOP_LOGGER), options -> {
                    events.add("start " + options.intervalMs());
                    if (options.intervalMs() == 250) {
                        throw new IllegalStateException("half-way");
                    }
                }, () -> events.add("stop"));
        try {
            failing.configure(Map.of("interval.ms", 250));
        } catch (IllegalStateException e) {
            events.add("failed: " + e.getMessage());
        }
        failing.configure(Map.of("interval.ms", 500));
        assertEquals(List.of("start 250", "failed: half-way", "stop", "start 500"), events);
    }

    /** Modifications from many threads at once, then a deactivation: never two works at once, each start stopped. */
    @Test
    void concurrentModificationsNeverOverlapAndDeactivationStopsTheLastWork() throws Exception {
        this.lifecycle.configure(Map.of("interval.ms", 10));
        int threads = 8;
        int changesEach = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int first = 11 + t * changesEach;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < changesEach; i++) {
                        this.lifecycle.configure(Map.of("interval.ms", first + i));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        this.lifecycle.deactivate();

        assertEquals(1, this.work.mostAtOnce.get(), "never two works running at once");
        assertEquals(0, this.work.running.get(), "the last work was stopped");
        List<String> events = this.work.events();
        assertEquals(2 * (1 + threads * changesEach), events.size(), "every distinct value started and stopped once");
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i % 2 == 0, events.get(i).startsWith("start "), "start and stop alternate at " + i);
        }
    }
}
