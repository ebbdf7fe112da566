package dev.knot.track.boot;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * What tracking knows about one thread: the semaphore permits it holds (count and first acquisition site), the
 * last few bounded queues it put into and took from, the CompletableFuture it waits on, the one it computes.
 *
 * <p>Written only by its own thread, with plain writes: no lock, no volatile write, no fence on a hook's path.
 * Other threads (the snapshot) read it racily and never see a broken state (arrays are replaced, not resized in
 * place; a reused semaphore slot gets its key before its count). Under the Java memory model these are data races,
 * and the visibility the snapshot relies on comes from HotSpot, not from the JMM: a thread that waits has, after its
 * last hook, parked (a VM thread-state transition, which fences), and the snapshot stops every thread for its stack
 * trace (a handshake or safepoint) before it reads states. So the state of a waiting thread, which is what certain
 * findings are made of, is read exactly. States of ended threads are exact by the JMM itself: {@code isAlive()}
 * returning false synchronizes with the thread's end (JLS 17.4.4). A running thread may be seen a few operations
 * old (each hook runs just after the acquire or release it reports, so that window always exists).
 */
public final class ThreadState {
    /** How many queues each ring remembers per direction. */
    public static final int RING = 4;
    private static final int STACK = 4;

    private final WeakReference<Thread> thread;
    final long threadId;
    private volatile String lastName;

    boolean busy; // re-entry guard for the stack walk
    Object lastForeign; // the last semaphore this thread reported as released by a non-holder

    // semaphore holdings: the first slot in fields (most threads hold permits of one semaphore at a time), the others
    // in parallel arrays, their first n slots used
    private Object key0;
    private int count0;
    private Object site0;
    private Object[] keys;
    private int[] counts;
    private Object[] sites;
    private int n;

    private Object lastProduced; // the queue of the last put/take: already in its ring
    private Object lastConsumed;
    private Object[] produced;
    private int producedNext;
    private boolean producedForgot; // the ring overwrote a queue: who produced into it is no longer complete
    private Object[] consumed;
    private int consumedNext;
    private boolean consumedForgot;

    private final Object[] waits = new Object[STACK];
    private int waitDepth;
    Object running; // the future whose async task this thread ran last (see KnotTracker.runs)

    ThreadState(Thread t) {
        this.thread = new WeakReference<>(t);
        this.threadId = KnotTracker.idOf(t);
        this.lastName = t.getName();
    }

    // ---- written by the owning thread ------------------------------------------------------------------------

    /*
     * Semaphore slots are kept when their count drops to 0 (the key stays, the count says "holds nothing"), so that
     * the usual acquire/release of the same semaphore writes only an int: no reference store, hence no GC write
     * barrier (with G1 a store of an old-to-old reference costs a StoreLoad fence). A slot of count 0 is reused for
     * the next new semaphore; the table never holds more keys than the most semaphores this thread held at once,
     * and those (their Sync objects) stay reachable until the slot is reused or the thread's state is dropped.
     * The first slot is three fields rather than array elements: with two threads sharing a semaphore, hooks that
     * went through the arrays cost 6-12 % of a 0.5 us guarded call in most JVM runs, through the fields 0-2 %
     * (TrackBench paired rows; the cause was not pinned down: padding the arrays against false sharing changed
     * nothing, and reaching the state alone costs nothing measurable).
     */

    void acquire(Object sync, int permits, Object site) {
        if (key0 == sync) {
            int c = count0;
            if (c == 0 && site0 != site) site0 = site;
            count0 = c + permits;
            return;
        }
        Object[] k = keys;
        int m = n;
        for (int i = 0; i < m; i++) {
            if (k[i] == sync) {
                int c = counts[i];
                if (c == 0 && sites[i] != site) sites[i] = site;
                counts[i] = c + permits;
                return;
            }
        }
        acquireNew(sync, permits, site);
    }

    /** First permit of a semaphore not in the table: reuse a slot that holds nothing, else append. */
    private void acquireNew(Object sync, int permits, Object site) {
        if (count0 == 0) {
            key0 = sync; // key before count: a racy reader never sees the new count under the old key
            site0 = site;
            count0 = permits;
            return;
        }
        Object[] k = keys;
        for (int i = 0; i < n; i++) {
            if (counts[i] == 0) {
                k[i] = sync;
                sites[i] = site;
                counts[i] = permits;
                return;
            }
        }
        if (k == null || n == k.length) {
            int len = k == null ? 2 : k.length * 2;
            Object[] nk = new Object[len];
            int[] nc = new int[len];
            Object[] ns = new Object[len];
            if (k != null) {
                System.arraycopy(k, 0, nk, 0, n);
                System.arraycopy(counts, 0, nc, 0, n);
                System.arraycopy(sites, 0, ns, 0, n);
            }
            nk[n] = sync;
            nc[n] = permits;
            ns[n] = site;
            counts = nc;
            sites = ns;
            keys = nk;
        } else {
            counts[n] = permits;
            sites[n] = site;
            k[n] = sync;
        }
        n++;
    }

