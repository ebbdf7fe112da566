package dev.knot.rules;

import dev.knot.findings.Finding;
import dev.knot.findings.Kind;
import dev.knot.findings.Certainty;
import dev.knot.model.Edge;
import dev.knot.sites.ResourceKind;
import dev.knot.model.ThreadNode;
import dev.knot.model.WaitGraph;
import dev.knot.sites.WaitMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Two or more threads each waiting for something only another of them can give:
 * <ul>
 *   <li>a cycle of owned resources (monitors, j.u.c locks, class initialisers), certain when every owner is printed;</li>
 *   <li>a thread waiting for a signal (queue space, notify, latch, permit) while holding a lock that the
 *       threads able to give that signal are blocked on (likely: dumps do not say who would signal);</li>
 *   <li>several threads each holding units of one pool (Semaphore) and waiting for another (likely).</li>
 * </ul>
 */
final class DeadlockRule implements Rule {

    @Override
    public List<Finding> apply(WaitGraph g, Claimed claimed) {
        List<Finding> out = new ArrayList<>();
        Map<ThreadNode, List<ThreadNode>> dependents = null;
        for (List<ThreadNode> group : Cycles.find(g)) {
            if (group.size() < 2 || claimed.any(group)) continue;
            if (dependents == null) dependents = Cycles.dependents(g);
            List<ThreadNode> cycle = Cycles.narrowGuessed(g, group);
            Finding f = ownedCycle(g, cycle, dependents);
            if (f == null && cycle != group) f = ownedCycle(g, cycle = group, dependents);
            if (f != null) {
                out.add(f);
                claimed.add(f);
                // the rest of a guessed group is told as blocked behind the cycle, not again by a later rule
                if (cycle != group) claimed.addAll(group);
            }
        }
        for (ThreadNode t : g.threads()) {
            if (claimed.has(t)) continue;
            Finding f = holdAndWait(g, t, claimed);
            if (f != null) {
                out.add(f);
                claimed.add(f);
            }
        }
        out.addAll(unitPools(g, claimed));
        return out;
    }

    // ---- cycles over owners ---------------------------------------------------------------------

    private static Finding ownedCycle(WaitGraph g, List<ThreadNode> cycle, Map<ThreadNode, List<ThreadNode>> dependents) {
        Certainty certainty = Certainty.CERTAIN;
        List<String> story = new ArrayList<>();
        List<Edge> edges = new ArrayList<>();
        Set<ResourceKind> kinds = new LinkedHashSet<>();
        Set<ThreadNode> inCycleSet = new java.util.HashSet<>(cycle);
        for (ThreadNode t : cycle) {
            Edge w = g.waitOf(t);
            edges.add(w);
            kinds.add(w.resource().kind());
            certainty = certainty.and(w.certainty());
            boolean inCycle = false;
            // Permits and read locks: the holders seen are all there are only if tracking saw every acquire.
            boolean shared = w.resource().kind() == ResourceKind.SEMAPHORE || w.resource().kind() == ResourceKind.OBJECT_POOL
                    || w.resource().kind() == ResourceKind.READ_WRITE_LOCK && w.mode() == dev.knot.sites.WaitMode.WRITE_LOCK;
            if (shared && !g.holdersComplete(w.resource())) certainty = Certainty.LIKELY;
            for (Edge h : g.holdersOf(w.resource())) {
                if (inCycleSet.contains(h.thread())) {
                    inCycle = true;
                    edges.add(h);
                    certainty = certainty.and(h.certainty());
                } else if (h.certainty() == Certainty.CERTAIN) {
                    return null; // held (also) by a thread outside the group: not a closed cycle
                }
            }
            if (!inCycle) return null;
        }
        for (ThreadNode t : cycle) {
            List<String> holds = new ArrayList<>();
            for (Edge h : g.holdsOf(t)) {
                boolean waitedInCycle = edges.stream().anyMatch(e -> e.resource() == h.resource() && e.type() == Edge.Type.WAITS_FOR);
                boolean certainInit = h.certainty() == Certainty.CERTAIN && h.resource().kind() == ResourceKind.CLASS_INIT;
                if (waitedInCycle || certainInit) holds.add(Story.holds(h));
            }
            story.addAll(holds);
            story.add(holds.isEmpty() ? Story.waits(g.waitOf(t)) : Story.andWaits(g.waitOf(t)));
        }
        List<String> missing = new ArrayList<>();
        if (certainty == Certainty.LIKELY && kinds.contains(ResourceKind.CLASS_INIT)) {
            missing.add("this format does not print class-initialisation waits; `jstack <pid>` names the class each thread"
                    + " waits for");
        } else if (certainty == Certainty.LIKELY) {
            missing.add("this dump does not list who owns java.util.concurrent locks; take it with `jstack -l <pid>`"
                    + " (or `jcmd <pid> Thread.print -l`), or " + Story.attachHint());
        }
        String what = describeKinds(kinds);
        String summary = cycle.size() + " threads deadlocked on " + what + ": " + Story.list(cycle);
        String why = "Each thread holds what the next one in the cycle waits for, and none releases what it holds until"
                + " it gets what it waits for. No timeout applies to these waits, so they will wait forever.";
        String fix = kinds.contains(ResourceKind.OBJECT_POOL)
                ? "Do not borrow a second object from the same pool while holding one (pass the held connection down"
                  + " instead), size the pool for the nesting, and return objects in finally."
                : kinds.contains(ResourceKind.SEMAPHORE)
                ? "Do not acquire a second unit of the same pool while holding one (pass the held unit down instead), size"
                  + " the pool for the nesting, or acquire with tryAcquire(timeout); release in finally."
                : kinds.contains(ResourceKind.CLASS_INIT)
                ? "Break the initialisation cycle: static initialisers must not (directly or through other classes) need each"
                  + " other; move the shared state into a third holder class or initialise lazily."
                : "Acquire the locks in one global order in every code path (the order here is inconsistent), or acquire"
                  + " with a timeout (tryLock) and back off; keep critical sections from calling out to code that locks.";
        return Evidences.finding(Kind.DEADLOCK, certainty, Story.names(cycle), summary, story, why, fix, missing,
                Story.names(Cycles.blockedBehind(dependents, cycle)), edges);
    }

