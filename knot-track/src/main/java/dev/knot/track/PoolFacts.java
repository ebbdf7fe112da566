package dev.knot.track;

import dev.knot.snapshot.LiveFact;
import dev.knot.track.boot.KnotTracker;
import dev.knot.track.boot.PoolLoans;
import dev.knot.track.boot.ThreadState;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Facts about tracked object pools that threads wait to borrow from ({@code track=pools}): commons-pool2
 * {@code GenericObjectPool} and HikariCP's {@code ConcurrentBag}. Every fact is keyed by the object the borrowers
 * park on, which is the model's resource: the {@code notEmpty} condition of the pool's idle-object deque
 * (commons-pool2), the {@code transferer} of the bag's hand-off {@code SynchronousQueue} (HikariCP; a
 * {@code SynchronousQueue$TransferQueue} on JDK 17, a {@code SynchronousQueue$Transferer} on 21+).
 *
 * <ul>
 *   <li>{@code STATE}: the pool's numbers (borrowed, idle, maximum, waiting), read from its fields;</li>
 *   <li>{@code HOLDS} per live thread holding objects of the pool, and {@code HOLDERS_COMPLETE}, only when tracking
 *       can vouch for the whole set: the pool was created with the hooks in (every borrow seen), no return of an
 *       object tracking had not seen borrowed, the tracked loans are exactly the objects the pool has out, and the
 *       pool is at its maximum (below it, a new object may be on its way to the waiters). Otherwise the holders
 *       tracking saw are named in a {@code STATE} line with the reason: the rules read a pool's HOLDS edges as
 *       the only ones who can give an object back.</li>
 * </ul>
 * The holder of a loan is the thread that borrowed it (an object handed to another thread stays its borrower's);
 * a return by any thread ends it.
 */
final class PoolFacts {
    private static final String GOP = "org.apache.commons.pool2.impl.GenericObjectPool";
    private static final String BAG = "com.zaxxer.hikari.util.ConcurrentBag";
    private static final int HIKARI_IN_USE = 1;
    private static final int HIKARI_NOT_IN_USE = 0;

    private final TrackedFacts.Run run;
    private final Fields fields;

    PoolFacts(TrackedFacts.Run run) {
        this.run = run;
        this.fields = run.fields;
    }

    /** What one pool looks like now. */
    static final class Pool {
        final Object pool;
        final boolean hikari;
        Object waitObject;
        String label;
        String object = "object";
        int out = -1;   // objects out (borrowed), -1 unknown
        int idle = -1;
        int max = -1;
        int waiting;
        final List<PoolLoans.Loan> loans = new ArrayList<>();
        int stale;      // HikariCP: tracked loans whose entry is no longer in use

        Pool(Object pool, boolean hikari) {
            this.pool = pool;
            this.hikari = hikari;
        }
    }

    void facts() {
        Map<String, String> classes = Tracking.poolClasses();
        classes.forEach((cls, how) -> {
            if (!how.equals(TrackTransformer.TRACKED)) run.state(LiveFact.JVM, "tracking: " + cls + " is not tracked: " + how);
        });
        Map<Object, Pool> pools = new IdentityHashMap<>();
        for (Object p : PoolLoans.bornTracked()) pool(pools, p);
        for (PoolLoans.Loan l : PoolLoans.loans()) {
            Pool p = pool(pools, l.pool());
            if (p != null) p.loans.add(l);
        }
        if (pools.isEmpty()) return;
        Map<Object, Pool> byWaitObject = new IdentityHashMap<>();
        for (Pool p : pools.values()) {
            p.waitObject = waitObject(p);
            if (p.waitObject == null) {
                run.state(LiveFact.JVM, "tracking: cannot find the object borrowers of " + TrackedFacts.id(p.pool)
                        + " park on (" + (p.hikari ? "ConcurrentBag.handoffQueue.transferer" : "GenericObjectPool.idleObjects.notEmpty")
                        + " not readable in this version), so its holders are not reported");
            } else {
                byWaitObject.put(p.waitObject, p);
            }
        }
        Map<Pool, Boolean> waited = new LinkedHashMap<>();
        for (Object b : run.blockers.values()) {
            Pool p = byWaitObject.get(b);
            if (p != null) {
                p.waiting++;
                waited.put(p, Boolean.TRUE);
            }
        }
        for (Pool p : waited.keySet()) describe(p);
    }

    private Pool pool(Map<Object, Pool> pools, Object o) {
        if (o == null) return null;
        Pool p = pools.get(o);
        if (p != null) return p;
        boolean gop = isA(o.getClass(), GOP);
        boolean bag = !gop && isA(o.getClass(), BAG);
        if (!gop && !bag) return null;
        p = new Pool(o, bag);
        pools.put(o, p);
        return p;
    }

    private static boolean isA(Class<?> c, String name) {
        for (; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name)) return true;
        }
        return false;
    }

    private Object waitObject(Pool p) {
        if (p.hikari) return fields.get(fields.get(p.pool, "handoffQueue"), "transferer");
        return fields.get(fields.get(p.pool, "idleObjects"), "notEmpty");
    }

    private void describe(Pool p) {
        String id = TrackedFacts.id(p.waitObject);
        numbers(p);
        run.state(id, "tracking: " + p.label + ": " + count(p.out) + " borrowed, " + count(p.idle) + " idle, maximum "
                + count(p.max) + "; " + p.waiting + (p.waiting == 1 ? " thread waits" : " threads wait") + " to borrow");

        Map<ThreadState, List<PoolLoans.Loan>> byThread = new LinkedHashMap<>();
        for (PoolLoans.Loan l : p.loans) byThread.computeIfAbsent(l.borrower(), k -> new ArrayList<>()).add(l);
        List<String> live = new ArrayList<>();
        List<LiveFact> holds = new ArrayList<>();
        int tracked = 0;
        for (Map.Entry<ThreadState, List<PoolLoans.Loan>> e : byThread.entrySet()) {
            ThreadState s = e.getKey();
            int n = e.getValue().size();
            tracked += n;
            String site = KnotTracker.describeSite(e.getValue().get(0).site());
            String what = n + " " + p.object + (n == 1 ? "" : "s") + " of " + p.label;
            String where = site == null ? " (start the agent with track.sites=true to record where)"
                    : (n == 1 ? ", borrowed at " : ", the first borrowed at ") + site;
            if (s.ended()) {
                run.state(id, "tracking: " + what + " borrowed by thread \"" + s.threadName() + "\" (#" + s.threadId() + ")"
                        + (site == null ? "" : " at " + site) + ", which ended without returning " + (n == 1 ? "it" : "them"));
            } else {
                holds.add(new LiveFact(LiveFact.Kind.HOLDS, id, Long.toString(s.threadId()), "holds " + what + where));
                live.add("\"" + s.threadName() + "\" holds " + what + where);
            }
        }
        String doubt = doubt(p, tracked);
        if (doubt == null) {
            run.out.addAll(holds);
            run.out.add(new LiveFact(LiveFact.Kind.HOLDERS_COMPLETE, id, "", "tracking saw every borrow and return of "
                    + p.label + " since it was created: the " + tracked + " " + p.object + (tracked == 1 ? "" : "s")
                    + " it has out are all accounted for"));
        } else {
            for (String h : live) run.state(id, "tracking: " + h);
            run.state(id, "tracking: " + doubt + ", so these may not be all the holders");
        }
    }

    /** Why tracking cannot vouch for the holder set, or null. */
    private String doubt(Pool p, int tracked) {
        if (!PoolLoans.bornTracked(p.pool)) {
            return "the pool was created before tracking started (attached to the running JVM), so objects borrowed"
                    + " before are not known";
        }
        String confused = PoolLoans.confused(p.pool);
        if (confused != null) return confused;
        if (p.stale > 0) return p.stale + " tracked loan(s) are of connections no longer in use";
        if (p.out < 0) return "the pool's count of borrowed objects cannot be read to check the record";
        if (p.out != tracked) {
            return "tracking accounts for " + tracked + " of the " + p.out + " " + p.object + "s the pool has out (a borrow or"
                    + " return in progress?)";
        }
        if (p.max < 0) return "the pool's maximum cannot be read";
        if (p.out < p.max) {
            return "the pool is below its maximum (" + p.out + " of " + p.max + "), so a new " + p.object + " may be made for"
                    + " the waiters";
        }
        return null;
    }

    private static String count(int n) {
        return n < 0 ? "?" : Integer.toString(n);
    }

    /** Reads the pool's numbers from its fields (no method of the pool is called, no lock taken). */
    private void numbers(Pool p) {
        if (p.hikari) {
            p.object = "connection";
            Object listener = fields.get(p.pool, "listener"); // the HikariPool
            String name = fields.get(listener, "poolName", String.class);
            p.label = "HikariCP pool " + (name == null ? TrackedFacts.id(p.pool) : name + " (" + TrackedFacts.id(p.pool) + ")");
            Object list = fields.get(p.pool, "sharedList");
            Object[] entries = list == null ? null : fields.get(list, "array", Object[].class);
            Map<Object, Integer> states = new IdentityHashMap<>();
            if (entries != null) {
                int inUse = 0;
                int idle = 0;
                for (Object e : entries) {
                    int st = fields.getInt(e, "state", Integer.MIN_VALUE);
                    if (st == Integer.MIN_VALUE) {
                        inUse = -1;
                        break;
                    }
                    states.put(e, st);
                    if (st == HIKARI_IN_USE) inUse++;
                    if (st == HIKARI_NOT_IN_USE) idle++;
                }
                p.out = inUse;
                p.idle = inUse < 0 ? -1 : idle;
            }
            p.max = fields.getInt(fields.get(listener, "config"), "maxPoolSize", -1);
            for (PoolLoans.Loan l : p.loans) {
                Integer st = states.get(l.object());
                if (p.out >= 0 && (st == null || st != HIKARI_IN_USE)) p.stale++;
            }
        } else {
            p.label = p.pool.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(p.pool));
            Object all = fields.get(p.pool, "allObjects");
            Object deque = fields.get(p.pool, "idleObjects");
            p.idle = fields.getInt(deque, "count", -1);
            // ConcurrentHashMap.size() sums counters: no lock, no method of the pool
            int size = all instanceof java.util.concurrent.ConcurrentHashMap ? ((java.util.concurrent.ConcurrentHashMap<?, ?>) all).size() : -1;
            p.out = size < 0 || p.idle < 0 ? -1 : Math.max(size - p.idle, 0);
            Object max = fields.get(p.pool, "maxTotal");
            if (max instanceof Integer) p.max = (Integer) max < 0 ? Integer.MAX_VALUE : (Integer) max; // negative: no limit
        }
    }
}
