package dev.knot.track.boot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hooks the instrumented java.util.concurrent classes call. Loaded by the bootstrap class loader (the agent
 * appends a small jar of this package to the boot class path), so it uses nothing but the JDK.
 *
 * <p>Rules for every hook: returns at once when {@link #enabled} is false; catches every Throwable (counted in
 * {@link #errors()}) and never throws; never calls a method of an application object (keys are compared with
 * {@code ==}); never takes a lock on the hot path. Per-thread state lives in a {@link ThreadState} reached through
 * a table indexed by thread id (a ThreadLocal when the slot is taken) and written only by its own thread. The one
 * global structure (semaphores released by a thread that did not hold their permits) is guarded by a Knot-private lock, and each thread reports a foreign release of the
 * same semaphore only once in a row.
 *
 * <p>Its name is knot-core's {@code AgentProtocol.KNOT_TRACKER} (which boot classes cannot see; a test checks the
 * two agree): the failure log's readers check {@link #installed} and {@link #failures} by reflection.
 */
public final class KnotTracker {
    private KnotTracker() {
    }

    /** Master switch: false makes every hook a no-op (set before instrumenting, cleared to disable). */
    public static volatile boolean enabled;
    /** Which kinds are instrumented (what the snapshot may conclude from an absence of records). */
    public static volatile boolean semaphores;
    public static volatile boolean queues;
    public static volatile boolean futures;
    public static volatile boolean failures;
    /** Object pools: commons-pool2 GenericObjectPool and HikariCP ConcurrentBag borrows and returns ({@link PoolLoans}). */
    public static volatile boolean pools;
    /** Record where permits were acquired (one short stack walk per acquire). */
    public static volatile boolean sites;
    /** Set once the agent installed the hooks and their self-test passed. */
    public static volatile boolean installed;
    /**
     * Tracking started with the JVM (-javaagent): every permit of every semaphore was taken under tracking. When it
     * was attached later, permits taken before are unknown, and no holder set is claimed complete.
     */
    public static volatile boolean fromStart;

    private static final TrackerLocal LOCAL = new TrackerLocal();
    /**
     * The hot path to a thread's state, without ThreadLocalMap hashing and its weak-reference read: a slot per
     * {@code tid & (SLOTS - 1)}, holding the state of the thread with that id. Thread ids are unique in a JVM and
     * never reused, so a state whose {@code threadId} matches belongs to the calling thread. The id is read from the
     * private final field {@code Thread.tid} through a VarHandle ({@code Tracking} opens java.lang to this class's
     * module first), not with {@code getId()}, which a Thread subclass may override. Without that field (another
     * JDK, or not opened) every thread uses {@link #LOCAL}; so does a thread whose slot a live thread holds.
     * Slots are written without locks by the thread claiming them and cleared by {@link #purge} once their thread
     * ended; a lost race only sends a thread to the ThreadLocal. A thread reads another thread's state from a slot
     * only for its final {@code threadId} (final-field semantics make that safe without a fence).
     */
    private static final int SLOTS = 1 << 12;
    private static final ThreadState[] BY_ID = new ThreadState[SLOTS];
    private static final VarHandle TID = tidHandle();

    private static VarHandle tidHandle() {
        try {
            return MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                    .findVarHandle(Thread.class, "tid", long.class);
        } catch (Throwable t) {
            return null;
        }
    }

    /** Whether the id table is used (else every lookup is a ThreadLocal one). */
    public static boolean fastLookup() {
        return TID != null;
    }

    /** The thread's id as the table keys it. */
    static long idOf(Thread t) {
        return TID != null ? (long) TID.get(t) : t.getId();
    }

    private static ThreadState state() {
        if (TID == null) return LOCAL.get();
        long id = (long) TID.get(Thread.currentThread());
        ThreadState s = BY_ID[(int) id & (SLOTS - 1)];
        if (s != null && s.threadId == id) return s;
        return stateSlow(id);
    }

    private static ThreadState stateSlow(long id) {
        ThreadState s = LOCAL.get();
        int slot = (int) id & (SLOTS - 1);
        if (BY_ID[slot] == null) BY_ID[slot] = s; // re-claim after a purge; a live occupant is never displaced
        return s;
    }

    /** A new state (its thread's first hook): takes the thread's slot unless a live thread has it. */
    static void claimSlot(ThreadState s) {
        if (TID == null) return;
        int slot = (int) s.threadId & (SLOTS - 1);
        ThreadState old = BY_ID[slot];
        if (old == null || old.ended()) BY_ID[slot] = s;
    }

    private static final ConcurrentLinkedQueue<ThreadState> REGISTRY = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger REGISTRATIONS = new AtomicInteger();
    private static final AtomicBoolean PURGING = new AtomicBoolean();
    private static final int PURGE_EVERY = 4096;

