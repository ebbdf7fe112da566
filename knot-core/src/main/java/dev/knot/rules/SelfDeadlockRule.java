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
import java.util.List;

/**
 * One thread waits for what only it can give: a non-reentrant lock it holds, a write lock while it holds
 * the read lock, a permit it took itself, a task queued behind it on its own single-thread executor.
 */
final class SelfDeadlockRule implements Rule {

    @Override
    public List<Finding> apply(WaitGraph g, Claimed claimed) {
        List<Finding> out = new ArrayList<>();
        boolean nobodyRunning = g.activeThreads().isEmpty();
        for (ThreadNode t : g.threads()) {
            if (claimed.has(t)) continue;
            Edge w = g.waitOf(t);
            // a pool borrow is often timed (HikariCP's always): with its holders proven, the timeout only ends it in failure
            Finding f = w == null ? null : provenPoolHolder(g, t, w);
            if (f == null && !g.stuck(t)) continue;
            if (f == null) f = ownsWhatItWaitsFor(g, t, w);
            if (f == null) f = provenSoleHolder(g, t, w);
            if (f == null) f = provenQueuedBehindItself(g, t, w);
            if (f == null && hasCertainUnblockers(g, w)) continue; // a live snapshot named someone else
            if (f == null && nobodyRunning) f = readToWriteUpgrade(g, t, w);
            if (f == null && nobodyRunning) f = semaphoreTakenTwice(g, t, w);
            if (f == null && nobodyRunning) f = singleWorkerWaitsOnItsQueue(g, t, w);
            if (f != null) {
                out.add(f);
                claimed.add(f);
                // threads queued behind on the same resource are explained by this finding too
                for (Edge b : g.waitersOf(w.resource())) {
                    if (f.blocked().contains(b.thread().name())) claimed.addAll(List.of(b.thread()));
                }
            }
        }
        return out;
    }

    private static Finding ownsWhatItWaitsFor(WaitGraph g, ThreadNode t, Edge w) {
        for (Edge h : g.holdersOf(w.resource())) {
            // Only owned locks: a semaphore's permits are not "owned" and have their own story (provenSoleHolder).
            if (h.thread() == t && h.certainty() == Certainty.CERTAIN && w.resource().kind() != ResourceKind.READ_WRITE_LOCK
                    && w.resource().kind() != ResourceKind.SEMAPHORE && w.resource().kind() != ResourceKind.OBJECT_POOL) {
                return Evidences.finding(Kind.SELF_DEADLOCK, Certainty.CERTAIN, List.of(t.name()),
                        "\"" + t.name() + "\" waits for " + w.resource().label() + ", which it holds itself",
                        List.of(Story.holds(h), Story.andWaits(w)),
                        "The lock is not reentrant (" + w.resource().typeName() + "): its owner cannot take it again, and it"
                                + " will not release it while waiting.",
                        "Do not re-acquire a non-reentrant lock on a path that already holds it; use a reentrant lock, or"
                                + " split the method into a locked entry point and an unlocked helper.",
                        List.of(), List.of(), List.of(h, w));
            }
        }
        return null;
    }

    private static boolean hasCertainUnblockers(WaitGraph g, Edge w) {
        for (Edge u : g.unblockers(w.resource())) {
            if (u.certainty() == Certainty.CERTAIN) return true;
        }
        return false;
    }

