package dev.knot.rules;

import dev.knot.model.Edge;
import dev.knot.model.ThreadNode;
import dev.knot.model.WaitGraph;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
}
