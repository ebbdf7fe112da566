package dev.knot.rules;

import dev.knot.findings.Finding;
import dev.knot.findings.Kind;
import dev.knot.findings.Certainty;
import dev.knot.model.Edge;
import dev.knot.model.ThreadNode;
import dev.knot.model.WaitGraph;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The top blockers: threads that (transitively) keep the most others waiting, for every kind of owned lock.
 * Not a hang: the holder may be making progress, but everyone else queues behind it.
 */
final class ContentionRule implements Rule {
    static final int MIN_BLOCKED = 2;
    static final int MAX_REPORTED = 3;

    @Override
    public List<Finding> apply(WaitGraph g, Claimed claimed) {
        List<Root> roots = new ArrayList<>();
        var dependents = Cycles.dependents(g);
        for (ThreadNode t : g.threads()) {
            if (claimed.has(t) || g.holdsOf(t).isEmpty()) continue;
            Edge own = g.waitOf(t);
            if (own != null && !own.timed() && !g.unblockers(own.resource()).isEmpty()) continue; // not a root
            List<ThreadNode> behind = Cycles.blockedBehind(dependents, List.of(t));
            behind.removeIf(claimed::has);
            if (behind.size() >= MIN_BLOCKED) roots.add(new Root(t, behind));
        }
        roots.sort(Comparator.comparingInt((Root r) -> r.behind.size()).reversed());
        List<Finding> out = new ArrayList<>();
        for (Root r : roots.subList(0, Math.min(MAX_REPORTED, roots.size()))) {
            out.add(finding(g, r));
        }
        return out;
    }

    private record Root(ThreadNode holder, List<ThreadNode> behind) {
    }

    private static Finding finding(WaitGraph g, Root r) {
        ThreadNode h = r.holder;
        List<String> story = new ArrayList<>();
        List<Edge> edges = new ArrayList<>();
        Certainty certainty = Certainty.CERTAIN;
        Set<String> held = new LinkedHashSet<>();
        for (Edge e : g.holdsOf(h)) {
            if (g.waitersOf(e.resource()).isEmpty()) continue;
            story.add(Story.holds(e));
            held.add(e.resource().label());
            edges.add(e);
            certainty = certainty.and(e.certainty());
        }
        Edge own = g.waitOf(h);
        story.add("  and is now " + (own != null ? own.mode().verb() + " " + own.resource().label()
                : "in " + h.state() + (h.frames().isEmpty() ? "" : " at " + h.frames().get(0).location())));
        List<Edge> waits = new ArrayList<>(r.behind.size());
        for (ThreadNode b : r.behind) {
            Edge w = g.waitOf(b);
            edges.add(w);
            waits.add(w);
            certainty = certainty.and(w.certainty());
        }
        story.addAll(Story.waitsGrouped(waits, 8));
        String summary = "\"" + h.name() + "\" blocks " + r.behind.size() + " threads through " + String.join(", ", held);
        String why = "Not a hang by itself: \"" + h.name() + "\" may finish and release. But every waiter is serialised"
                + " behind it, so throughput collapses to one thread while it holds " + String.join(", ", held) + ".";
        String fix = "Shorten the critical section: do no I/O, sleeping or remote calls while holding the lock; split the"
                + " lock (per key / striped), or use concurrent data structures or a ReadWriteLock for read-mostly state.";
        List<String> missing = certainty == Certainty.CERTAIN ? List.of()
                : List.of("some owners are inferred; take the dump with `jstack -l` or " + Story.attachHint());
        List<String> threads = new ArrayList<>();
        threads.add(h.name());
        threads.addAll(Story.names(r.behind));
        return Evidences.finding(Kind.CONTENTION, certainty, threads, summary, story, why, fix, missing, List.of(), edges);
    }
}
