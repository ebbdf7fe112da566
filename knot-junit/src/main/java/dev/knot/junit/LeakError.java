package dev.knot.junit;

/**
 * A test left something behind: threads or executors still running, a background exception nobody observed, a
 * cancelled task still running. Thrown after the test, so JUnit reports the test itself as failed.
 */
public final class LeakError extends AssertionError {
    private static final long serialVersionUID = 1L;

    public LeakError(String message) {
        super(message);
    }
}
