package dev.knot.track;

import dev.knot.track.boot.KnotTracker;
import dev.knot.track.boot.ThreadState;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import dev.knot.track.boot.FailureLog;
import dev.knot.track.boot.PoolLoans;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs after instrumenting, on a private daemon thread with private objects: every enabled hook must report
 * exactly what was done, and the instrumented classes must still behave. Any mismatch throws, which disables
 * tracking. Loaded only after the tracker is on the boot class path.
 */
final class SelfTest {
    private static final long LIMIT_MS = 10_000;

    private SelfTest() {
    }

    static void run(Options o) throws Throwable {
        Throwable[] failure = {null};
        boolean[] finished = {false};
        Thread t = new Thread(null, () -> {
            try {
                checks(o);
            } catch (Throwable e) {
                failure[0] = e;
            }
            finished[0] = true;
        }, "knot-track-selftest", 0, false);
        t.setDaemon(true);
        t.start();
        t.join(LIMIT_MS);
        if (t.isAlive() || !finished[0]) throw new IllegalStateException("self-test did not finish within " + LIMIT_MS + " ms");
        if (failure[0] != null) throw failure[0];
    }

    private static void checks(Options o) throws Exception {
        long errorsBefore = KnotTracker.errors();
        if (o.semaphores()) semaphores(o.sites());
        if (o.queues()) queues();
        if (o.futures()) futures();
        if (o.failures()) failures();
        if (o.pools()) pools();
        long errors = KnotTracker.errors() - errorsBefore;
        if (errors > 0) {
            throw new IllegalStateException("self-test: the tracker failed " + errors + " time(s): " + KnotTracker.firstError());
        }
        if (o.failSelfTest()) throw new IllegalStateException("self-test failed (simulated by track.selftest=fail)");
    }

    private static void semaphores(boolean sites) throws Exception {
        ThreadState me = KnotTracker.current();
        check(me.holdings().length == 0, "a fresh thread holds permits");
        Semaphore s = new Semaphore(2);
        s.acquire();
        Object[][] h = me.holdings();
        check(h.length == 1 && (Integer) h[0][1] == 1, "acquire() was not seen");
        Object sync = h[0][0];
        if (sites) {
            String site = KnotTracker.describeSite(h[0][2]);
            check(site != null && site.startsWith(SelfTest.class.getName() + "."), "acquisition site wrong: " + site);
        }
        s.acquireUninterruptibly();
        check(count(me, sync) == 2, "acquireUninterruptibly() was not seen");
        check(!s.tryAcquire(), "tryAcquire() took a permit that is not there");
        check(count(me, sync) == 2, "a failed tryAcquire() was counted");
        s.release(2);
        check(me.holdings().length == 0, "release(2) was not seen");
        check(s.availablePermits() == 2, "permits changed: " + s.availablePermits());
        check(!KnotTracker.releasedByNonHolder(sync), "a release by the holder was taken for a foreign one");

        Semaphore t = new Semaphore(1);
        check(t.tryAcquire(1, 1, TimeUnit.MILLISECONDS), "tryAcquire(1, timeout) failed");
        Object sync2 = me.holdings()[0][0];
        t.release();
        t.release(); // not held: a release by a non-holder
        check(KnotTracker.releasedByNonHolder(sync2), "a release by a non-holder was not seen");
        check(t.drainPermits() == 2 && count(me, sync2) == 2, "drainPermits() was not seen");
        t.release(2);
        check(me.holdings().length == 0, "release after drainPermits() was not seen");
    }

    private static int count(ThreadState s, Object sync) {
        for (Object[] h : s.holdings()) {
            if (h[0] == sync) return (Integer) h[1];
        }
        return 0;
    }

    private static void queues() throws Exception {
        ThreadState me = KnotTracker.current();
        List<java.util.function.Supplier<BlockingQueue<Object>>> kinds = List.of(() -> new ArrayBlockingQueue<>(1),
                () -> new LinkedBlockingQueue<>(1), () -> new LinkedBlockingDeque<>(1));
        for (java.util.function.Supplier<BlockingQueue<Object>> kind : kinds) {
            BlockingQueue<Object> q = kind.get();
            String name = q.getClass().getSimpleName();
            q.put("x");
            check(contains(me.producedQueues(), q), name + ".put was not seen");
            check(q.take().equals("x"), name + ".take returned something else");
            check(contains(me.consumedQueues(), q), name + ".take was not seen");
            check(q.offer("y") && !q.offer("z") && "y".equals(q.poll()) && q.poll() == null, name + " offer/poll misbehave");
            // every other removal must count as consuming too, or a complete consumer set could be claimed wrongly
            q = kind.get();
            q.offer("a");
            check(q.remove("a") && contains(me.consumedQueues(), q), name + ".remove(Object) was not seen");
            q = kind.get();
            q.offer("a");
            q.clear();
            check(q.isEmpty() && contains(me.consumedQueues(), q), name + ".clear was not seen");
            q = kind.get();
            q.offer("a");
            java.util.Iterator<Object> it = q.iterator();
            it.next();
            it.remove();
            check(q.isEmpty() && contains(me.consumedQueues(), q), name + " iterator removal was not seen");
            q = kind.get();
            q.offer("a");
            check(q.removeIf("a"::equals) && contains(me.consumedQueues(), q), name + ".removeIf was not seen");
        }
    }

