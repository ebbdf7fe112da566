package dev.knot.track.boot;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Failed tasks ({@code FutureTask}, {@code CompletableFuture}) whose outcome nobody has read yet. Lock-free: an
 * open-addressing table of {@value #SLOTS} slots keyed by the task's identity hash (probing at most {@value #PROBE}
 * slots), records inserted and removed with CAS. When the probed slots are all taken the oldest of them is
 * overwritten ({@link #dropped()} counts it). The task is referenced weakly; the exception strongly (bounded by the
 * table), so that a failure can be reported after its task was collected. Only records whose task is still
 * reachable count as pending (collected tasks are noticed through a ReferenceQueue on the slow path), so a dropped
 * future that failed slows the observation hooks only until it is collected.
 *
 * <p>Hooks reach it only through {@link KnotTracker}; it calls no method of an application object except
 * {@code getClass().getName()} on the exception and {@code ThreadLocal.get()} on the marker Knot installed.
 *
 * <p>Readers find it by name (knot-core's {@code AgentProtocol.FAILURE_LOG}, relocated in the agent jar), since boot
 * classes cannot see knot-core; a test checks the two agree. Its public methods are that reader's contract.
 */
public final class FailureLog {
    private FailureLog() {
    }

    static final int SLOTS = 512;
    static final int PROBE = 8;

    private static final AtomicReferenceArray<FailureRecord> TABLE = new AtomicReferenceArray<>(SLOTS);
    private static final AtomicLong SEQ = new AtomicLong();
    /** Records whose task is still reachable and not observed: the observation hooks' fast path reads only this. */
    private static final AtomicInteger PENDING = new AtomicInteger();
    private static final ReferenceQueue<Object> COLLECTED = new ReferenceQueue<>();
    private static final AtomicLong DROPPED = new AtomicLong();

    /** Knot's per-test marker (an InheritableThreadLocal of knot-junit), read on the failing thread; may be null. */
    private static volatile ThreadLocal<?> marker;

    /** Installs the thread-local whose value tags each failure recorded on a thread (null: no tag). */
    public static void useMarker(ThreadLocal<?> m) {
        marker = m;
    }

    /** Any record at all (the fast path of every observation hook). */
    static boolean anyPending() {
        return PENDING.get() > 0;
    }

    static void record(Object task, Throwable error, boolean future) {
        ThreadLocal<?> m = marker;
        Object tag = m == null ? null : m.get();
        Thread me = Thread.currentThread();
        FailureRecord r = new FailureRecord(SEQ.incrementAndGet(), task, COLLECTED,
                task.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(task)), error,
                error == null ? "null" : error.getClass().getName(), me.getName(), tag, future);
        int home = slot(task);
        int oldest = home;
        long oldestSeq = Long.MAX_VALUE;
        for (int i = 0; i < PROBE; i++) {
            int at = (home + i) & (SLOTS - 1);
            FailureRecord cur = TABLE.get(at);
            if (cur == null) {
                if (TABLE.compareAndSet(at, null, r)) {
                    PENDING.incrementAndGet();
                    return;
                }
                cur = TABLE.get(at);
                if (cur == null) continue;
            }
            if (cur.seq < oldestSeq) {
                oldestSeq = cur.seq;
                oldest = at;
            }
        }
        PENDING.incrementAndGet();
        FailureRecord old = TABLE.getAndSet(oldest, r);
        if (old != null) {
            DROPPED.incrementAndGet();
            retire(old);
        }
    }

    /** No longer observable: out of the pending count (once). */
    private static void retire(FailureRecord r) {
        if (r.live.compareAndSet(true, false)) PENDING.decrementAndGet();
    }

    /** Tasks collected since: they can no longer be observed (their records stay to be reported). */
    private static void drainCollected() {
        Reference<?> ref;
        while ((ref = COLLECTED.poll()) != null) {
            if (ref instanceof FailureRecord r) retire(r);
        }
    }

    /** The task's outcome was read (or a dependent attached): forget its record. */
    static void observed(Object task) {
        drainCollected();
        if (PENDING.get() <= 0) return;
        int home = slot(task);
        for (int i = 0; i < PROBE; i++) {
            int at = (home + i) & (SLOTS - 1);
            FailureRecord cur = TABLE.get(at);
            if (cur != null && cur.get() == task && TABLE.compareAndSet(at, cur, null)) retire(cur);
        }
    }

    private static int slot(Object task) {
        int h = System.identityHashCode(task);
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }

    // ---- reading (Knot's own threads, never a hook) ---------------------------------------------------------

    /** The next record will have a sequence number above this. */
    public static long mark() {
        return SEQ.get();
    }

    /**
     * Unobserved failures recorded after {@code mark}, oldest first, as rows {@code {Long seq, String task,
     * Throwable error, String errorClass, String thread, Object marker, Boolean completableFuture}}.
     */
    public static Object[][] since(long mark) {
        java.util.ArrayList<FailureRecord> out = new java.util.ArrayList<>();
        for (int i = 0; i < SLOTS; i++) {
            FailureRecord r = TABLE.get(i);
            if (r != null && r.seq > mark) out.add(r);
        }
        for (int i = 1; i < out.size(); i++) { // insertion sort: no lambdas in boot classes
            FailureRecord x = out.get(i);
            int j = i - 1;
            while (j >= 0 && out.get(j).seq > x.seq) {
                out.set(j + 1, out.get(j));
                j--;
            }
            out.set(j + 1, x);
        }
        Object[][] rows = new Object[out.size()][];
        for (int i = 0; i < rows.length; i++) {
            FailureRecord r = out.get(i);
            rows[i] = new Object[] {r.seq, r.description, r.error, r.errorClass, r.thread, r.marker, r.future};
        }
        return rows;
    }

    /** Forgets the record with this sequence number (reported once). */
    public static void dismiss(long seq) {
        for (int i = 0; i < SLOTS; i++) {
            FailureRecord r = TABLE.get(i);
            if (r != null && r.seq == seq && TABLE.compareAndSet(i, r, null)) retire(r);
        }
    }

    /** Is this task's failure recorded and not yet observed? (self-test) */
    public static boolean pending(Object task) {
        for (int i = 0; i < SLOTS; i++) {
            FailureRecord r = TABLE.get(i);
            if (r != null && r.get() == task) return true;
        }
        return false;
    }

    /** Records overwritten because their slots were full. */
    public static long dropped() {
        return DROPPED.get();
    }
}