    private static String describeKinds(Set<ResourceKind> kinds) {
        List<String> words = new ArrayList<>();
        for (ResourceKind k : kinds) {
            switch (k) {
                case MONITOR: words.add("monitors (synchronized)"); break;
                case EXCLUSIVE_LOCK: words.add("locks"); break;
                case READ_WRITE_LOCK: words.add("read-write locks"); break;
                case CLASS_INIT: words.add("class initialisation"); break;
                default: words.add(k.noun() + "s");
            }
        }
        return String.join(" and ", words);
    }

    // ---- hold and wait --------------------------------------------------------------------------

    /**
     * t waits without timeout for a signal whose only likely releasers are threads blocked on a lock t holds
     * (the model's inferred can-be-released-by edges).
     */
    private static Finding holdAndWait(WaitGraph g, ThreadNode t, Claimed claimed) {
        if (!g.stuck(t)) return null;
        Edge w = g.waitOf(t);
        List<Edge> releasers = g.releasersOf(w.resource());
        if (!g.holdersOf(w.resource()).isEmpty() || releasers.isEmpty()) return null;
        List<ThreadNode> members = new ArrayList<>();
        members.add(t);
        java.util.Set<ThreadNode> inMembers = new java.util.HashSet<>(members);
        List<String> story = new ArrayList<>();
        List<Edge> edges = new ArrayList<>();
        edges.add(w);
        story.add(Story.waits(w));
        for (Edge h : g.holdsOf(t)) {
            boolean relevant = false;
            List<Edge> waits = new ArrayList<>();
            for (Edge r : releasers) {
                Edge rw = g.waitOf(r.thread());
                if (rw != null && rw.resource() == h.resource() && !claimed.has(r.thread())) {
                    if (!relevant) {
                        story.add("  while it " + Story.holds(h).substring(Story.quote(t).length() + 1));
                        edges.add(h);
                        relevant = true;
                    }
                    if (inMembers.add(r.thread())) {
                        members.add(r.thread());
                        edges.add(r);
                        edges.add(rw);
                        waits.add(rw);
                    }
                }
            }
            story.addAll(Story.waitsGrouped(waits, 8));
        }
        if (members.size() < 2) return null;
        String signal = signalOf(w);
        List<ThreadNode> others = members.subList(1, members.size());
        String summary = "\"" + t.name() + "\" waits for " + signal + " while holding a lock that " + Story.list(others)
                + (others.size() == 1 ? " needs" : " need");
        String fix = fixFor(w);
        List<String> missing = new ArrayList<>();
        String tracked = g.releasersComplete(w.resource());
        if (tracked != null) story.add("  " + w.resource().label() + ": " + tracked);
        List<ThreadNode> behind = new ArrayList<>();
        String proof = nobodyElseCanRun(g, w, members, edges, behind, missing);
        if (proof != null) {
            String why = "Only a thread that runs can give " + signal + ". " + Story.list(others) + (others.size() == 1
                    ? " is" : " are") + " blocked on a lock \"" + t.name() + "\" keeps while it waits, "
                    + (behind.isEmpty() ? "" : Story.list(behind) + " wait" + (behind.size() == 1 ? "s" : "") + " behind them, ")
                    + "and " + proof + ". Neither side can move.";
            return Evidences.finding(Kind.DEADLOCK, Certainty.CERTAIN, Story.names(members), summary, story, why, fix, List.of(),
                    Story.names(behind), edges);
        }
        String why = "Whoever would give " + signal + " is most likely among " + Story.list(others)
                + ", and they are blocked on a lock \"" + t.name() + "\" keeps while it waits. "
                + (g.activeThreads().isEmpty()
                    ? "No other thread in the dump is running, so nothing else can give it."
                    : "Unless another running thread (" + Story.list(g.activeThreads()) + ") gives it, neither side can move.");
        return Evidences.finding(Kind.DEADLOCK, Certainty.LIKELY, Story.names(members), summary, story, why, fix, missing,
                List.of(), edges);
    }

