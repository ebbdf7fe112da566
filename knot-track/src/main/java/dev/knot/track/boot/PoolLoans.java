package dev.knot.track.boot;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which thread borrowed each object that is out of a tracked object pool (commons-pool2 {@code GenericObjectPool},
 * HikariCP {@code ConcurrentBag}): one global map, keyed by the borrowed object's identity, so that a return by
 * another thread than the borrower ends the right loan. Boot class: uses nothing but the JDK.
 *
 * <p>The hot path (a borrow, a return) is one {@link ConcurrentHashMap} put or remove with a key compared by
 * {@code ==} and hashed with {@link System#identityHashCode}: no method of an application object is called, no
 * application lock taken (the map's own bins are Knot-private). Rare events (a pool created, a return of an object
 * tracking did not see borrowed, the map full) take a Knot-private lock.
 *
 * <p>Bounded: at most {@link #MAX_LOANS} loans are kept; past that a borrow is not recorded and its pool is marked
 * as not completely known. Loans hold their objects strongly, like the pools themselves do while the objects are
 * out (commons-pool2's {@code allObjects}, HikariCP's {@code sharedList}).
 */
public final class PoolLoans {
    private PoolLoans() {
    }

    /** The most loans kept at once (all pools together). */
    public static final int MAX_LOANS = 100_000;

    /** One borrowed object: its pool, the thread that borrowed it, where (a StackFrame, or null). */
    public static final class Loan {
        final Object pool;
        final ThreadState borrower;
        final Object site;
        Object object; // set by the snapshot's copy only

        Loan(Object pool, ThreadState borrower, Object site) {
            this.pool = pool;
            this.borrower = borrower;
            this.site = site;
        }

        public Object pool() {
            return pool;
        }

        public ThreadState borrower() {
            return borrower;
        }

        public Object site() {
            return site;
        }

        /** The borrowed object (only in {@link #loans()}'s copies). */
        public Object object() {
            return object;
        }
    }

    /** Identity key: equal only to a key of the same object. */
    static final class Key {
        final Object o;
        final int hash;

        Key(Object o) {
            this.o = o;
            this.hash = System.identityHashCode(o);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key && ((Key) other).o == o;
        }
    }

    private static final ConcurrentHashMap<Key, Loan> LOANS = new ConcurrentHashMap<>();
    private static final AtomicInteger SIZE = new AtomicInteger();

    private static final Object LOCK = new Object(); // Knot-private
    /** Pools whose constructor ran with the hooks in: every borrow from them was seen. */
    private static final List<WeakReference<Object>> BORN = new ArrayList<>();
    /** Pools whose loans tracking cannot vouch for, each with the first reason. */
    private static final List<WeakReference<Object>> CONFUSED = new ArrayList<>();
    private static final List<String> CONFUSED_WHY = new ArrayList<>();

    // ---- hooks (called by KnotTracker, which guards enabled and catches everything) ---------------------------

    static void created(Object pool) {
        synchronized (LOCK) {
            if (indexOf(BORN, pool) < 0) {
                expunge(BORN, null);
                BORN.add(new WeakReference<>(pool));
            }
        }
    }

    static void borrowed(Object pool, Object object, ThreadState by, Object site) {
        Key k = new Key(object);
        Loan old = LOANS.get(k);
        if (old != null && old.borrower == by && old.pool == pool) return; // a nested overload's hook: the same loan
        if (old == null && SIZE.get() >= MAX_LOANS) {
            confuse(pool, "more than " + MAX_LOANS + " objects were out of tracked pools at once, so tracking stopped"
                    + " recording borrows");
            return;
        }
        old = LOANS.put(k, new Loan(pool, by, site));
        if (old == null) {
            SIZE.incrementAndGet();
        } else if (old.borrower != by || old.pool != pool) {
            confuse(pool, "an object was borrowed again with no tracked return since its last borrow");
        }
    }

    /**
     * The object goes back (or is destroyed): its loan ends, whoever borrowed it. {@code strict}: the object must
     * have been borrowed, so one tracking did not see borrowed was taken before tracking (or by an untracked path).
     */
    static void returned(Object pool, Object object, boolean strict) {
        Loan l = LOANS.remove(new Key(object));
        if (l != null) {
            SIZE.decrementAndGet();
        } else if (strict) {
            confuse(pool, "an object tracking had not seen borrowed was returned (borrowed before tracking started?)");
        }
    }

    private static void confuse(Object pool, String why) {
        synchronized (LOCK) {
            if (indexOf(CONFUSED, pool) >= 0) return;
            expunge(CONFUSED, CONFUSED_WHY);
            CONFUSED.add(new WeakReference<>(pool));
            CONFUSED_WHY.add(why);
        }
    }

    private static int indexOf(List<WeakReference<Object>> l, Object o) {
        for (int i = 0; i < l.size(); i++) {
            if (l.get(i).get() == o) return i;
        }
        return -1;
    }

    /** Drops collected pools (and their parallel reasons). */
    private static void expunge(List<WeakReference<Object>> l, List<String> parallel) {
        for (int i = l.size() - 1; i >= 0; i--) {
            if (l.get(i).get() == null) {
                l.remove(i);
                if (parallel != null) parallel.remove(i);
            }
        }
    }

    // ---- reading (the snapshot) -------------------------------------------------------------------------------

    /** A copy of every current loan, each with its object. Weakly consistent: no lock, nobody waits. */
    public static List<Loan> loans() {
        List<Loan> out = new ArrayList<>();
        for (Map.Entry<Key, Loan> e : LOANS.entrySet()) {
            Loan l = e.getValue();
            Loan c = new Loan(l.pool, l.borrower, l.site);
            c.object = e.getKey().o;
            out.add(c);
        }
        return out;
    }

    /** Pools created while the hooks were in (alive ones). */
    public static List<Object> bornTracked() {
        synchronized (LOCK) {
            List<Object> out = new ArrayList<>();
            for (WeakReference<Object> r : BORN) {
                Object p = r.get();
                if (p != null) out.add(p);
            }
            return out;
        }
    }

    /** Was this pool created with the hooks in? */
    public static boolean bornTracked(Object pool) {
        synchronized (LOCK) {
            return indexOf(BORN, pool) >= 0;
        }
    }

    /** Why tracking cannot vouch for this pool's loans, or null. */
    public static String confused(Object pool) {
        synchronized (LOCK) {
            int i = indexOf(CONFUSED, pool);
            return i < 0 ? null : CONFUSED_WHY.get(i);
        }
    }

    /** Loans now kept. */
    public static int size() {
        return SIZE.get();
    }

    /** For tests: forget everything. */
    static void clear() {
        LOANS.clear();
        SIZE.set(0);
        synchronized (LOCK) {
            BORN.clear();
            CONFUSED.clear();
            CONFUSED_WHY.clear();
        }
    }
}
