package io.opcscraper.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration that cannot be used. The message names the component, every invalid property
 * and its value (never the value of a secret).
 */
public final class InvalidConfigurationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public InvalidConfigurationException(String component, List<Problem> problems) {
        super("Invalid configuration of " + component + ": "
                + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return this.problems;
    }
}