    /** JVM threads that run only JDK code, or application code only for a signal, a shutdown or a JMX listener. */
    private static final Set<String> JVM_SERVICE = Set.of("Reference Handler", "Signal Dispatcher", "Service Thread",
            "Monitor Deflation Thread", "Notification Thread", "Common-Cleaner", "Attach Listener", "Sweeper thread");

    /**
     * Who would give the signal is not recorded anywhere (who calls notify(), who will take from a queue), so the
     * only proof is that no thread outside the group can ever run again: in a live snapshot listing every thread,
     * every other thread waits without timeout for a lock or a thread end that only the group (or threads already
     * shown stuck behind it) can give, or is one of the JVM's own service threads. Returns that proof in words,
     * or null with what is missing added to {@code missing}; fills {@code behind} with the threads stuck behind.
     */
    private static String nobodyElseCanRun(WaitGraph g, Edge w, List<ThreadNode> members, List<Edge> edges,
                                           List<ThreadNode> behind, List<String> missing) {
        String who = w.mode() == WaitMode.NOTIFY
                ? "no tool can say which thread would call notify() on " + w.resource().label().replace("wait:", "")
                : g.live() ? "who will " + releaseVerb(w) + " is not recorded (tracking knows only who did so before)"
                : "thread dumps do not say which thread would " + releaseVerb(w);
        if (!g.live()) {
            missing.add(who + "; " + Story.attachHint() + ": it proves it when no other thread can run");
            return null;
        }
        for (Edge e : edges) {
            // who can release is what the proof below replaces; the waits and the held lock must be facts
            if (e.type() != Edge.Type.CAN_BE_RELEASED_BY && e.certainty() != Certainty.CERTAIN) {
                missing.add(who + ", and an edge of this cycle is inferred: " + String.join("; ", e.evidence()));
                return null;
            }
        }
        if (g.mayHideVirtualThreads()) {
            missing.add(who + ", and the snapshot could not list every virtual thread, so another thread may still run");
            return null;
        }
        Set<ThreadNode> closed = new java.util.HashSet<>(members);
        for (boolean grew = true; grew; ) {
            grew = false;
            for (ThreadNode u : g.threads()) {
                if (!closed.contains(u) && waitsOnlyFor(g, u, closed)) {
                    closed.add(u);
                    behind.add(u);
                    grew = true;
                }
            }
        }
        boolean noFinalizers = g.notes(dev.knot.snapshot.LiveFact.JVM).contains(dev.knot.snapshot.LiveFact.NO_APPLICATION_FINALIZERS);
        List<ThreadNode> free = new ArrayList<>();
        for (ThreadNode u : g.threads()) {
            if (!closed.contains(u) && !jvmService(u, noFinalizers)) free.add(u);
        }
        if (!free.isEmpty()) {
            missing.add(who + "; it would be certain if no other thread could run, but " + Story.list(free)
                    + (free.size() == 1 ? " is" : " are") + " not blocked behind these threads and could");
            return null;
        }
        return "no other thread can run: the live snapshot lists every thread, and each other one is stuck behind them"
                + " or is a JVM service thread (these run application code only for a signal handler, a shutdown hook or"
                + " a JMX notification listener; no application object awaits finalization)";
    }

