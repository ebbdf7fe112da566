package dev.knot.rules;

import dev.knot.findings.Certainty;
import dev.knot.model.Edge;
import dev.knot.model.ThreadNode;
import dev.knot.model.WaitGraph;
import dev.knot.model.Resource;
import dev.knot.sites.ResourceKind;
import dev.knot.sites.WaitMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Strongly connected groups in the thread → thread "waits for" relation (Tarjan, iterative). */
final class Cycles {
    private Cycles() {
    }

    /** Threads t depends on: the holders (and known releasers) of what t waits for, untimed waits only. */
    static List<ThreadNode> dependsOn(WaitGraph g, ThreadNode t) {
        Edge w = g.waitOf(t);
        if (w == null || w.timed()) return List.of();
        // a set: a thread parked without a blocker can have every thread blocked behind it as releaser
        Set<ThreadNode> out = new LinkedHashSet<>();
        for (Edge u : g.unblockers(w.resource())) {
            if (u.thread() != t) out.add(u.thread());
        }
        return new ArrayList<>(out);
    }

    /** Groups of threads that wait for each other, each in dump order. */
    static List<List<ThreadNode>> find(WaitGraph g) {
        List<ThreadNode> nodes = g.threads();
        Map<ThreadNode, Integer> index = new HashMap<>();
        Map<ThreadNode, Integer> low = new HashMap<>();
        Set<ThreadNode> onStack = new LinkedHashSet<>();
        Deque<ThreadNode> stack = new ArrayDeque<>();
        List<List<ThreadNode>> out = new ArrayList<>();
        int[] counter = {0};
        Map<ThreadNode, List<ThreadNode>> next = new HashMap<>();
        Map<ThreadNode, Integer> order = new HashMap<>();
        for (ThreadNode t : nodes) order.put(t, order.size());
        for (ThreadNode start : nodes) {
            // a thread that waits for nothing is a group of its own: most threads of a big dump
            if (index.containsKey(start) || g.waitOf(start) == null) continue;
            // explicit DFS stack: (node, next child position)
            Deque<Object[]> work = new ArrayDeque<>();
            work.push(new Object[] {start, 0});
            index.put(start, counter[0]);
            low.put(start, counter[0]++);
            stack.push(start);
            onStack.add(start);
            while (!work.isEmpty()) {
                Object[] top = work.peek();
                ThreadNode v = (ThreadNode) top[0];
                List<ThreadNode> succ = next.computeIfAbsent(v, k -> dependsOn(g, k));
                int i = (Integer) top[1];
                if (i < succ.size()) {
                    top[1] = i + 1;
                    ThreadNode w = succ.get(i);
                    if (!index.containsKey(w)) {
                        index.put(w, counter[0]);
                        low.put(w, counter[0]++);
                        stack.push(w);
                        onStack.add(w);
                        work.push(new Object[] {w, 0});
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                } else {
                    work.pop();
                    if (!work.isEmpty()) {
                        ThreadNode parent = (ThreadNode) work.peek()[0];
                        low.put(parent, Math.min(low.get(parent), low.get(v)));
                    }
                    if (low.get(v).equals(index.get(v))) {
                        List<ThreadNode> scc = new ArrayList<>();
                        ThreadNode x;
                        do {
                            x = stack.pop();
                            onStack.remove(x);
                            scc.add(x);
                        } while (x != v);
                        if (scc.size() > 1) {
                            scc.sort((a, b) -> Integer.compare(order.get(a), order.get(b)));
                            out.add(scc);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Reverse of {@link #dependsOn}: for each thread, the threads that wait for it directly. */
    static Map<ThreadNode, List<ThreadNode>> dependents(WaitGraph g) {
        Map<ThreadNode, List<ThreadNode>> out = new HashMap<>();
        for (ThreadNode t : g.threads()) {
            for (ThreadNode d : dependsOn(g, t)) out.computeIfAbsent(d, k -> new ArrayList<>()).add(t);
        }
        return out;
    }

    /** Threads (not in the group) whose waits lead, through owners, into the group; nearest first. */
    static List<ThreadNode> blockedBehind(Map<ThreadNode, List<ThreadNode>> dependents, List<ThreadNode> group) {
        Set<ThreadNode> seen = new LinkedHashSet<>(group);
        Deque<ThreadNode> queue = new ArrayDeque<>(group);
        List<ThreadNode> behind = new ArrayList<>();
        while (!queue.isEmpty()) {
            for (ThreadNode w : dependents.getOrDefault(queue.poll(), List.of())) {
                if (seen.add(w)) {
                    behind.add(w);
                    queue.add(w);
                }
            }
        }
        return behind;
    }

    /**
     * Where a group rests on guessed owners (a dump that does not list who owns java.util.concurrent locks, so every
     * thread stuck on one lock "may hold" the others), the group is every thread that could close a cycle, not the
     * cycle: 2 threads deadlocked and 200 queued behind them read as 202 deadlocked. In a cycle over exclusive locks
     * each member waits for a different lock (two waiters of one lock wait for the same holder, so they cannot both
     * be in cycles apart), and the cycles through one lock share its holder. So of several group members waiting
     * for one exclusive lock, one is kept: the one whose wait looks least like a queue (the fewest threads waiting
     * there at the same line), else the first; the others wait behind. The group itself where no owner is guessed.
     */
    static List<ThreadNode> narrowGuessed(WaitGraph g, List<ThreadNode> group) {
        if (group.size() <= 2) return group;
        Set<ThreadNode> in = new HashSet<>(group);
        boolean guessed = false;
        for (ThreadNode t : group) {
            for (Edge h : g.unblockers(g.waitOf(t).resource())) {
                if (in.contains(h.thread()) && h.certainty() != Certainty.CERTAIN) guessed = true;
            }
        }
        if (!guessed) return group;
        Map<Object, Integer> alike = new HashMap<>();
        Map<Resource, ThreadNode> kept = new HashMap<>();
        for (ThreadNode t : group) alike.merge(waitShape(g, t), 1, Integer::sum);
        for (ThreadNode t : group) {
            Edge w = g.waitOf(t);
            if (!exclusive(w)) continue;
            ThreadNode k = kept.get(w.resource());
            if (k == null || alike.get(waitShape(g, t)) < alike.get(waitShape(g, k))) kept.put(w.resource(), t);
        }
        List<ThreadNode> out = new ArrayList<>();
        for (ThreadNode t : group) {
            Edge w = g.waitOf(t);
            if (!exclusive(w) || kept.get(w.resource()) == t) out.add(t);
        }
        return out.size() < 2 ? group : out;
    }

    private static boolean exclusive(Edge w) {
        ResourceKind k = w.resource().kind();
        return k == ResourceKind.MONITOR || k == ResourceKind.EXCLUSIVE_LOCK
                || k == ResourceKind.READ_WRITE_LOCK && w.mode() == WaitMode.WRITE_LOCK;
    }

    private static Object waitShape(WaitGraph g, ThreadNode t) {
        Edge w = g.waitOf(t);
        return List.of(w.resource(), w.site() == null ? "" : w.site().site());
    }
}
