package dev.knot.rules;

import dev.knot.findings.Evidence;
import dev.knot.findings.Finding;
import dev.knot.model.ThreadNode;
import dev.knot.model.WaitGraph;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Threads already explained, so one thread appears in one finding, under the most specific kind. By thread
 * node, not name: names repeat (test JVMs, pools with custom factories), nodes do not.
 */
final class Claimed {
    private final Set<ThreadNode> threads = new HashSet<>();
    private final WaitGraph graph;

    /** @param graph the snapshot whose threads the findings name */
    Claimed(WaitGraph graph) {
        this.graph = graph;
    }

    boolean has(ThreadNode t) {
        return threads.contains(t);
    }

    boolean any(Collection<ThreadNode> ts) {
        for (ThreadNode t : ts) {
            if (has(t)) return true;
        }
        return false;
    }

    void addAll(Collection<ThreadNode> ts) {
        threads.addAll(ts);
    }

    /** Claims the finding's threads: every member has its wait among the finding's edges. */
    void add(Finding f) {
        Set<String> members = new HashSet<>(f.threads()); // a list's contains per edge grew with members x edges
        for (Evidence e : f.edges()) {
            if (e.relation() == Evidence.Relation.WAITS_FOR && members.contains(e.thread())) {
                ThreadNode t = graph.thread(e.threadKey());
                if (t != null) threads.add(t);
            }
        }
    }
}
