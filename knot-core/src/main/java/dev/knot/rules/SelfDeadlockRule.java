package dev.knot.rules;

import dev.knot.findings.Finding;
import dev.knot.findings.Kind;
import dev.knot.model.Certainty;
import dev.knot.model.Edge;
import dev.knot.model.ResourceKind;
import dev.knot.model.ThreadNode;
import dev.knot.model.WaitGraph;
import dev.knot.model.WaitMode;
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
            if (claimed.has(t) || !g.stuck(t)) continue;
            Edge w = g.waitOf(t);
            Finding f = ownsWhatItWaitsFor(g, t, w);
            if (f == null && nobodyRunning) f = readToWriteUpgrade(g, t, w);
            if (f == null && nobodyRunning) f = semaphoreTakenTwice(g, t, w);
            if (f == null && nobodyRunning) f = singleWorkerWaitsOnItsQueue(g, t, w);
            if (f != null) {
                out.add(f);
                claimed.add(f);
            }
        }
        return out;
    }

    private static Finding ownsWhatItWaitsFor(WaitGraph g, ThreadNode t, Edge w) {
        for (Edge h : g.holdersOf(w.resource())) {
            if (h.thread() == t && h.certainty() == Certainty.CERTAIN && w.resource().kind() != ResourceKind.READ_WRITE_LOCK) {
                return new Finding(Kind.SELF_DEADLOCK, Certainty.CERTAIN, List.of(t.name()),
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

    private static Finding readToWriteUpgrade(WaitGraph g, ThreadNode t, Edge w) {
        if (w.resource().kind() != ResourceKind.READ_WRITE_LOCK || w.mode() != WaitMode.WRITE_LOCK) return null;
        if (!g.holdersOf(w.resource()).isEmpty()) return null; // a writer holds it: not an upgrade
        for (Edge other : g.waitersOf(w.resource())) {
            if (other.thread() != t && other.mode() == WaitMode.WRITE_LOCK) return null;
        }
        List<String> missing = new ArrayList<>();
        missing.add("thread dumps never show read-lock holders; " + Story.attachHint() + " to list them");
        if (!g.ownersListed()) {
            missing.add("this dump does not list lock owners either (take it with `jstack -l`), so a writer holding it is not ruled out");
        }
        return new Finding(Kind.SELF_DEADLOCK, Certainty.LIKELY, List.of(t.name()),
                "\"" + t.name() + "\" waits for the write lock of " + w.resource().label()
                        + " that no other thread wants: most likely it holds the read lock itself (read→write upgrade)",
                List.of(Story.waits(w),
                        (g.ownersListed() ? "no thread holds the write lock (the dump lists lock owners)"
                                : "the dump does not say who holds the lock")
                                + ", so read locks block it; no other running thread could be a reader"),
                "ReentrantReadWriteLock does not allow upgrading: a thread holding the read lock that asks for the write"
                        + " lock waits for all readers to leave, including itself, forever.",
                "Release the read lock before taking the write lock (then re-check the state), or take the write lock"
                        + " from the start, or use StampedLock.tryConvertToWriteLock.",
                missing, List.of(), List.of(w));
    }

    private static Finding semaphoreTakenTwice(WaitGraph g, ThreadNode t, Edge w) {
        if (w.resource().kind() != ResourceKind.SEMAPHORE) return null;
        if (g.waitersOf(w.resource()).size() != 1) return null;
        return new Finding(Kind.SELF_DEADLOCK, Certainty.LIKELY, List.of(t.name()),
                "\"" + t.name() + "\" waits for a permit of " + w.resource().label()
                        + " that no other thread is using: most likely it holds the permits itself",
                List.of(Story.waits(w), "no other thread waits on this semaphore and no thread that could release a permit is running"),
                "A Semaphore is not reentrant and not owned: a thread that acquired its only permit and acquires again on the"
                        + " same path (a nested call) waits for itself. The other possibility is a permit leaked by code that"
                        + " never released it.",
                "Do not acquire the same semaphore on a path that already holds a permit (pass the permit down, or split an"
                        + " unguarded helper out of the guarded method); release in finally; or acquire with tryAcquire(timeout).",
                List.of("thread dumps never show who holds Semaphore permits; " + Story.attachHint()
                        + " with tracking to see the holder and where it acquired"),
                List.of(), List.of(w));
    }

    private static Finding singleWorkerWaitsOnItsQueue(WaitGraph g, ThreadNode t, Edge w) {
        if (t.pool().isEmpty()) return null;
        ResourceKind k = w.resource().kind();
        if (k != ResourceKind.FUTURE && k != ResourceKind.COMPLETABLE_FUTURE) return null;
        List<ThreadNode> workers = g.pools().get(t.pool());
        if (workers == null || workers.size() != 1) return null;
        return new Finding(Kind.SELF_DEADLOCK, Certainty.LIKELY, List.of(t.name()),
                "\"" + t.name() + "\", the only worker of its executor, waits for a task that most likely sits in the same"
                        + " executor's queue behind the task it is running",
                List.of(Story.waits(w), "\"" + t.name() + "\" is the only thread of executor " + t.pool()
                        + ", and no thread is running any other task"),
                "A single-thread executor runs one task at a time: a task that waits for another task of the same executor"
                        + " waits for something that can only start after it finishes.",
                "Do not block on futures of the executor you are running on: chain the work (thenCompose / callbacks),"
                        + " run the inner task directly, or submit it to a different executor.",
                List.of("thread dumps do not show executor queues; " + Story.attachHint() + " to check the task is queued there"),
                List.of(), List.of(w));
    }
}