    /** False when this thread did not hold that many permits: someone else's permits were released. */
    boolean release(Object sync, int permits) {
        if (key0 == sync) {
            int c = count0;
            count0 = Math.max(c - permits, 0);
            return heldThat(c, permits);
        }
        Object[] k = keys;
        int m = n;
        for (int i = 0; i < m; i++) {
            if (k[i] == sync) {
                int c = counts[i];
                counts[i] = Math.max(c - permits, 0);
                return heldThat(c, permits);
            }
        }
        return false;
    }

    /** A slot of count 0 is kept, but this thread holds none of its permits. */
    private static boolean heldThat(int held, int released) {
        return held > 0 && held >= released;
    }

    void produce(Object q) {
        if (q == lastProduced) return; // the usual case, read from a field (see the note on semaphore slots)
        lastProduced = q;
        Object[] r = produced;
        if (r == null) produced = r = new Object[RING];
        for (Object o : r) {
            if (o == q) return;
        }
        if (r[producedNext] != null) producedForgot = true;
        r[producedNext] = q;
        producedNext = (producedNext + 1) % RING;
    }

    void consume(Object q) {
        if (q == lastConsumed) return;
        lastConsumed = q;
        Object[] r = consumed;
        if (r == null) consumed = r = new Object[RING];
        for (Object o : r) {
            if (o == q) return;
        }
        if (r[consumedNext] != null) consumedForgot = true;
        r[consumedNext] = q;
        consumedNext = (consumedNext + 1) % RING;
    }

    void pushWait(Object f) {
        if (waitDepth < STACK) waits[waitDepth] = f;
        waitDepth++;
    }

    /** Pops down to f's entry: an exit that was missed (an exception) heals with the next outer exit. */
    void popWait(Object f) {
        for (int d = Math.min(waitDepth, STACK) - 1; d >= 0; d--) {
            if (waits[d] == f) {
                for (int i = d; i < STACK; i++) waits[i] = null;
                waitDepth = d;
                return;
            }
        }
        if (waitDepth > 0) {
            waitDepth--;
            if (waitDepth < STACK) waits[waitDepth] = null;
        }
    }

    // ---- read by the snapshot ----------------------------------------------------------------------------------

    /** The thread, or null once it has been collected. */
    public Thread thread() {
        return thread.get();
    }

    public long threadId() {
        return threadId;
    }

    /** The thread's name now, or the last one seen if it has been collected. */
    public String threadName() {
        Thread t = thread.get();
        if (t != null) lastName = t.getName();
        return lastName;
    }

    /** Ended (or collected): its state can only matter for permits it never released. */
    public boolean ended() {
        Thread t = thread.get();
        return t == null || !t.isAlive();
    }

    boolean disposable() {
        return !holdsPermits() && ended();
    }

    private boolean holdsPermits() {
        if (count0 > 0) return true;
        int[] c = counts;
        if (c == null) return false;
        int m = Math.min(n, c.length);
        for (int i = 0; i < m; i++) {
            if (c[i] > 0) return true;
        }
        return false;
    }

    /** Semaphore syncs this thread holds permits of, as {sync, Integer count, site or null} triples. */
    public Object[][] holdings() {
        List<Object[]> out = new ArrayList<>(2);
        Object k0 = key0;
        int c0 = count0;
        if (k0 != null && c0 > 0) out.add(new Object[] {k0, c0, site0});
        Object[] k = keys;
        int[] c = counts;
        Object[] s = sites;
        if (k != null && c != null && s != null) {
            int m = Math.min(n, Math.min(k.length, Math.min(c.length, s.length)));
            for (int i = 0; i < m; i++) {
                if (k[i] != null && c[i] > 0) out.add(new Object[] {k[i], c[i], s[i]});
            }
        }
        return out.toArray(new Object[0][]);
    }

    /** The queues this thread last put into (at most {@link #RING}). */
    public Object[] producedQueues() {
        Object[] r = produced;
        return r == null ? new Object[0] : r.clone();
    }

    /** The queues this thread last took from (at most {@link #RING}). */
    public Object[] consumedQueues() {
        Object[] r = consumed;
        return r == null ? new Object[0] : r.clone();
    }

    /** This thread put into more than {@link #RING} queues, so some it put into may be missing above. */
    public boolean forgotProduced() {
        return producedForgot;
    }

    /** This thread took from more than {@link #RING} queues, so some it took from may be missing above. */
    public boolean forgotConsumed() {
        return consumedForgot;
    }

    /** The CompletableFuture this thread waits on in join/get, or null. */
    public Object waitingOn() {
        int d = waitDepth;
        return d >= 1 && d <= STACK ? waits[d - 1] : null;
    }

    /**
     * The CompletableFuture whose supplyAsync/runAsync task this thread started last, or null. It may have finished
     * since: check that the thread is still inside {@code CompletableFuture$AsyncSupply.run} / {@code AsyncRun.run}.
     */
    public Object computing() {
        return running;
    }
}
