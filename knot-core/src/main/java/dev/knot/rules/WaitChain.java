package dev.knot.rules;

import dev.knot.findings.Certainty;
import dev.knot.model.Edge;
import dev.knot.model.GraphBuilder;
import dev.knot.sites.ResourceKind;
import dev.knot.model.ThreadNode;
import dev.knot.model.WaitGraph;
import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.ThreadDump;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * For threads that wait although no rule finds a hang (a latch nobody counts down, a lock held by a thread that
 * sleeps): what each waits for, who holds or can release that, and on down the chain to a thread that does
 * something else, told by the caller ({@code now}) who may look at the live thread again.
 */
public final class WaitChain {
    private static final int MAX_DEPTH = 8;

    private WaitChain() {
    }

    /**
     * @param threadIds the ids (as in the dump) of the threads to explain, in order
     * @param owner     who started them, for the lines that say so ("the test")
     * @param now       what a thread at the end of a chain is doing now; {@link #asDumped} says what the dump shows
     * @return the chain's lines, empty if none of the threads waits for anything in the snapshot
     */
    public static List<String> explain(ThreadDump dump, List<String> threadIds, String owner,
                                       Function<DumpedThread, String> now) {
        WaitGraph g = GraphBuilder.build(dump);
        Map<String, ThreadNode> byId = new HashMap<>();
        for (ThreadNode t : g.threads()) byId.putIfAbsent(t.dumped().id(), t);
        Chain c = new Chain(g, now, threadIds.size(), owner);
        for (String id : threadIds) {
            ThreadNode n = byId.get(id);
            if (n != null && !c.told.contains(n) && g.waitOf(n) != null) c.follow(n, "", 0);
        }
        return c.lines;
    }

    /** The thread's state and top frame as the dump shows them. */
    public static String asDumped(DumpedThread t) {
        return t.state() + (t.frames().isEmpty() ? "" : " in " + t.frames().get(0).location());
    }

    private static final class Chain {
        final WaitGraph g;
        final Function<DumpedThread, String> now;
        final int asked;
        final String owner;
        final List<String> lines = new ArrayList<>();
        final Set<ThreadNode> told = new HashSet<>();

        Chain(WaitGraph g, Function<DumpedThread, String> now, int asked, String owner) {
            this.g = g;
            this.now = now;
            this.asked = asked;
            this.owner = owner;
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
                lines.add(indent + "  " + quote(joined) + " is now " + now.apply(joined.dumped()));
                told.add(joined);
                return;
            }
            if (by.isEmpty()) {
                ResourceKind k = w.resource().kind();
                if (k == ResourceKind.THREAD_EXIT) return; // which thread, only the agent can tell
                lines.add(indent + "  " + (k.owned() ? "no thread in the snapshot is shown holding it"
                        : "which thread would " + k.releaseVerb() + " is not recorded"
                        + (asked > 1 ? "; " + owner + "'s other threads:"
                        : "; " + owner + " started no other thread, so something outside it would have to")));
                return;
            }
            for (Edge e : by) {
                ThreadNode u = e.thread();
                String how = e.type() == Edge.Type.HELD_BY ? "held by " : "can be released by ";
                String where = e.site() == null ? "" : ", locked in frame " + e.site().location();
                String likely = e.certainty() == Certainty.LIKELY ? " (inferred)" : "";
                lines.add(indent + "  " + how + quote(u) + where + likely);
                if (told.contains(u)) {
                    lines.add(indent + "    (" + quote(u) + ", above)");
                } else if (depth < MAX_DEPTH && g.waitOf(u) != null && !g.waitOf(u).timed()) {
                    follow(u, indent + "  ", depth + 1);
                } else {
                    told.add(u);
                    lines.add(indent + "  " + quote(u) + " is now " + now.apply(u.dumped()));
                }
            }
        }
    }

    private static String quote(ThreadNode t) {
        return "\"" + t.name() + "\"" + (t.virtual() ? " (virtual)" : "");
    }
}
