package dev.knot.rules;

import dev.knot.findings.Finding;
import dev.knot.findings.Kind;
import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.StackFrame;
import dev.knot.findings.Certainty;
import dev.knot.model.Edge;
import dev.knot.model.Role;
import dev.knot.model.ThreadNode;
import dev.knot.model.WaitGraph;
import dev.knot.sites.WaitMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Across several dumps of one process: threads whose state, stack and CPU time did not move, waiting for
 * a result, permit or signal whose releaser Knot cannot name.
 */
final class StallRule {
    /** CPU time noise allowed between dumps, in ms: a blocked thread's CPU time does not change at all. */
    static final double CPU_TOLERANCE_MS = 1.0;

    List<Finding> apply(List<WaitGraph> graphs, Claimed claimed) {
        if (graphs.size() < 2) return List.of();
        WaitGraph last = graphs.get(graphs.size() - 1);
        String span = span(graphs);
        Map<String, List<ThreadNode>> groups = new LinkedHashMap<>();
        Map<String, Edge> groupWait = new LinkedHashMap<>();
        for (ThreadNode t : last.threads()) {
            if (claimed.has(t) || t.role() != Role.APPLICATION || t.sleeping()) continue;
            Edge w = last.waitOf(t);
            if (w == null || w.timed() || !last.unblockers(w.resource()).isEmpty() || !awaitsAResult(w)) continue;
            if (!unmovedInAll(graphs, t)) continue;
            String group = w.resource().key();
            groups.computeIfAbsent(group, k -> new ArrayList<>()).add(t);
            groupWait.put(group, w);
        }
        List<Finding> out = new ArrayList<>();
        out.addAll(socketStalls(graphs, last, claimed, span));
        for (Map.Entry<String, List<ThreadNode>> e : groups.entrySet()) {
            List<ThreadNode> ts = e.getValue();
            Edge w = groupWait.get(e.getKey());
            List<String> story = new ArrayList<>();
            List<Edge> edges = new ArrayList<>();
            for (ThreadNode t : ts) {
                String cpu = t.dumped().cpuMillis() >= 0 ? "; CPU time stayed at " + t.dumped().cpuMillis() + " ms" : "";
                story.add(Story.waits(last.waitOf(t)) + " in all " + graphs.size() + " dumps" + span + cpu);
                edges.add(last.waitOf(t));
            }
            String summary = ts.size() + " thread(s) made no progress across " + graphs.size() + " dumps waiting for "
                    + w.resource().label() + ", and no thread in the dumps is known to release it";
            String why = "The same wait at the same line in every dump, with no CPU used, and nothing in the dumps is working"
                    + " towards releasing it: whatever should complete it has stopped, failed without completing it, or"
                    + " was never started.";
            String fix = "Put a timeout on the wait (get/join with timeout, CompletableFuture.orTimeout, await(timeout)) and"
                    + " make sure every path, including failures, completes or releases what is awaited.";
            out.add(Evidences.finding(Kind.STALL, Certainty.LIKELY, Story.names(ts), summary, story, why, fix,
                    List.of("dumps do not show who is supposed to release it; " + Story.proofHint(last)
                            + (last.live() ? "" : " with tracking to see which task or thread would")),
                    List.of(), edges));
        }
        return out;
    }

