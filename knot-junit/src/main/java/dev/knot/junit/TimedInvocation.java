package dev.knot.junit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor.Invocation;

/**
 * Runs one invocation under a deadline a little before JUnit's own timeout: on expiry, Knot snapshots the JVM,
 * explains the test's threads, interrupts them, and fails the test with the explanation (JUnit's timeout, which comes
 * later, then finds the invocation already over).
 */
final class TimedInvocation {
    private TimedInvocation() {
    }

    /** Set on the thread that proceeds with an invocation Knot already times (a second registration just proceeds). */
    static final ThreadLocal<Boolean> INSIDE = new ThreadLocal<>();

    @SuppressWarnings("unchecked")
    static <T> T proceed(Invocation<T> invocation, Timeouts.Resolved timeout, String what, ExtensionContext context,
                         KnotExtension.Scope scope, boolean sameThread) throws Throwable {
        HangReport.warmUpOnce();
        if (sameThread) return onThisThread(invocation, timeout, what, context, scope);
        Lineage lineage = Marks.MARK.get();
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        CountDownLatch done = new CountDownLatch(1);
        KnotThread runner = new KnotThread(() -> {
            if (lineage != null) Marks.MARK.set(lineage);
            INSIDE.set(Boolean.TRUE);
            try {
                result[0] = invocation.proceed();
            } catch (Throwable t) {
                failure[0] = t;
            } finally {
                INSIDE.remove();
                Marks.MARK.remove();
                done.countDown();
            }
        }, "knot-test " + what);
        runner.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        runner.start();
        boolean interrupted = false;
        boolean finished;
        try {
            finished = done.await(timeout.knotDeadline().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            // JUnit's own timeout or someone else gave up first: explain anyway
            interrupted = true;
            finished = done.getCount() == 0;
        }
        try {
            if (finished) {
                if (failure[0] != null) throw failure[0];
                return (T) result[0];
            }
            StackTraceElement[] where = runner.getStackTrace();
            HungTestException e = new HungTestException(diagnose(runner, lineage, timeout, what, context, scope));
            e.setStackTrace(where);
            throw e;
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** knot.timeout.thread.mode=same_thread: a watcher explains and interrupts; the failure comes when the test returns. */
    @SuppressWarnings("unchecked")
    private static <T> T onThisThread(Invocation<T> invocation, Timeouts.Resolved timeout, String what,
                                      ExtensionContext context, KnotExtension.Scope scope) throws Throwable {
        Thread me = Thread.currentThread();
        Lineage lineage = Marks.MARK.get();
        AtomicReference<String> message = new AtomicReference<>();
        AtomicReference<StackTraceElement[]> where = new AtomicReference<>();
        AtomicBoolean fired = new AtomicBoolean();
        CountDownLatch explained = new CountDownLatch(1);
        CountDownLatch returned = new CountDownLatch(1);
        ScheduledFuture<?> watch = scheduler().schedule(() -> {
            if (!fired.compareAndSet(false, true)) return;
            try {
                where.set(me.getStackTrace());
                message.set(diagnose(me, lineage, timeout, what, context, scope));
            } finally {
                explained.countDown();
            }
            try {
                // a test stuck where interrupts do not reach (a monitor) may never return: say it now
                if (!returned.await(1, TimeUnit.SECONDS)) System.err.println("knot: " + message.get());
            } catch (InterruptedException ignored) {
                // Knot's scheduler is shutting down
            }
        }, timeout.knotDeadline().toNanos(), TimeUnit.NANOSECONDS);
        Object result = null;
        Throwable failure = null;
        INSIDE.set(Boolean.TRUE);
        try {
            result = invocation.proceed();
        } catch (Throwable t) {
            failure = t;
        } finally {
            INSIDE.remove();
            returned.countDown();
        }
        // the watcher either never starts, or it explains: a cancel() while it runs would not say which
        if (fired.compareAndSet(false, true)) {
            watch.cancel(false);
        } else {
            try {
                explained.await();
            } catch (InterruptedException ignored) {
                // JUnit's own timeout: the message below says what is known
            }
            Thread.interrupted(); // Knot's interrupt, not the application's
            String m = message.get();
            HungTestException e = new HungTestException(m != null ? m : what + " ran out of time; " + Rerun.line(context));
            if (where.get() != null) e.setStackTrace(where.get());
            if (failure != null) e.addSuppressed(failure);
            throw e;
        }
        if (failure != null) throw failure;
        return (T) result;
    }

    /** Snapshot, explanation, interruption of the test's threads; returns the failure message. */
    private static String diagnose(Thread testThread, Lineage lineage, Timeouts.Resolved timeout, String what,
                                   ExtensionContext context, KnotExtension.Scope scope) {
        if (scope != null) scope.hung = true;
        TestMark mark = lineage == null ? null : lineage.mark;
        List<Thread> threads = new ArrayList<>();
        threads.add(testThread);
        StringBuilder s = new StringBuilder();
        s.append(what).append(" did not finish within ").append(Timeouts.describe(timeout.knotDeadline()))
                .append(timeout.junit() ? " (" + timeout.source() + "; Knot stops it first, to explain it)" : " (" + timeout.source() + ")")
                .append(". Knot's diagnosis:\n");
        try {
            if (mark != null) {
                for (Thread t : LeakCheck.threadsOf(mark, null)) {
                    if (!threads.contains(t)) threads.add(t);
                }
            }
            s.append(HangReport.explain(threads, mark == null ? "only the thread running it" : LeakCheck.attribution(mark),
                    mark == null ? Set.of() : LeakCheck.othersThreads(mark, threads)));
        } catch (Throwable t) { // Knot's own failure must not hide the timeout
            s.append("(Knot could not explain it: ").append(Stacks.oneLine(t)).append(")");
        }
        int n = 0;
        for (Thread t : threads) {
            try {
                t.interrupt();
                n++;
            } catch (RuntimeException ignored) {
                // not permitted: leave it
            }
        }
        LeakCheck.explained(threads); // the hang explains them: the class's leak check must not report them again
        s.append("\nKnot interrupted the test's ").append(n).append(n == 1 ? " thread." : " threads.");
        s.append('\n').append(Rerun.line(context));
        return s.toString();
    }

    private static ScheduledThreadPoolExecutor scheduler;

    private static synchronized ScheduledThreadPoolExecutor scheduler() {
        if (scheduler == null) {
            ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> new KnotThread(r, "knot-deadlines"));
            s.setRemoveOnCancelPolicy(true);
            s.setKeepAliveTime(10, TimeUnit.SECONDS);
            s.allowCoreThreadTimeOut(true);
            scheduler = s;
        }
        return scheduler;
    }
}
