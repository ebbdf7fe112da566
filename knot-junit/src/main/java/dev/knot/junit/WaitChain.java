package dev.knot.junit;

import dev.knot.snapshot.ThreadDump;
import dev.knot.model.Edge;
import dev.knot.model.GraphBuilder;
import dev.knot.model.ResourceKind;
import dev.knot.model.ThreadNode;
import dev.knot.model.WaitGraph;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * For a hung test no rule explains: what each of the test's threads waits for, who holds that, and what the holder is
 * doing now (looked at again, so that a holder sleeping in a loop is told from one that sleeps once).
 */
final class WaitChain {
    private WaitChain() {
    }

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    /** How long a holder in a timed wait is watched for waking up and waiting again (a loop). */
    static final long LOOP_WATCH_MILLIS = 100;
    private static final int MAX_DEPTH = 8;

    /**
     * @param waitedCounts each test thread's {@link ThreadInfo#getWaitedCount()} when the snapshot was taken, by id
     * @return the chain's lines, empty if none of the test's threads waits for anything in this JVM
     */
    static List<String> explain(ThreadDump dump, List<Thread> testThreads, Map<Long, Long> waitedCounts, long countedAtNanos) {
        WaitGraph g = GraphBuilder.build(dump);
        Map<String, ThreadNode> byId = new HashMap<>();
        for (ThreadNode t : g.threads()) byId.putIfAbsent(t.dumped().id(), t);
        Map<String, Thread> live = new HashMap<>();
        for (Thread t : testThreads) live.put(Long.toString(t.getId()), t);
        Chain c = new Chain(g, live, waitedCounts, countedAtNanos);
        for (Thread t : testThreads) {
            ThreadNode n = byId.get(Long.toString(t.getId()));
            if (n != null && !c.told.contains(n) && g.waitOf(n) != null) c.follow(n, "", 0);
        }
        return c.lines;
    }

    /** The waited counts of these threads now (one ThreadMXBean call, no stacks). */
    static Map<Long, Long> waitedCounts(List<Thread> threads) {
        Map<Long, Long> out = new HashMap<>();
        long[] ids = new long[threads.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = threads.get(i).getId();
        for (ThreadInfo ti : MX.getThreadInfo(ids)) {
            if (ti != null) out.put(ti.getThreadId(), ti.getWaitedCount());
        }
        return out;
    }

    private static final class Chain {
        final WaitGraph g;
        final Map<String, Thread> live;
        final Map<Long, Long> counts;
        final long countedAt;
        final List<String> lines = new ArrayList<>();
        final Set<ThreadNode> told = new HashSet<>();

        Chain(WaitGraph g, Map<String, Thread> live, Map<Long, Long> counts, long countedAt) {
            this.g = g;
            this.live = live;
            this.counts = counts;
            this.countedAt = countedAt;
        }

        void follow(ThreadNode t, String indent, int depth) {
            told.add(t);
            Edge w = g.waitOf(t);
            lines.add(indent + quote(t) + " " + w.mode().verb() + " " + w.resource().label()
                    + (w.site() == null ? "" : " at " + w.site().location()));
            List<Edge> by = new ArrayList<>();
            for (Edge e : g.unblockers(w.resource())) {
                if (e.thread() != t) by.add(e);
            }
            ThreadNode joined = g.joinedThread(w.resource());
            if (joined != null && joined != t && !told.contains(joined)) {
                lines.add(indent + "  " + quote(joined) + " is now " + now(joined));
                told.add(joined);
                return;
            }
            if (by.isEmpty()) {
                if (w.resource().kind() == ResourceKind.THREAD_EXIT) return; // which thread, only the agent can tell
                boolean owned = w.resource().kind().owned();
                lines.add(indent + "  " + (owned ? "no thread in the snapshot is shown holding it"
                        : "which thread would " + release(w.resource().kind()) + " is not recorded"
                        + (live.size() > 1 ? "; the test's other threads:"
                        : "; the test started no other thread, so something outside it would have to")));
                return;
            }
            for (Edge e : by) {
                ThreadNode u = e.thread();
                String how = e.type() == Edge.Type.HELD_BY ? "held by " : "can be released by ";
                String where = e.site() == null ? "" : ", locked in frame " + e.site().location();
                String likely = e.certainty() == dev.knot.findings.Certainty.LIKELY ? " (inferred)" : "";
                lines.add(indent + "  " + how + quote(u) + where + likely);
                if (told.contains(u)) {
                    lines.add(indent + "    (" + quote(u) + ", above)");
                } else if (depth < MAX_DEPTH && g.waitOf(u) != null && !g.waitOf(u).timed()) {
                    follow(u, indent + "  ", depth + 1);
                } else {
                    told.add(u);
                    lines.add(indent + "  " + quote(u) + " is now " + now(u));
                }
            }
        }

        /** The holder as it is now, looked at again: a timed wait it keeps re-entering is a loop. */
        String now(ThreadNode u) {
            Thread t = live.get(u.dumped().id());
            if (t == null) return u.state() + (u.frames().isEmpty() ? "" : " in " + u.frames().get(0).location());
            Long before = counts.get(t.getId());
            if (before != null && t.getState() == Thread.State.TIMED_WAITING) {
                long left = LOOP_WATCH_MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - countedAt);
                if (left > 0) {
                    try {
                        Thread.sleep(left); // Knot's own thread: the test has already timed out
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            StackTraceElement[] st = Threads.stack(t);
            Thread.State state = Threads.state(t);
            String doing = Stacks.doing(state, st);
            ThreadInfo ti = MX.getThreadInfo(t.getId());
            long watched = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - countedAt);
            if (before != null && ti != null && state == Thread.State.TIMED_WAITING && ti.getWaitedCount() > before) {
                boolean sleeping = st.length > 0 && st[0].getClassName().equals("java.lang.Thread")
                        && st[0].getMethodName().startsWith("sleep");
                long again = ti.getWaitedCount() - before;
                doing += ": " + (sleeping ? "sleeping" : "waiting") + " in a loop (it woke and " + (sleeping ? "slept" : "waited")
                        + " again " + again + (again == 1 ? " time" : " times") + " in " + watched + " ms, keeping what it holds)";
            }
            return doing;
        }
    }

    private static String quote(ThreadNode t) {
        return "\"" + t.name() + "\"" + (t.virtual() ? " (virtual)" : "");
    }

    private static String release(ResourceKind k) {
        switch (k) {
            case LATCH: return "count it down";
            case SEMAPHORE: return "release a permit";
            case FUTURE:
            case COMPLETABLE_FUTURE: return "complete it";
            case BOUNDED_QUEUE: return "take from or put into it";
            case THREAD_EXIT: return "end it";
            default: return "signal it";
        }
    }
}
