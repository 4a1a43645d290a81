package io.opcscraper.launcher.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.opcscraper.api.ComponentStatus;

/**
 * Whether the components took the configurations the launcher created. Each component validates
 * its whole configuration as it activates, with its own typed options, and when it refuses one it
 * stays idle and reports why as its status's last error, in the words of the configuration
 * library's {@code InvalidConfigurationException} (bundles/config): {@code Invalid configuration
 * of <factory PID> '<instance>': '<property>' = '<value>': <reason>}. The launcher reads that
 * verdict instead of checking any property itself, so each rule stays in one place: the
 * component that applies it.
 */
final class ConfigurationVerdicts {

    /** How the message of a refused configuration starts ({@code InvalidConfigurationException}). */
    static final String REFUSED = "Invalid configuration of ";

    /** An instance whose component refused its configuration, and the component's reason. */
    record Refusal(ConfiguratorFile.Instance instance, String reason) {
    }

    /**
     * @param refused the instances whose component refused their configuration
     * @param notStarted the instances that reported no status in time (a reference of theirs not
     *     satisfied, e.g. a {@code *.target} that matches no instance): no verdict
     */
    record Verdicts(List<Refusal> refused, List<ConfiguratorFile.Instance> notStarted) {
    }

    private final StatusBoard board;
    private final Duration timeout;

    /**
     * @param board the status of every instance
     * @param timeout how long all instances together may take to report their first status
     */
    ConfigurationVerdicts(StatusBoard board, Duration timeout) {
        this.board = board;
        this.timeout = timeout;
    }

    /** Waits for the first status of each instance and reads its verdict. */
    Verdicts of(List<ConfiguratorFile.Instance> created) throws InterruptedException {
        long deadline = System.nanoTime() + this.timeout.toNanos();
        List<Refusal> refused = new ArrayList<>();
        List<ConfiguratorFile.Instance> notStarted = new ArrayList<>();
        for (ConfiguratorFile.Instance instance : created) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            Optional<ComponentStatus> status = this.board.awaitStatus(instance.factoryPid(), instance.name(), left);
            if (status.isEmpty()) {
                notStarted.add(instance);
                continue;
            }
            String reason = refusal(status.get());
            if (reason != null) {
                refused.add(new Refusal(instance, reason));
            }
        }
        return new Verdicts(List.copyOf(refused), List.copyOf(notStarted));
    }

    /** The component's reason if the status says it refused its configuration, else {@code null}. */
    static String refusal(ComponentStatus status) {
        String error = status.lastError();
        return error != null && error.startsWith(REFUSED) ? error : null;
    }
}
