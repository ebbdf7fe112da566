package dev.knot.rules;

import dev.knot.findings.Finding;
import dev.knot.findings.Kind;
import dev.knot.snapshot.DumpFormat;
import dev.knot.findings.Certainty;
import dev.knot.model.Edge;
import dev.knot.model.Resource;
import dev.knot.sites.ResourceKind;
import dev.knot.model.ThreadNode;
import dev.knot.model.WaitGraph;
import dev.knot.sites.WaitMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Threads wait for a lock that no thread in the dump holds: its owner ended without unlocking, or the owner
 * is a virtual thread the format does not show.
 */
final class OrphanedLockRule implements Rule {

    @Override
    public List<Finding> apply(WaitGraph g, Claimed claimed) {
        // A dump that looks cut off may have lost the owner (its "- locked" line or "Locked ownable synchronizers",
        // or the whole thread, past the cut): no lock is called orphaned; the dump's warning says so.
        if (g.dump().mayBeCutOff()) return List.of();
        Map<Resource, List<Edge>> orphans = new LinkedHashMap<>();
        for (ThreadNode t : g.threads()) {
            if (claimed.has(t) || !g.stuck(t) && g.waitOf(t) == null) continue;
            Edge w = g.waitOf(t);
            if (w == null || w.timed() || !g.holdersOf(w.resource()).isEmpty()) continue;
            ResourceKind k = w.resource().kind();
            // Without listed owners, only when no thread is running that could own it (then likely, saying what is missing).
            boolean ownersKnownOrNobodyElse = g.ownersListed(w.resource()) || g.activeThreads().isEmpty();
            boolean lock = k == ResourceKind.EXCLUSIVE_LOCK && ownersKnownOrNobodyElse
                    || k == ResourceKind.READ_WRITE_LOCK && w.mode() == WaitMode.READ_LOCK && g.ownersListed(w.resource())
                    || k == ResourceKind.MONITOR && (w.mode() == WaitMode.LOCK);
            if (lock) orphans.computeIfAbsent(w.resource(), r -> new ArrayList<>()).add(w);
        }
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<Resource, List<Edge>> e : orphans.entrySet()) {
            Finding f = finding(g, e.getKey(), e.getValue());
            out.add(f);
            claimed.add(f);
        }
        return out;
    }

    private static Finding finding(WaitGraph g, Resource r, List<Edge> waits) {
        List<ThreadNode> waiters = new ArrayList<>();
        List<String> story = new ArrayList<>();
        for (Edge w : waits) {
            waiters.add(w.thread());
            story.add(Story.waits(w));
        }
        boolean monitor = r.kind() == ResourceKind.MONITOR;
        boolean hidesVirtual = g.mayHideVirtualThreads();
        Certainty certainty;
        String why;
        List<String> missing = new ArrayList<>();
        if (monitor) {
            // The JVM releases monitors when a thread ends, so a monitor cannot outlive its owner.
            certainty = Certainty.LIKELY;
            story.add("no thread in the dump holds " + r.label());
            why = hidesVirtual
                    ? "A monitor is released when its owner ends, so its owner is alive but not in this dump: most likely a"
                      + " virtual thread that is not mounted (jstack and Thread.print omit those; since JDK 24 a virtual"
                      + " thread can unmount inside synchronized), or native code that entered it through JNI."
                    : "A monitor is released when its owner ends, so its owner is alive but not shown: native code that"
                      + " entered it through JNI, or a thread the dump omitted.";
            missing.add(hidesVirtual
                    ? "take `jcmd <pid> Thread.dump_to_file -format=json <file>` (lists virtual threads and their monitors) or "
                      + Story.attachHint()
                    : Story.attachHint());
        } else if (!g.ownersListed(r)) {
            certainty = Certainty.LIKELY;
            boolean everyThreadListed = g.dump().format() == DumpFormat.JCMD_JSON || g.live() && !hidesVirtual;
            story.add("this input does not list lock owners; no thread in it is running, and every other thread is"
                    + " idle or waiting for something else");
            why = "The owner is not shown. " + (everyThreadListed
                    ? "The dump lists every thread, platform and virtual, and none"
                    : "No thread in the dump") + " is running code that could be inside the lock: most likely its owner"
                    + " ended (or went idle) without unlocking" + (everyThreadListed ? "." : ", or it is a thread the dump"
                    + " does not show (an unmounted virtual thread).");
            missing.add("take `jstack -l <pid>` (lists lock owners) or " + Story.attachHint());
        } else {
            boolean noVirtualThreads = !hidesVirtual && (g.live() || g.dump().format() == DumpFormat.JSTACK);
            certainty = noVirtualThreads ? Certainty.CERTAIN : Certainty.LIKELY;
            story.add("no live thread lists " + r.label() + " among its locked ownable synchronizers");
            why = "The dump lists the owner of every java.util.concurrent lock held by a live platform thread, and none holds"
                    + " this one. Its owner ended without unlocking (an exception skipped unlock(), or the thread was"
                    + " stopped)" + (noVirtualThreads ? "." : ", or it is a virtual thread this format does not show.")
                    + " Nobody will ever unlock it.";
            if (!noVirtualThreads) {
                missing.add("to rule out a hidden virtual owner, " + Story.attachHint());
            }
        }
        String summary = waiters.size() + " thread(s) wait for " + r.label() + ", which no thread in the dump holds";
        String fix = monitor
                ? "Find the hidden owner (see below); if it is a virtual thread blocked inside synchronized, release the"
                  + " monitor before blocking or use a ReentrantLock."
                : "Always unlock in a finally block right after lock(); never let a thread end (or be stopped) while holding"
                  + " a lock. To recover, restart the process: an orphaned lock cannot be released from outside.";
        return Evidences.finding(Kind.ORPHANED_LOCK, certainty, Story.names(waiters), summary, story, why, fix, missing,
                List.of(), waits);
    }
}