    private static final Object LOCK = new Object(); // Knot-private: never visible to application code
    private static final WeakHashMap<Object, Boolean> FOREIGN = new WeakHashMap<>();

    private static final AtomicLong ERRORS = new AtomicLong();
    private static volatile Throwable firstError;

    // ---- hooks: Semaphore (key = the semaphore's sync, the object waiters park on) --------------------------

    /** After a successful acquire of {@code permits} (also drainPermits' count). */
    public static void acquired(int permits, Object sync) {
        if (!enabled || permits <= 0 || sync == null) return;
        try {
            ThreadState s = state();
            if (!sites) {
                s.acquire(sync, permits, null);
                return;
            }
            if (s.busy) return; // the stack walk below must not record itself
            s.busy = true;
            try {
                s.acquire(sync, permits, SiteFinder.find());
            } finally {
                s.busy = false;
            }
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** After tryAcquire returned {@code ok}. */
    public static void tryAcquired(boolean ok, int permits, Object sync) {
        if (ok) acquired(permits, sync);
    }

    /** After a release of {@code permits} (after: the hook is not inside the permit's critical section). */
    public static void released(int permits, Object sync) {
        if (!enabled || permits <= 0 || sync == null) return;
        try {
            ThreadState s = state();
            if (!s.release(sync, permits) && s.lastForeign != sync) {
                s.lastForeign = sync;
                synchronized (LOCK) {
                    FOREIGN.put(sync, Boolean.TRUE);
                }
            }
        } catch (Throwable t) {
            failed(t);
        }
    }

    // ---- hooks: bounded queues --------------------------------------------------------------------------------

    /** On entry of put/offer (also the First/Last variants of LinkedBlockingDeque). */
    public static void produces(Object queue) {
        if (!enabled || queue == null) return;
        try {
            state().produce(queue);
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** On entry of take/poll/drainTo and of every other removal (removeAt/unlink, clear, bulkRemove). */
    public static void consumes(Object queue) {
        if (!enabled || queue == null) return;
        try {
            state().consume(queue);
        } catch (Throwable t) {
            failed(t);
        }
    }

    // ---- hooks: CompletableFuture ---------------------------------------------------------------------------

    /** On entry of CompletableFuture.waitingGet / timedGet (join, get, get with timeout when not yet done). */
    public static void waits(Object future) {
        if (!enabled) return;
        try {
            state().pushWait(future);
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** On exit of waitingGet / timedGet. */
    public static void waitDone(Object future) {
        if (!enabled) return;
        try {
            state().popWait(future);
        } catch (Throwable t) {
            failed(t);
        }
    }

    /**
     * On entry of CompletableFuture$AsyncSupply/AsyncRun.run: this thread now computes {@code future}. Not cleared
     * on exit (one hook per task instead of two); the snapshot checks the thread is still inside such a run.
     */
    public static void runs(Object future) {
        if (!enabled) return;
        try {
            state().running = future;
        } catch (Throwable t) {
            failed(t);
        }
    }

    // ---- hooks: object pools (commons-pool2 GenericObjectPool, HikariCP ConcurrentBag; see PoolLoans) ---------

    /** On every return of a pool's constructor: every borrow from this pool will be seen. */
    public static void poolCreated(Object pool) {
        if (!enabled || !pools || pool == null) return;
        try {
            PoolLoans.created(pool);
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** On a normal return of a borrow (the object returned, or null when a timed borrow gave up). */
    public static void poolBorrowed(Object object, Object pool) {
        if (!enabled || !pools || object == null || pool == null) return;
        try {
            ThreadState s = state();
            if (!sites) {
                PoolLoans.borrowed(pool, object, s, null);
                return;
            }
            if (s.busy) return;
            s.busy = true;
            try {
                PoolLoans.borrowed(pool, object, s, SiteFinder.findBorrower());
            } finally {
                s.busy = false;
            }
        } catch (Throwable t) {
            failed(t);
        }
    }

    /**
     * On entry of a return or an invalidation (before the object is back in the pool, where another thread could
     * borrow it): the loan ends, whichever thread borrowed it. An object tracking did not see borrowed marks the
     * pool's loans as not completely known.
     */
    public static void poolReturned(Object pool, Object object) {
        if (!enabled || !pools || object == null || pool == null) return;
        try {
            PoolLoans.returned(pool, object, true);
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** On entry of a removal that may also take idle (never borrowed) objects out: ends a loan if there is one. */
    public static void poolRemoved(Object pool, Object object) {
        if (!enabled || !pools || object == null || pool == null) return;
        try {
            PoolLoans.returned(pool, object, false);
        } catch (Throwable t) {
            failed(t);
        }
    }

    // ---- hooks: task failures nobody observed (FailureLog) ----------------------------------------------------

    private static final int FT_NEW = 0;         // FutureTask.NEW
    private static final int FT_EXCEPTIONAL = 3; // FutureTask.EXCEPTIONAL

    /** On entry of FutureTask.setException: record unless the task already ended (cancelled). */
    public static void taskFailing(Object task, Throwable error, int state) {
        if (!enabled || task == null || state != FT_NEW) return;
        try {
            FailureLog.record(task, error, false);
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** On exit of FutureTask.setException: the task did not end exceptionally (cancelled meanwhile): forget it. */
    public static void taskFailDone(Object task, int state) {
        if (!enabled || state == FT_EXCEPTIONAL || !FailureLog.anyPending()) return;
        try {
            FailureLog.observed(task);
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** On entry of FutureTask.report(state) (get, get with timeout, once done). */
    public static void taskReported(Object task, int state) {
        if (state == FT_EXCEPTIONAL) observed(task);
    }

    /**
     * On entry of CompletableFuture.completeThrowable / completeExceptionally: record the failure unless a
     * dependent stage is already attached ({@code stack} non-null: the dependent receives it).
     */
    public static void futureFailing(Object future, Throwable error, Object stack) {
        if (!enabled || future == null || stack != null) return;
        try {
            FailureLog.record(future, error, true);
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** On return of those: not completed by this call, or a dependent was attached meanwhile: forget it. */
    public static void futureFailDone(boolean completed, Object future, Object stack) {
        if (!enabled || completed && stack == null || !FailureLog.anyPending()) return;
        try {
            FailureLog.observed(future);
        } catch (Throwable t) {
            failed(t);
        }
    }

    /**
     * The outcome of {@code task} was read, or a dependent stage was attached to it (entry of get/join/getNow/
     * resultNow/exceptionNow/state/isCompletedExceptionally and of every stage-creating method; exit of a wait).
     */
    public static void observed(Object task) {
        if (!enabled || task == null || !FailureLog.anyPending()) return;
        try {
            FailureLog.observed(task);
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** Entry of thenCombine/applyToEither-style stages: both sources get a dependent. */
    public static void observed2(Object a, Object b) {
        observed(a);
        observed(b);
    }

    /** Entry of allOf/anyOf. */
    public static void observedAll(Object[] futures) {
        if (!enabled || futures == null || !FailureLog.anyPending()) return;
        for (Object f : futures) observed(f);
    }

    // ---- reading (the snapshot, the self-test) ---------------------------------------------------------------

    /** Every tracked thread's state, dead threads that still hold permits included. Purges the rest. */
    public static ThreadState[] states() {
        purge(true);
        return REGISTRY.toArray(new ThreadState[0]);
    }

    /** The calling thread's state (self-test). */
    public static ThreadState current() {
        return state();
    }

    /** Did tracking see every permit of this semaphore (its sync) being taken? */
    public static boolean sawAllPermits(Object sync) {
        return semaphores && fromStart && installed && sync != null;
    }

    /**
     * Did tracking see every put/offer and every removal (take, poll, drainTo, remove, clear, removeIf, iterator
     * removal) of every tracked queue since the JVM started? Per-thread rings may still have forgotten some.
     */
    public static boolean sawAllQueueOps() {
        return queues && fromStart && installed;
    }

    /** Did a thread release permits of this semaphore that it had not acquired (hand-off or signalling use)? */
    public static boolean releasedByNonHolder(Object sync) {
        synchronized (LOCK) {
            return FOREIGN.containsKey(sync);
        }
    }

    /** An acquisition site from {@link ThreadState#holdings()} as {@code Foo.bar(Foo.java:12)}, or null. */
    public static String describeSite(Object site) {
        return SiteFinder.describe(site);
    }

    /** Throwables the hooks swallowed since start. */
    public static long errors() {
        return ERRORS.get();
    }

    public static Throwable firstError() {
        return firstError;
    }

    // ---- internals -------------------------------------------------------------------------------------------

    static void register(ThreadState s) {
        REGISTRY.add(s);
        claimSlot(s);
        if (REGISTRATIONS.incrementAndGet() % PURGE_EVERY == 0) purge(false);
    }

    /** Drops states of ended threads that hold nothing. One purger at a time; nobody ever waits for it. */
    private static void purge(boolean force) {
        if (!PURGING.compareAndSet(false, true)) return;
        try {
            for (java.util.Iterator<ThreadState> it = REGISTRY.iterator(); it.hasNext(); ) {
                if (it.next().disposable()) it.remove();
            }
            for (int i = 0; i < SLOTS; i++) {
                ThreadState s = BY_ID[i];
                if (s != null && s.ended()) BY_ID[i] = null; // the registry keeps it if it still holds permits
            }
        } catch (Throwable t) {
            if (force) failed(t);
        } finally {
            PURGING.set(false);
        }
    }

    private static void failed(Throwable t) {
        try {
            if (ERRORS.getAndIncrement() == 0) firstError = t;
        } catch (Throwable ignored) {
            // nothing more can be done without risking the application thread
        }
    }
}
