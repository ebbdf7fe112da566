package dev.knot.rules;

import dev.knot.findings.Finding;
import dev.knot.model.ThreadNode;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** Threads already explained, so one thread appears in one finding, under the most specific kind. */
final class Claimed {
    private final Set<String> names = new HashSet<>();

    boolean has(ThreadNode t) {
        return names.contains(t.name());
    }

    boolean any(Collection<ThreadNode> ts) {
        for (ThreadNode t : ts) {
            if (has(t)) return true;
        }
        return false;
    }

    void add(Finding f) {
        names.addAll(f.threads());
    }
}
