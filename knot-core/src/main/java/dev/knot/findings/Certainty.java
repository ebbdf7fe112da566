package dev.knot.findings;

/** How sure an edge or a finding is. */
public enum Certainty {
    /** Every step is printed in the input (e.g. a monitor's owner, a -l ownable synchronizer). */
    CERTAIN,
    /** Inferred: consistent with the input, but some step is not printed (who holds a permit, who will signal). */
    LIKELY;

    public Certainty and(Certainty other) {
        return this == CERTAIN && other == CERTAIN ? CERTAIN : LIKELY;
    }

    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