    /** u waits without timeout, for certain, for a lock or a thread end whose every holder is in {@code closed}. */
    private static boolean waitsOnlyFor(WaitGraph g, ThreadNode u, Set<ThreadNode> closed) {
        Edge w = g.waitOf(u);
        if (w == null || w.timed() || w.certainty() != Certainty.CERTAIN) return false;
        ResourceKind k = w.resource().kind();
        if (k != ResourceKind.MONITOR && k != ResourceKind.EXCLUSIVE_LOCK && k != ResourceKind.CLASS_INIT
                && k != ResourceKind.THREAD_EXIT) {
            return false;
        }
        if (k == ResourceKind.THREAD_EXIT) return closed.contains(g.joinedThread(w.resource()));
        List<Edge> u2 = g.unblockers(w.resource());
        if (u2.isEmpty()) return false;
        for (Edge e : u2) {
            if (e.certainty() != Certainty.CERTAIN || !closed.contains(e.thread())) return false;
        }
        return true;
    }

    private static boolean jvmService(ThreadNode u, boolean noFinalizers) {
        if (u.role() != dev.knot.model.Role.SYSTEM) return false;
        String n = u.name();
        if (JVM_SERVICE.contains(n) || n.contains("CompilerThread")) return true;
        if (n.equals("Finalizer")) return noFinalizers && u.state() == dev.knot.snapshot.ThreadState.WAITING;
        if (u.dumped().id().isEmpty() && u.frames().isEmpty()) return true; // VM, GC and compiler threads (jstack)
        return u.takesThisDump();
    }

    static String signalOf(Edge w) {
        switch (w.mode()) {
            case PUT: return "space in " + w.resource().label();
            case TAKE: return "an element of " + w.resource().label();
            case NOTIFY: return "a notify on " + w.resource().label().replace("wait:", "");
            case ACQUIRE: return "a permit of " + w.resource().label();
            case AWAIT: return "a signal on " + w.resource().label();
            case GET: return "the result of " + w.resource().label();
            default: return w.resource().label();
        }
    }

    private static String releaseVerb(Edge w) {
        switch (w.mode()) {
            case PUT: return "take from the queue";
            case NOTIFY: return "call notify";
            case ACQUIRE: return "release a permit";
            case TAKE: return "put into the queue";
            case GET: return "complete the future";
            default: return "signal it";
        }
    }

    private static String fixFor(Edge w) {
        switch (w.mode()) {
            case PUT:
                return "Do not hold a lock while putting into a bounded queue: release it before put(), or use offer() with a"
                        + " timeout; consumers must be able to take without the producer's lock.";
            case NOTIFY:
                return "Do not call wait() while holding another lock: release the outer lock first, or wait on the outer"
                        + " lock's monitor (one lock, one condition), or use java.util.concurrent Conditions of a single lock.";
            default:
                return "Release the lock before blocking on another thread's signal, or wait with a timeout and retry after"
                        + " releasing it.";
        }
    }

    // ---- pools of units ---------------------------------------------------------------------------

    /** Several stuck threads on one Semaphore and nobody running who could release permits. */
    private static List<Finding> unitPools(WaitGraph g, Claimed claimed) {
        List<Finding> out = new ArrayList<>();
        if (!g.activeThreads().isEmpty()) return out;
        Map<dev.knot.model.Resource, List<ThreadNode>> bySemaphore = new LinkedHashMap<>();
        for (ThreadNode t : g.threads()) {
            Edge w = g.waitOf(t);
            if (g.stuck(t) && !claimed.has(t) && w.resource().kind() == ResourceKind.SEMAPHORE) {
                bySemaphore.computeIfAbsent(w.resource(), k -> new ArrayList<>()).add(t);
            }
        }
        for (Map.Entry<dev.knot.model.Resource, List<ThreadNode>> e : bySemaphore.entrySet()) {
            List<ThreadNode> ws = e.getValue();
            if (ws.size() < 2) continue;
            List<String> story = new ArrayList<>();
            List<Edge> edges = new ArrayList<>();
            for (ThreadNode t : ws) {
                story.add(Story.waits(g.waitOf(t)));
                edges.add(g.waitOf(t));
            }
            story.addAll(Story.notes(g, e.getKey()));
            String label = e.getKey().label();
            Finding f = Evidences.finding(Kind.DEADLOCK, Certainty.LIKELY, Story.names(ws),
                    ws.size() + " threads wait for permits of " + label + " and no thread that could release one is running",
                    story,
                    "A permit is released only by a thread that holds one. Every thread in the dump that could hold one is"
                            + " either waiting for more permits itself or idle, so each waiter most likely holds permits and"
                            + " waits for another (or permits were leaked by code that never released them).",
                    "Do not acquire a second unit of the same pool while holding one (pass the held unit down instead), size"
                            + " the pool for the nesting, or acquire with tryAcquire(timeout); release in finally.",
                    List.of(Story.permitHoldersHint(g, "the holders and where they acquired")),
                    List.of(), edges);
            out.add(f);
            claimed.add(f);
        }
        return out;
    }
}