    /**
     * A live snapshot proved the holders of a Semaphore's permits or a read-write lock's read locks, and the
     * waiter is the only one: nobody else can release what it waits for.
     */
    private static Finding provenSoleHolder(WaitGraph g, ThreadNode t, Edge w) {
        ResourceKind k = w.resource().kind();
        boolean upgrade = k == ResourceKind.READ_WRITE_LOCK && w.mode() == WaitMode.WRITE_LOCK;
        if (k != ResourceKind.SEMAPHORE && !upgrade) return null;
        List<Edge> holders = g.holdersOf(w.resource());
        if (holders.isEmpty() || !g.holdersComplete(w.resource())) return null;
        for (Edge h : holders) {
            if (h.thread() != t || h.certainty() != Certainty.CERTAIN) return null;
        }
        Edge h = holders.get(0);
        String what = upgrade ? "the read lock" : "the permits";
        List<String> story = new ArrayList<>();
        story.add(Story.holds(h));
        story.add(Story.andWaits(w));
        for (String n : g.notes(w.resource().key())) story.add("  " + w.resource().label() + ": " + n);
        return Evidences.finding(Kind.SELF_DEADLOCK, Certainty.CERTAIN, List.of(t.name()),
                "\"" + t.name() + "\" waits for " + (upgrade ? "the write lock of " : "a permit of ") + w.resource().label()
                        + " while it holds " + what + " itself, and no other thread holds any",
                story,
                upgrade ? "ReentrantReadWriteLock does not allow upgrading: the write lock waits for every reader to leave,"
                        + " including the waiting thread itself."
                        : "A Semaphore is neither reentrant nor owned: the permits this thread took are gone until it releases"
                        + " them, which it cannot do while it waits for another.",
                upgrade ? "Release the read lock before taking the write lock (then re-check the state), or take the write"
                        + " lock from the start, or use StampedLock.tryConvertToWriteLock."
                        : "Do not acquire the same semaphore on a path that already holds a permit (pass the permit down, or split"
                        + " an unguarded helper out of the guarded method); release in finally.",
                List.of(), queuedBehind(g, t, w), List.of(h, w));
    }

    /**
     * Tracking proved every holder of a pool's objects, and the only one is the thread waiting to borrow another: it
     * holds all the pool has (a nested borrow), and nobody else can give one back.
     */
    private static Finding provenPoolHolder(WaitGraph g, ThreadNode t, Edge w) {
        if (w.resource().kind() != ResourceKind.OBJECT_POOL || t.role() != dev.knot.model.Role.APPLICATION) return null;
        List<Edge> holders = g.holdersOf(w.resource());
        if (holders.isEmpty() || !g.holdersComplete(w.resource())) return null;
        for (Edge h : holders) {
            if (h.thread() != t || h.certainty() != Certainty.CERTAIN) return null;
        }
        List<String> story = new ArrayList<>();
        for (Edge h : holders) story.add(Story.holds(h));
        story.add(Story.andWaits(w));
        for (String n : g.notes(w.resource().key())) story.add("  " + w.resource().label() + ": " + n);
        return Evidences.finding(Kind.SELF_DEADLOCK, Certainty.CERTAIN, List.of(t.name()),
                "\"" + t.name() + "\" waits to borrow from " + w.resource().label() + " while it holds every object the pool"
                        + " has lent, and no other thread holds one" + (w.timed() ? " (until its borrow times out, and fails)" : ""),
                story,
                "Objects come back to a pool only when their holder returns them; the only holder is the thread waiting for"
                        + " one, which returns nothing while it waits. Every other borrower queues behind it.",
                "Do not borrow a second object while holding one: pass the held connection down to the code that needs it,"
                        + " or size the pool for the nesting; return objects in finally.",
                List.of(), queuedBehind(g, t, w), List.of(holders.get(0), w));
    }

    /** A live snapshot proved the awaited task is queued in the waiter's own pool, of which it is the only worker. */
    private static Finding provenQueuedBehindItself(WaitGraph g, ThreadNode t, Edge w) {
        ResourceKind k = w.resource().kind();
        if (k != ResourceKind.FUTURE && k != ResourceKind.COMPLETABLE_FUTURE) return null;
        List<Edge> rel = g.releasersOf(w.resource());
        if (rel.isEmpty()) return null;
        for (Edge r : rel) {
            if (r.thread() != t || r.certainty() != Certainty.CERTAIN) return null;
        }
        List<String> story = new ArrayList<>();
        story.add(Story.waits(w));
        story.add("  " + rel.get(0).evidence().get(0).replace("live: ", ""));
        for (String n : g.notes(t.pool())) story.add("  executor " + t.pool() + ": " + n);
        return Evidences.finding(Kind.SELF_DEADLOCK, Certainty.CERTAIN, List.of(t.name()),
                "\"" + t.name() + "\" waits for a task queued behind it in its own executor, whose only worker it is",
                story,
                "The awaited task can start only when a worker of its executor is free, and the only worker is the thread"
                        + " waiting for it.",
                "Do not block on futures of the executor you are running on: chain the work (thenCompose / callbacks),"
                        + " run the inner task directly, or submit it to a different executor.",
                List.of(), List.of(), List.of(w, rel.get(0)));
    }

