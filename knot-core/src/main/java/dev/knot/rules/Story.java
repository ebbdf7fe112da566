package dev.knot.rules;

import dev.knot.snapshot.StackFrame;
import dev.knot.model.Edge;
import dev.knot.sites.ResourceKind;
import dev.knot.model.ThreadNode;
import dev.knot.model.WaitGraph;
import java.util.ArrayList;
import java.util.List;

/** Sentences shared by the rules, so every finding tells its story the same way. */
final class Story {
    private Story() {
    }

    static String quote(ThreadNode t) {
        return "\"" + t.name() + "\"" + (t.virtual() ? " (virtual)" : "");
    }

    static String waits(Edge w) {
        String where = w.site() == null ? "" : " at " + w.site().location();
        return quote(w.thread()) + " " + w.mode().verb() + " " + w.resource().label() + where;
    }

    /**
     * Waits as story lines, threads with the same wait (resource, mode, site) in one line with their count, at most
     * {@code maxLines} lines and then how many threads more: 10,000 waiters stay readable.
     */
    /** What makes two waits one story line (a Resource compares by identity). */
    private record SameWait(dev.knot.sites.WaitMode mode, dev.knot.model.Resource resource, Object site) {
    }

    static List<String> waitsGrouped(List<Edge> waits, int maxLines) {
        java.util.Map<SameWait, List<Edge>> same = new java.util.LinkedHashMap<>();
        for (Edge w : waits) {
            SameWait key = new SameWait(w.mode(), w.resource(), w.site() == null ? null : w.site().site());
            same.computeIfAbsent(key, k -> new ArrayList<>()).add(w);
        }
        List<String> out = new ArrayList<>();
        int told = 0;
        for (List<Edge> ws : same.values()) {
            if (out.size() == maxLines) break;
            out.add(ws.size() == 1 ? waits(ws.get(0)) : waitTogether(ws));
            told += ws.size();
        }
        if (told < waits.size()) out.add("… and " + (waits.size() - told) + " more threads wait behind it");
        return out;
    }

    /** Several threads with the same wait (same resource, mode and site), as one line with their count. */
    static String waitTogether(List<Edge> same) {
        Edge w = same.get(0);
        List<ThreadNode> who = new ArrayList<>(same.size());
        for (Edge e : same) who.add(e.thread());
        String where = w.site() == null ? "" : " at " + w.site().location();
        String verb = w.mode().verb();
        verb = verb.startsWith("waits") ? "wait" + verb.substring(5) : verb.startsWith("is ") ? "are " + verb.substring(3) : verb;
        return same.size() + " threads " + verb + " " + w.resource().label() + where + ": " + list(who);
    }

    /** The wait without the thread's name, to follow a sentence about the same thread. */
    static String andWaits(Edge w) {
        String where = w.site() == null ? "" : " at " + w.site().location();
        return "  and " + w.mode().verb() + " " + w.resource().label() + where;
    }

    static String holds(Edge h) {
        String how = h.certainty() == dev.knot.findings.Certainty.LIKELY ? " may hold " : " holds ";
        return quote(h.thread()) + how + h.resource().label() + acquired(h);
    }

    static String acquired(Edge h) {
        if (h.site() != null) {
            return h.resource().kind() == ResourceKind.CLASS_INIT
                    ? " (running " + h.site().location() + ")"
                    : ", locked in frame " + h.site().location();
        }
        if (h.certainty() == dev.knot.findings.Certainty.LIKELY) return "";
        String live = "live: " + quote(h.thread()) + " ";
        if (!h.evidence().isEmpty() && h.evidence().get(0).startsWith(live)) {
            return " (" + h.evidence().get(0).substring(live.length()) + ")"; // what tracking recorded
        }
        return " (where it was acquired is not recorded in thread dumps)";
    }

    /** Everything a thread holds that others wait for, one sentence each. */
    static List<String> relevantHolds(WaitGraph g, ThreadNode t) {
        List<String> out = new ArrayList<>();
        for (Edge h : g.holdsOf(t)) {
            if (!g.waitersOf(h.resource()).isEmpty()) out.add(holds(h));
        }
        return out;
    }

    static List<String> names(List<ThreadNode> ts) {
        List<String> out = new ArrayList<>();
        for (ThreadNode t : ts) out.add(t.name());
        return out;
    }

    static String list(List<ThreadNode> ts) {
        List<String> q = new ArrayList<>();
        for (int i = 0; i < ts.size() && i < 6; i++) q.add(quote(ts.get(i))); // 6 named, however many there are
        if (ts.size() <= 6) return String.join(", ", q);
        return String.join(", ", q) + " and " + (ts.size() - 6) + " more";
    }

    static String where(StackFrame f) {
        return f == null ? "an unknown place" : f.location();
    }

    /** What a live snapshot recorded about the resource (permits, counts), as story lines. */
    static List<String> notes(WaitGraph g, dev.knot.model.Resource r) {
        List<String> out = new ArrayList<>();
        for (String n : g.notes(r.key())) out.add("  " + r.label() + ": " + n);
        return out;
    }

    /** How to get the proof that is missing: from a dump, attach; from a live snapshot, turn tracking on. */
    static String proofHint(WaitGraph g) {
        return g.live() ? "load the Knot agent with tracking on (`-javaagent:knot-agent.jar=track=all`), which records"
                + " holders, producers and completers as they happen" : attachHint();
    }

    /** What is missing for certainty about Semaphore permits, from a dump or from a live snapshot. */
    static String permitHoldersHint(WaitGraph g, String whoAcquired) {
        return (g.live() ? "reflection cannot see who holds Semaphore permits; "
                : "thread dumps never show who holds Semaphore permits; ") + proofHint(g)
                + (g.live() ? "" : " with tracking to see " + whoAcquired);
    }

    /** The standard advice for getting proof a dump cannot give. */
    static String attachHint() {
        return "run `knot attach <pid>` on the live process (it reads the lock, permit and queue state directly)";
    }
}
