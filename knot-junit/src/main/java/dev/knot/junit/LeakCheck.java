package dev.knot.junit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Supplier;

/**
 * What a test left behind: threads still running, executors never shut down, exceptions that killed its threads
 * unobserved, cancelled tasks still running. Runs on the test's JUnit thread after the test (and its
 * {@code @AfterEach} methods); never touches the application's threads except to read their state and stack.
 */
final class LeakCheck {
    private LeakCheck() {
    }

    enum Kind {
        THREAD("THREAD LEAK"), EXECUTOR("EXECUTOR NOT SHUT DOWN"), UNOBSERVED("UNOBSERVED FAILURE"),
        CANCELLED("CANCELLED TASK STILL RUNNING");

        final String title;

        Kind(String title) {
            this.title = title;
        }
    }

    /** One problem: a headline, evidence lines, a fix; cause is attached to the failure (an unobserved exception). */
    record Problem(Kind kind, String summary, List<String> details, String fix, Throwable cause, boolean fromThreads) {
    }

    static final String FIX_THREAD = "stop every thread a test starts before the test ends: signal it (a flag or"
            + " interrupt()) and join() it, e.g. in @AfterEach.";
    static final String FIX_EXECUTOR = "shut the executor down when the test is done: shutdown() and awaitTermination()"
            + " in a finally block or @AfterEach (close() on JDK 19+).";
    static final String FIX_UNOBSERVED = "observe background failures: keep the Future and get() it (it rethrows), or"
            + " catch in the task and hand the error to the test, or fail the test from an UncaughtExceptionHandler.";
    static final String FIX_UNREAD = "read every Future you submit (get() rethrows the failure) or attach a handler"
            + " (exceptionally, handle, whenComplete); use execute() for fire-and-forget work, so that a failure reaches"
            + " the thread's uncaught-exception handler.";
    static final String FIX_CANCELLED = "make the task stop when cancelled: check Thread.currentThread().isInterrupted()"
            + " in loops, do not swallow InterruptedException (restore the flag and return), and close the socket or"
            + " stream it blocks on (blocking I/O ignores interrupts).";

    /** Threads already reported, or warned about, by some test: reported once. */
    private static final Set<Thread> SEEN = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private static final Set<Object> SEEN_POOLS = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /** How this run attributes threads to tests, for messages. */
    static String attribution(TestMark mark) {
        if (Threads.markersReadable()) return "found by the marker they inherited from the test's thread";
        boolean shared = mark.overlapping.stream().anyMatch(o -> o.created.get() > 0);
        return "found by comparing threads before and after the test" + (shared
                ? ", and by their stacks naming the test, as other tests ran at the same time" : "")
                + "; the Knot agent makes this exact";
    }

    /**
     * The live threads the scope created (not the scope's own thread, not infrastructure). Without reflection, and
     * with other tests creating threads at the same time, threads whose stacks do not name this test are collected
     * in {@code ambiguous} (when not null) instead.
     */
    static List<Thread> threadsOf(TestMark mark, List<Thread> ambiguous) {
        List<Thread> out = new ArrayList<>();
        if (mark.created.get() == 0) return out; // nothing inherited the mark: the test started no threads
        Thread self = Thread.currentThread();
        if (Threads.markersReadable()) {
            List<Thread> all = Threads.platform();
            all.addAll(Threads.virtual());
            for (Thread t : all) {
                if (t == self || !t.isAlive() || Threads.infrastructure(t)) continue;
                Lineage l = Threads.lineage(t);
                if (l != null && l.mark == mark && !l.root()) out.add(t);
            }
            return out;
        }
        // Without reflection: threads created since the scope began; with other tests creating threads meanwhile,
        // only those whose stack names this test (and no other running test).
        List<TestMark> rivals = rivals(mark);
        for (Thread t : Threads.platform()) {
            if (t == self || t.getId() <= mark.startId || !t.isAlive() || Threads.infrastructure(t) || SEEN.contains(t)) continue;
            if (rivals.isEmpty()) {
                out.add(t);
                continue;
            }
            Boolean mine = owns(mark, rivals, t.getStackTrace());
            if (Boolean.TRUE.equals(mine)) {
                out.add(t);
            } else if (mine == null && ambiguous != null) {
                ambiguous.add(t);
            }
        }
        return out;
    }