    private static Finding readToWriteUpgrade(WaitGraph g, ThreadNode t, Edge w) {
        if (w.resource().kind() != ResourceKind.READ_WRITE_LOCK || w.mode() != WaitMode.WRITE_LOCK) return null;
        if (!g.holdersOf(w.resource()).isEmpty()) return null; // a writer holds it: not an upgrade
        for (Edge other : g.waitersOf(w.resource())) {
            if (other.thread() != t && other.mode() == WaitMode.WRITE_LOCK) return upgradeAmongWriters(g, w);
        }
        List<String> missing = new ArrayList<>();
        missing.add("thread dumps never show read-lock holders; " + Story.proofHint(g) + " to list them");
        boolean neverListed = !w.resource().ownerListed(); // StampedLock: no dump names its holder, and it is not reentrant
        if (neverListed) {
            missing.add("no thread dump lists who holds a " + lockClass(w) + ", so this thread holding the write lock itself"
                    + " (it is not reentrant) or another writer is not ruled out");
        } else if (!g.ownersListed(w.resource())) {
            missing.add("this dump does not list lock owners either (take it with `jstack -l`), so a writer holding it is not ruled out");
        }
        return Evidences.finding(Kind.SELF_DEADLOCK, Certainty.LIKELY, List.of(t.name()),
                "\"" + t.name() + "\" waits for the write lock of " + w.resource().label()
                        + " that no other thread wants: most likely it holds " + (neverListed ? "the lock" : "the read lock")
                        + " itself (" + (neverListed ? "a read→write upgrade, or a second writeLock()" : "read→write upgrade") + ")",
                List.of(Story.waits(w),
                        (g.ownersListed(w.resource()) ? "no thread holds the write lock (the dump lists lock owners)"
                                : "the dump does not say who holds the lock")
                                + ", so read locks block it; no other running thread could be a reader"),
                lockClass(w) + " does not allow upgrading: a thread holding the read lock that asks for the write"
                        + " lock waits for all readers to leave, including itself, forever.",
                "Release the read lock before taking the write lock (then re-check the state), or take the write lock"
                        + " from the start, or use StampedLock.tryConvertToWriteLock.",
                missing, List.of(), List.of(w));
    }

    /**
     * Several threads wait for the write lock and nobody holds it: a read lock is held, and with nobody running its
     * holder is most likely one of the writers (a read→write upgrade: the others queue behind it, or each holds a read
     * lock and they block each other). A dump cannot tell which; a live snapshot can (read-lock holds per thread).
     */
    private static Finding upgradeAmongWriters(WaitGraph g, Edge w) {
        List<Edge> writers = new ArrayList<>();
        List<String> readers = new ArrayList<>();
        for (Edge e : g.waitersOf(w.resource())) {
            if (e.timed() || !g.stuck(e.thread())) return null; // a timed writer gives up and may let the others on
            if (e.mode() == WaitMode.WRITE_LOCK) writers.add(e);
            else readers.add(e.thread().name());
        }
        List<ThreadNode> ts = new ArrayList<>();
        List<String> story = new ArrayList<>();
        for (Edge e : writers) {
            ts.add(e.thread());
            story.add(Story.waits(e));
        }
        story.add((g.ownersListed(w.resource()) ? "no thread holds the write lock (the dump lists lock owners)"
                : "the dump does not say who holds the lock") + ", so a read lock blocks them all; no running thread"
                + " could be the reader");
        List<String> missing = new ArrayList<>();
        missing.add("thread dumps never show read-lock holders, so which of these threads holds one is not known; "
                + Story.proofHint(g) + " to list them");
        return Evidences.finding(Kind.SELF_DEADLOCK, Certainty.LIKELY, Story.names(ts),
                ts.size() + " threads wait for the write lock of " + w.resource().label() + ", which no thread holds: most"
                        + " likely one of them holds the read lock and asked to upgrade (read→write), and the others queue"
                        + " behind it",
                story,
                lockClass(w) + " does not allow upgrading: a reader asking for the write lock waits for every reader to"
                        + " leave, itself included, and writers queued behind or before it wait for it in turn. (If each of"
                        + " them holds a read lock, they block each other; if none does, a read lock was never unlocked.)",
                "Release the read lock before taking the write lock (then re-check the state), or take the write lock"
                        + " from the start, or use StampedLock.tryConvertToWriteLock.",
                missing, readers, writers);
    }