    private static boolean contains(Object[] arr, Object o) {
        for (Object x : arr) {
            if (x == o) return true;
        }
        return false;
    }

    private static void futures() throws Exception {
        CompletableFuture<String> f = new CompletableFuture<>();
        Object[] got = {null};
        Thread w = new Thread(null, () -> {
            try {
                got[0] = f.get(LIMIT_MS, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                got[0] = e;
            }
        }, "knot-track-selftest-waiter", 0, false);
        w.setDaemon(true);
        w.start();
        ThreadState ws = null;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ws == null && System.nanoTime() < end) {
            for (ThreadState s : KnotTracker.states()) {
                if (s.thread() == w && s.waitingOn() == f) ws = s;
            }
            if (ws == null) Thread.sleep(1);
        }
        f.complete("done");
        w.join(LIMIT_MS);
        check(ws != null, "a thread waiting in CompletableFuture.get was not seen");
        check("done".equals(got[0]), "CompletableFuture.get returned " + got[0]);
        check(ws.waitingOn() == null, "the end of a CompletableFuture wait was not seen");

        Object[] computing = {null};
        CompletableFuture<Void> r = CompletableFuture.runAsync(() -> computing[0] = KnotTracker.current().computing(), Runnable::run);
        check(computing[0] == r, "the thread running a runAsync task was not seen");
        CompletableFuture<Object> s = CompletableFuture.supplyAsync(() -> KnotTracker.current().computing(), Runnable::run);
        check(s.join() == s, "the thread running a supplyAsync task was not seen");
    }

    private static void failures() throws Exception {
        IllegalStateException boom = new IllegalStateException("knot self-test");
        FutureTask<Object> ft = new FutureTask<>(() -> {
            throw boom;
        });
        ft.run();
        check(FailureLog.pending(ft), "a failed FutureTask was not recorded");
        try {
            ft.get();
            check(false, "FutureTask.get did not throw");
        } catch (ExecutionException e) {
            check(e.getCause() == boom, "FutureTask.get threw " + e);
        }
        check(!FailureLog.pending(ft), "FutureTask.get did not count as observing the failure");
        FutureTask<Object> cancelled = new FutureTask<>(() -> "never");
        cancelled.cancel(false);
        cancelled.run();
        check(!FailureLog.pending(cancelled), "a cancelled FutureTask was recorded as failed");

        CompletableFuture<Object> f = new CompletableFuture<>();
        f.completeExceptionally(boom);
        check(FailureLog.pending(f), "completeExceptionally was not recorded");
        check(f.isCompletedExceptionally() && !FailureLog.pending(f), "isCompletedExceptionally did not observe");
        CompletableFuture<Object> s = CompletableFuture.supplyAsync(() -> {
            throw boom;
        }, Runnable::run);
        check(FailureLog.pending(s), "a failing supplyAsync task was not recorded");
        CompletableFuture<Object> recovered = s.exceptionally(x -> "ok");
        check(!FailureLog.pending(s) && "ok".equals(recovered.join()), "exceptionally() did not observe");
        CompletableFuture<Object> withDependent = new CompletableFuture<>();
        CompletableFuture<Object> handled = withDependent.handle((v, x) -> x);
        withDependent.completeExceptionally(boom);
        check(!FailureLog.pending(withDependent) && handled.join() == boom, "a failure with a dependent was recorded");
        CompletableFuture<Object> joined = new CompletableFuture<>();
        joined.completeExceptionally(boom);
        try {
            joined.join();
        } catch (CompletionException expected) {
            // observed
        }
        check(!FailureLog.pending(joined), "join did not observe");
    }

    /**
     * The pool bookkeeping, through the hooks the pool classes call (those classes are the application's and are
     * instrumented when it loads them: a class missing a method is left alone, see TrackTransformer.poolPlan).
     */
    private static void pools() throws Exception {
        ThreadState me = KnotTracker.current();
        Object pool = new Object();
        Object object = new Object();
        KnotTracker.poolCreated(pool);
        check(PoolLoans.bornTracked(pool), "a pool's creation was not seen");
        KnotTracker.poolBorrowed(object, pool);
        KnotTracker.poolBorrowed(object, pool); // the hook of a delegating overload: the same loan
        List<PoolLoans.Loan> loans = loansOf(pool);
        check(loans.size() == 1 && loans.get(0).borrower() == me && loans.get(0).object() == object, "a borrow was not seen");
        Thread other = new Thread(null, () -> KnotTracker.poolReturned(pool, object), "knot-track-selftest-returner", 0, false);
        other.setDaemon(true);
        other.start();
        other.join(LIMIT_MS);
        check(loansOf(pool).isEmpty(), "a return by another thread than the borrower was not seen");
        KnotTracker.poolRemoved(pool, object); // the removal of an idle object
        check(PoolLoans.confused(pool) == null, "removing an object that is not out was taken for a foreign return");
        KnotTracker.poolReturned(pool, object);
        check(PoolLoans.confused(pool) != null, "a return of an object that is not out was not seen");
    }

    private static List<PoolLoans.Loan> loansOf(Object pool) {
        List<PoolLoans.Loan> out = new java.util.ArrayList<>();
        for (PoolLoans.Loan l : PoolLoans.loans()) if (l.pool() == pool) out.add(l);
        return out;
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("self-test: " + what);
    }
}