    /** Threads a hang report already named (they stay stuck): never reported again by a later check. */
    static void explained(List<Thread> threads) {
        SEEN.addAll(threads);
    }

    /** By its stack: this test's (true), another running test's (false), or cannot tell (null). */
    private static Boolean owns(TestMark mark, List<TestMark> rivals, StackTraceElement[] st) {
        boolean sameClassRival = rivals.stream().anyMatch(r -> r.testClass == mark.testClass);
        if (names(st, mark, sameClassRival)) return true;
        if (rivals.stream().anyMatch(r -> names(st, r, r.testClass == mark.testClass))) return false;
        return null;
    }

    /** Ids of threads that other running tests started while this scope ran (for the hang diagnosis). */
    static Set<String> othersThreads(TestMark mark, List<Thread> ours) {
        Set<String> out = new HashSet<>();
        List<Thread> all = Threads.platform();
        all.addAll(Threads.virtual());
        for (Thread t : all) {
            if (ours.contains(t) || Threads.infrastructure(t)) continue;
            if (Threads.markersReadable()) {
                Lineage l = Threads.lineage(t);
                if (l != null && !l.root() && l.mark != mark && l.mark.open && mark.overlapping.contains(l.mark)) {
                    out.add(Long.toString(t.getId()));
                }
            } else if (t.getId() > mark.startId) {
                out.add(Long.toString(t.getId()));
            }
        }
        return out;
    }

    private static List<TestMark> rivals(TestMark mark) {
        List<TestMark> rivals = new ArrayList<>();
        for (TestMark o : mark.overlapping) {
            if (o != mark && o.created.get() > 0) rivals.add(o);
        }
        return rivals;
    }

    /** The stack runs code of the test's class (and, when a sibling test of the same class ran too, of its method). */
    private static boolean names(StackTraceElement[] st, TestMark m, boolean needMethod) {
        if (m.testClass == null) return false;
        String cls = m.testClass.getName();
        for (StackTraceElement e : st) {
            String c = e.getClassName();
            if (!c.equals(cls) && !c.startsWith(cls + "$")) continue;
            if (!needMethod || m.methodName == null) return true;
            String meth = e.getMethodName();
            if (meth.equals(m.methodName) || meth.startsWith("lambda$" + m.methodName + "$")) return true;
        }
        return false;
    }

