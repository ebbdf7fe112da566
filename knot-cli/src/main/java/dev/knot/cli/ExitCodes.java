package dev.knot.cli;

/** Process exit codes; documented in the README, stable across versions. */
public final class ExitCodes {
    /** Analysed; no hang (there may be contention or stall findings). */
    public static final int OK = 0;
    /** A hang was found: deadlock, self-deadlock, starvation or orphaned-lock. */
    public static final int HANG = 2;
    /** An input could not be read or is not a thread dump. */
    public static final int UNREADABLE_INPUT = 3;
    /**
     * {@code knot attach} / {@code knot dump}: no live snapshot could be taken or saved (no such process, not a
     * JVM, another user's, attach or dynamic agent loading refused, target JDK older than 17, the agent failed or
     * timed out).
     */
    public static final int CANNOT_SNAPSHOT = 4;
    /** Wrong command-line usage. */
    public static final int USAGE = 64;
    /** A bug in Knot (please report it). */
    public static final int INTERNAL_ERROR = 70;

    private ExitCodes() {
    }
}
