package dev.knot.junit;

import java.util.concurrent.TimeoutException;

/**
 * A test or lifecycle method ran out of time; the message is Knot's diagnosis of its threads, and the stack trace is
 * where the test's own thread was when Knot stopped it.
 */
public final class HungTestException extends TimeoutException {
    private static final long serialVersionUID = 1L;

    public HungTestException(String message) {
        super(message);
    }
}