    /**
     * @param fixtures executors the test class keeps in fields (asked only when the test left pool workers): they
     *                 are the class's, checked when the class ends
     */
    static List<Problem> run(TestMark mark, KnotConfig cfg, boolean hung, Supplier<Set<Object>> fixtures) {
        List<Problem> problems = new ArrayList<>();
        boolean threadChecks = cfg.threads || cfg.executors || cfg.cancelledRunning;
        if (threadChecks && !hung && mark.created.get() > 0) {
            List<Thread> ambiguous = new ArrayList<>();
            List<Thread> candidates = new ArrayList<>();
            for (Thread t : threadsOf(mark, ambiguous)) {
                if (cfg.ignore == null || !cfg.ignore.matcher(t.getName()).matches()) candidates.add(t);
            }
            List<Thread> all = new ArrayList<>(candidates);
            all.addAll(ambiguous);
            List<Thread> alive = awaitEnd(all, cfg.grace.toNanos());
            // a thread just started may not show its code yet: look again now
            List<Thread> unclear = new ArrayList<>();
            List<TestMark> rivals = rivals(mark);
            for (Thread t : ambiguous) {
                if (!alive.remove(t)) continue;
                Boolean mine = owns(mark, rivals, t.getStackTrace());
                if (Boolean.TRUE.equals(mine)) alive.add(t);
                else if (mine == null) unclear.add(t);
            }
            classify(mark, cfg, alive, problems, fixtures);
            if (!unclear.isEmpty()) {
                // idle workers of the class's own pools cannot be told from the test's: no news either way
                if (!fixtures.get().isEmpty()) unclear.removeIf(t -> Threads.idleWorker(t.getStackTrace()));
                warnAmbiguous(mark, cfg, unclear);
            }
        }
        if (cfg.unobserved) {
            TestMark.Uncaught u;
            while ((u = mark.uncaught.poll()) != null) {
                if (cfg.ignore == null || !cfg.ignore.matcher(u.thread()).matches()) problems.add(unobserved(u));
            }
            if (!hung && TaskFailures.available()) {
                for (TaskFailures.Failure f : TaskFailures.unobserved(mark, cfg.grace.toNanos())) {
                    TaskFailures.dismiss(f); // reported once
                    if (cfg.ignore == null || !cfg.ignore.matcher(f.thread()).matches()) problems.add(unread(f));
                }
            }
        } else {
            mark.uncaught.clear();
        }
        return problems;
    }

    /** Without reflection, in a parallel run: threads that may be this test's, said once on stderr, not failed. */
    private static void warnAmbiguous(TestMark mark, KnotConfig cfg, List<Thread> threads) {
        int others = rivals(mark).size();
        for (Thread t : threads) {
            if (cfg.ignore != null && cfg.ignore.matcher(t.getName()).matches() || !SEEN.add(t)) continue;
            System.err.println("knot: thread \"" + t.getName() + "\" was started while " + mark.display + " and " + others
                    + " other test(s) ran in parallel; without the Knot agent Knot cannot tell which test started it"
                    + " (not failed): " + Stacks.doing(Threads.state(t), Threads.stack(t)));
        }
    }