    private static Finding semaphoreTakenTwice(WaitGraph g, ThreadNode t, Edge w) {
        if (w.resource().kind() != ResourceKind.SEMAPHORE) return null;
        if (g.waitersOf(w.resource()).size() != 1) return null;
        return Evidences.finding(Kind.SELF_DEADLOCK, Certainty.LIKELY, List.of(t.name()),
                "\"" + t.name() + "\" waits for a permit of " + w.resource().label()
                        + " that no other thread is using: most likely it holds the permits itself",
                concat(List.of(Story.waits(w)), Story.notes(g, w.resource()),
                        List.of("no other thread waits on this semaphore and no thread that could release a permit is running")),
                "A Semaphore is not reentrant and not owned: a thread that acquired its only permit and acquires again on the"
                        + " same path (a nested call) waits for itself. The other possibility is a permit leaked by code that"
                        + " never released it.",
                "Do not acquire the same semaphore on a path that already holds a permit (pass the permit down, or split an"
                        + " unguarded helper out of the guarded method); release in finally; or acquire with tryAcquire(timeout).",
                List.of(Story.permitHoldersHint(g, "the holder and where it acquired")),
                List.of(), List.of(w));
    }

    /** The other threads waiting on the same resource: they queue behind the self-deadlocked one. */
    private static List<String> queuedBehind(WaitGraph g, ThreadNode t, Edge w) {
        List<String> out = new ArrayList<>();
        for (Edge e : g.waitersOf(w.resource())) {
            if (e.thread() != t) out.add(e.thread().name());
        }
        return out;
    }

    /** {@code ReentrantReadWriteLock}, {@code StampedLock}: the class a user wrote, not its internal sync. */
    private static String lockClass(Edge w) {
        String label = w.resource().label();
        int sp = label.indexOf(' ');
        return sp > 0 ? label.substring(0, sp) : label;
    }

    @SafeVarargs
    static List<String> concat(List<String>... parts) {
        List<String> out = new ArrayList<>();
        for (List<String> p : parts) out.addAll(p);
        return out;
    }

    private static Finding singleWorkerWaitsOnItsQueue(WaitGraph g, ThreadNode t, Edge w) {
        if (t.pool().isEmpty()) return null;
        ResourceKind k = w.resource().kind();
        if (k != ResourceKind.FUTURE && k != ResourceKind.COMPLETABLE_FUTURE) return null;
        List<ThreadNode> workers = g.pools().get(t.pool());
        if (workers == null || workers.size() != 1) return null;
        return Evidences.finding(Kind.SELF_DEADLOCK, Certainty.LIKELY, List.of(t.name()),
                "\"" + t.name() + "\", the only worker of its executor, waits for a task that most likely sits in the same"
                        + " executor's queue behind the task it is running",
                List.of(Story.waits(w), "\"" + t.name() + "\" is the only thread of executor " + t.pool()
                        + ", and no thread is running any other task"),
                "A single-thread executor runs one task at a time: a task that waits for another task of the same executor"
                        + " waits for something that can only start after it finishes.",
                "Do not block on futures of the executor you are running on: chain the work (thenCompose / callbacks),"
                        + " run the inner task directly, or submit it to a different executor.",
                List.of("thread dumps do not show executor queues; " + Story.proofHint(g) + " to check the task is queued there"),
                List.of(), List.of(w));
    }
}
