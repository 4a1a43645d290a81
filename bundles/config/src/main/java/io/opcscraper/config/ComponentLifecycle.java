package io.opcscraper.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The start-stop block of a DS component around its {@link LiveConfiguration}: a configuration
 * (at activation or modification) is validated; if it is valid and differs from the current
 * options, the running work is stopped and started again with the new options; deactivation
 * stops it. A rejected configuration leaves the running work alone (it keeps its options, or
 * the component stays idle). Every step runs under one lock, so a modification never overlaps
 * another one or the deactivation, and each start is followed by exactly one stop.
 *
 * <pre>
 * private final LiveConfiguration&lt;O&gt; configuration = new LiveConfiguration&lt;&gt;(O::parse, LOG);
 * private final ComponentLifecycle&lt;O&gt; lifecycle = new ComponentLifecycle&lt;&gt;(configuration, this::start, this::stop);
 * // &#64;Activate constructor and &#64;Modified: lifecycle.configure(properties); &#64;Deactivate: lifecycle.deactivate();
 * </pre>
 *
 * @param <O> the options type
 */
public final class ComponentLifecycle<O> {

    private final LiveConfiguration<O> configuration;
    private final Consumer<O> start;
    private final Runnable stop;
    private boolean running;
    private boolean deactivated;

    /**
     * @param configuration the component's configuration, which validates and keeps the options
     * @param start starts the component's work with valid options
     * @param stop stops the work that {@code start} started
     */
    public ComponentLifecycle(LiveConfiguration<O> configuration, Consumer<O> start, Runnable stop) {
        this.configuration = Objects.requireNonNull(configuration, "configuration");
        this.start = Objects.requireNonNull(start, "start");
        this.stop = Objects.requireNonNull(stop, "stop");
    }

    /**
     * Validates a configuration (at activation and at every modification) and, if it is valid
     * and changed, stops the running work and starts it with the new options. Nothing happens
     * after {@link #deactivate}.
     *
     * @return whether the configuration was valid (changed or not); a rejected one is logged by
     *     the {@link LiveConfiguration} and changes nothing
     */
    public synchronized boolean configure(Map<String, ?> properties) {
        if (this.deactivated) {
            return false;
        }
        Optional<O> before = this.configuration.current();
        Optional<O> taken = this.configuration.update(properties);
        if (taken.isEmpty()) {
            return false;
        }
        if (!taken.equals(before)) {
            stopIfRunning();
            this.running = true; // before start: a start that fails half-way is stopped later
            this.start.accept(taken.get());
        }
        return true;
    }

    /** Stops the running work, if any; later configurations are ignored. */
    public synchronized void deactivate() {
        this.deactivated = true;
        stopIfRunning();
    }

    private void stopIfRunning() {
        if (this.running) {
            this.running = false;
            this.stop.run();
        }
    }
}