    /** Waits up to the grace period for the threads to end; returns those still alive. */
    private static List<Thread> awaitEnd(List<Thread> threads, long graceNanos) {
        long end = System.nanoTime() + graceNanos;
        List<Thread> alive = new ArrayList<>();
        boolean interrupted = false;
        for (Thread t : threads) {
            long left = end - System.nanoTime();
            if (left > 0 && !interrupted) {
                try {
                    t.join(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (t.isAlive()) alive.add(t);
        }
        if (interrupted) Thread.currentThread().interrupt();
        return alive;
    }

    private static void classify(TestMark mark, KnotConfig cfg, List<Thread> alive, List<Problem> problems,
                                 Supplier<Set<Object>> fixtureSupplier) {
        Map<Object, List<Thread>> pools = new IdentityHashMap<>();
        Map<String, List<Thread>> unknownPools = new LinkedHashMap<>();
        List<Thread> single = new ArrayList<>();
        Map<Thread, StackTraceElement[]> stacks = new IdentityHashMap<>();
        for (Thread t : alive) {
            StackTraceElement[] st = Threads.stack(t);
            stacks.put(t, st);
            Object pool = Threads.pool(t);
            if (pool != null) {
                pools.computeIfAbsent(pool, k -> new ArrayList<>()).add(t);
            } else if (Threads.poolWorkerByStack(st)) {
                unknownPools.computeIfAbsent(t.getName().replaceAll("\\d+$", ""), k -> new ArrayList<>()).add(t);
            } else {
                single.add(t);
            }
        }
        Set<Object> fixtures = pools.isEmpty() && unknownPools.isEmpty() ? Set.of() : fixtureSupplier.get();
        for (Map.Entry<Object, List<Thread>> p : pools.entrySet()) {
            Object pool = p.getKey();
            if (fixtures.contains(pool) || pool == ForkJoinPool.commonPool()) {
                SEEN.addAll(p.getValue());
                continue;
            }
            boolean shutdown = pool instanceof ExecutorService es && es.isShutdown();
            if (!shutdown) {
                if (cfg.executors && SEEN_POOLS.add(pool)) problems.add(executor(mark, describe(pool, p.getValue()), p.getValue(), stacks, false));
                SEEN.addAll(p.getValue());
                continue;
            }
            Boolean stopped = pool instanceof ThreadPoolExecutor tpe ? Threads.stopped(tpe) : null;
            for (Thread t : p.getValue()) {
                StackTraceElement[] st = stacks.get(t);
                if (Threads.idleWorker(st)) continue; // shutting down: it is about to exit
                String how = Boolean.TRUE.equals(stopped) ? "its executor was stopped with shutdownNow()"
                        : t.isInterrupted() ? "it was interrupted (Future.cancel(true) or shutdownNow())" : null;
                worker(mark, cfg, t, st, how, "a worker of " + describe(pool, p.getValue()) + ", which was shut down,"
                        + " is still running a task", problems);
            }
        }
        for (Map.Entry<String, List<Thread>> p : unknownPools.entrySet()) {
            List<Thread> idle = new ArrayList<>();
            for (Thread t : p.getValue()) {
                StackTraceElement[] st = stacks.get(t);
                if (Threads.idleWorker(st)) {
                    idle.add(t);
                } else {
                    worker(mark, cfg, t, st, t.isInterrupted() ? "it was interrupted (Future.cancel(true) or shutdownNow())" : null,
                            "a pool worker is still running a task", problems);
                }
            }
            // without reflection Knot cannot tell these workers from those of the class's own pools: leave them
            if (!idle.isEmpty() && cfg.executors && fixtures.isEmpty()) {
                problems.add(executor(mark, "a thread pool (workers \"" + p.getKey() + "…\")", idle, stacks, true));
            }
            SEEN.addAll(idle);
        }
        for (Thread t : single) {
            StackTraceElement[] st = stacks.get(t);
            worker(mark, cfg, t, st, t.isInterrupted() ? "it was interrupted" : null, null, problems);
        }
    }

    /** A thread running code after the test: a cancelled task that ignores it, or a plain leaked thread. */
    private static void worker(TestMark mark, KnotConfig cfg, Thread t, StackTraceElement[] st, String cancelledHow,
                               String poolSummary, List<Problem> problems) {
        List<String> d = new ArrayList<>();
        String created = created(mark, t);
        if (cancelledHow != null && cfg.cancelledRunning) {
            d.add("now " + Stacks.doing(Threads.state(t), st));
            if (created != null) d.add("started at " + created);
            problems.add(new Problem(Kind.CANCELLED, name(t) + " keeps running a task although " + cancelledHow, d, FIX_CANCELLED, null, true));
        } else if (cfg.threads || poolSummary != null && cfg.executors) {
            if (created != null) d.add("created at " + created);
            d.add("now " + Stacks.doing(Threads.state(t), st));
            String summary = poolSummary != null ? poolSummary + ": " + name(t)
                    : name(t) + " is still running after the test ended";
            problems.add(new Problem(Kind.THREAD, summary, d, FIX_THREAD, null, true));
        } else {
            return;
        }
        SEEN.add(t);
    }

    private static Problem executor(TestMark mark, String pool, List<Thread> workers, Map<Thread, StackTraceElement[]> stacks,
                                    boolean likely) {
        List<String> d = new ArrayList<>();
        String created = created(mark, workers.get(0));
        if (created != null) d.add("its first worker was started at " + created);
        for (Thread w : workers) {
            StackTraceElement[] st = stacks.get(w);
            d.add(name(w) + (Threads.idleWorker(st) ? " waits for tasks" : " " + Stacks.doing(Threads.state(w), st)));
        }
        if (likely) d.add("most likely never shut down: its workers still wait for tasks (the Knot agent shows the executor itself)");
        return new Problem(Kind.EXECUTOR, pool + " was never shut down; " + workers.size() + " worker thread(s) still alive",
                d, FIX_EXECUTOR, null, true);
    }

    private static Problem unobserved(TestMark.Uncaught u) {
        List<String> d = new ArrayList<>();
        StackTraceElement[] st = u.error().getStackTrace();
        int app = Stacks.firstApplication(st);
        if (st.length > 0) d.add("thrown at " + Stacks.frame(st[Math.max(0, app)]));
        if (u.lineage() != null && !u.lineage().root()) d.add("the thread was created at " + u.lineage().site());
        return new Problem(Kind.UNOBSERVED, (u.virtual() ? "virtual thread " : "thread ") + "\"" + u.thread()
                + "\" died of " + Stacks.oneLine(u.error()) + "; nothing but the default handler saw it", d, FIX_UNOBSERVED, u.error(), false);
    }

    /** A FutureTask or CompletableFuture of the test that failed, and nobody read its outcome (agent only). */
    private static Problem unread(TaskFailures.Failure f) {
        List<String> d = new ArrayList<>();
        Throwable e = f.error();
        StackTraceElement[] st = e == null ? new StackTraceElement[0] : e.getStackTrace();
        int app = Stacks.firstApplication(st);
        if (st.length > 0) d.add("thrown at " + Stacks.frame(st[Math.max(0, app)]));
        d.add("the task (" + Stacks.simple(f.task()) + ") ran on \"" + f.thread() + "\""
                + (f.lineage().root() ? "" : ", created at " + f.lineage().site()
                + (f.lineage().createdBy == null ? "" : " by \"" + f.lineage().createdBy + "\"")));
        String what = e == null ? f.errorClass() : Stacks.oneLine(e);
        return new Problem(Kind.UNOBSERVED, "task failed and nobody read its result: " + what, d, FIX_UNREAD, e, false);
    }

    private static String created(TestMark mark, Thread t) {
        Lineage l = Threads.lineage(t);
        if (l != null && !l.root()) return l.site() + (l.createdBy == null ? "" : " by \"" + l.createdBy + "\"");
        if (!Threads.markersReadable() && mark.created.get() == 1) return mark.sites.peek(); // the only thread it created
        return null;
    }

    private static String name(Thread t) {
        return (Threads.isVirtual(t) ? "virtual thread " : "") + "\"" + t.getName() + "\"";
    }

    /** "ThreadPoolExecutor@1b6d3586 (max 2 workers, 3 queued tasks)", from lock-free reads only. */
    private static String describe(Object pool, List<Thread> workers) {
        String id = pool.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(pool));
        if (pool instanceof ThreadPoolExecutor tpe) {
            String q = tpe.getQueue() instanceof LinkedBlockingQueue<?> lbq ? ", " + lbq.size() + " queued task(s)" : "";
            return id + " (max " + tpe.getMaximumPoolSize() + " workers" + q + ")";
        }
        if (pool instanceof ForkJoinPool fj) return id + " (parallelism " + fj.getParallelism() + ")";
        return id;
    }

    /** The failure message: what the test left behind, how threads were attributed, and the re-run line. */
    static String message(String test, List<Problem> problems, TestMark mark, String rerun) {
        StringBuilder s = new StringBuilder();
        s.append(test).append(" left ").append(problems.size() == 1 ? "a problem" : problems.size() + " problems")
                .append(" behind (Knot checks after each test):");
        boolean threads = false;
        for (Problem p : problems) {
            s.append('\n').append(p.kind().title).append("  ").append(p.summary());
            for (String d : p.details()) s.append("\n    ").append(d);
            s.append("\n  Fix: ").append(p.fix());
            threads |= p.fromThreads();
        }
        if (threads) s.append("\nThreads were ").append(attribution(mark)).append('.');
        s.append('\n').append(rerun);
        return s.toString();
    }
}
