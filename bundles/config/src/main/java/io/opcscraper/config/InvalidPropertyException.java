package io.opcscraper.config;

/** One property's value cannot be used. */
public final class InvalidPropertyException extends Exception {

    private static final long serialVersionUID = 1L;

    private final Problem problem;

    public InvalidPropertyException(Problem problem) {
        super(problem.toString());
        this.problem = problem;
    }

    public Problem problem() {
        return this.problem;
    }
}
