package dev.knot.findings;

/** Kinds of problem Knot reports. {@link #jsonName()} is part of the JSON schema: never rename. */
public enum Kind {
    DEADLOCK("deadlock", true),
    SELF_DEADLOCK("self-deadlock", true),
    STARVATION("starvation", true),
    ORPHANED_LOCK("orphaned-lock", true),
    CONTENTION("contention", false),
    STALL("stall", false),
    /** Threads blocked in socket calls that have no timeout: not a hang yet, but one silent peer away from it. */
    BLOCKING_IO("blocking-io", false);

    private final String jsonName;
    private final boolean hang;

    Kind(String jsonName, boolean hang) {
        this.jsonName = jsonName;
        this.hang = hang;
    }

    public String jsonName() {
        return jsonName;
    }

    /** A hang: the threads can never proceed without outside help. Sets the CLI's exit code. */
    public boolean hang() {
        return hang;
    }
}