    /**
     * Threads in a socket read or connect without a timeout (or, before JDK 13, with none visible) whose stack and CPU
     * time did not move in any dump: the peer stopped answering, and without a timeout they never will move.
     */
    private static List<Finding> socketStalls(List<WaitGraph> graphs, WaitGraph last, Claimed claimed, String span) {
        Map<String, List<ThreadNode>> bySite = new LinkedHashMap<>();
        Map<String, ThreadNode.SocketCall> calls = new LinkedHashMap<>();
        for (ThreadNode t : last.threads()) {
            if (claimed.has(t) || t.role() == Role.SYSTEM) continue;
            ThreadNode.SocketCall c = t.socketCall();
            if (c == null || Boolean.TRUE.equals(c.timed()) || !unmovedInAll(graphs, t)) continue;
            String key = t.site() == null ? "" : t.site().location();
            bySite.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
            calls.putIfAbsent(key, c);
        }
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<String, List<ThreadNode>> e : bySite.entrySet()) {
            List<ThreadNode> ts = e.getValue();
            ThreadNode.SocketCall c = calls.get(e.getKey());
            List<String> story = new ArrayList<>();
            for (int i = 0; i < Math.min(ts.size(), 6); i++) {
                ThreadNode t = ts.get(i);
                String cpu = t.dumped().cpuMillis() >= 0 ? "; CPU time stayed at " + t.dumped().cpuMillis() + " ms" : "";
                story.add("\"" + t.name() + "\" in " + c.frame().location() + ", called at " + Story.where(t.site()) + ", in all "
                        + graphs.size() + " dumps" + span + cpu);
            }
            if (ts.size() > 6) story.add("… and " + (ts.size() - 6) + " more threads at the same line");
            String summary = ts.size() + " thread(s) made no progress across " + graphs.size() + " dumps blocked in a socket"
                    + " call " + (c.timed() == null ? "(no timeout visible)" : "with no timeout") + " at " + Story.where(ts.get(0).site());
            String why = "The same socket read at the same line in every dump, with no CPU used: the other side is not"
                    + " answering, and a read without a timeout waits for it forever.";
            String fix = "Find out why the server stopped answering (its own thread dump), and give the call a timeout"
                    + " (Socket.setSoTimeout, the driver's or client's read timeout) so that it fails instead of hanging.";
            out.add(Evidences.finding(Kind.STALL, Certainty.LIKELY, Story.names(ts), summary, story, why, fix,
                    List.of("dumps do not show what the server is doing; take a thread dump of it too"), List.of(), List.of()));
        }
        return out;
    }

    /**
     * Waits for a result, a permit or a signal that some other work must produce. Object.wait(), bare
     * Condition.await() and park, join, queue take and socket reads are left out: in the wild they are mostly idle
     * workers and idle connections, which look the same in every dump and are healthy.
     */
    private static boolean awaitsAResult(Edge w) {
        switch (w.resource().kind()) {
            case FUTURE: case COMPLETABLE_FUTURE: case LATCH: case SEMAPHORE: case BARRIER: case OBJECT_POOL:
                return true;
            case BOUNDED_QUEUE:
                return w.mode() == WaitMode.PUT;
            default:
                return false;
        }
    }

    private static boolean unmovedInAll(List<WaitGraph> graphs, ThreadNode t) {
        DumpedThread now = t.dumped();
        for (WaitGraph g : graphs) {
            ThreadNode other = g.thread(t.key());
            if (other == null || !other.name().equals(t.name())) return false;
            DumpedThread d = other.dumped();
            if (d.state() != now.state() || !sameStack(d.frames(), now.frames())) return false;
            if (d.cpuMillis() >= 0 && now.cpuMillis() >= 0 && Math.abs(now.cpuMillis() - d.cpuMillis()) > CPU_TOLERANCE_MS) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameStack(List<StackFrame> a, List<StackFrame> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            StackFrame x = a.get(i);
            StackFrame y = b.get(i);
            if (!x.className().equals(y.className()) || !x.method().equals(y.method()) || x.line() != y.line()) return false;
        }
        return true;
    }

    private static String span(List<WaitGraph> graphs) {
        var t0 = graphs.get(0).dump().time();
        var t1 = graphs.get(graphs.size() - 1).dump().time();
        if (t0 == null || t1 == null) return "";
        Duration d = Duration.between(t0, t1);
        return d.isNegative() || d.isZero() ? "" : " over " + human(d);
    }

    static String human(Duration d) {
        long s = d.getSeconds();
        if (s < 120) return s + " s";
        if (s < 7200) return (s / 60) + " min";
        return (s / 3600) + " h";
    }
}
