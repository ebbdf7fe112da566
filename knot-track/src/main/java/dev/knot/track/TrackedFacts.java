package dev.knot.track;

import dev.knot.snapshot.LiveFact;
import dev.knot.live.LiveSnapshot;
import dev.knot.track.boot.KnotTracker;
import dev.knot.track.boot.ThreadState;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.locks.LockSupport;

/**
 * Turns what tracking recorded into live facts for the snapshot ({@link LiveSnapshot#addFactSource}):
 * <ul>
 *   <li>Semaphores someone waits on: {@code HOLDS} per live holder ("holds 1 permit, acquired at Foo.bar(Foo.java:12)"),
 *       {@code HOLDERS_COMPLETE} when tracking started with the JVM and no thread released permits it had not taken;
 *       permits of ended threads and unknowable holders as {@code STATE}.</li>
 *   <li>Threads waiting in {@code CompletableFuture.join/get}: the future they wait for, then who completes it (that
 *       future's supplyAsync/runAsync task, or the one of a future it depends on through thenApply, thenCompose …):
 *       {@code RUNS} for the thread running that task; {@code QUEUED_FOR} each worker of the ThreadPoolExecutor whose
 *       queue holds it when the pool cannot add workers; otherwise {@code STATE}.</li>
 *   <li>Threads waiting on a bounded queue's condition: {@code STATE} "producers …; consumers …", {@code RELEASES}
 *       for each consumer (waiting for space) or producer (waiting for an element), and {@code RELEASERS_COMPLETE}
 *       when tracking started with the JVM and no thread's ring of recent queues overflowed.</li>
 *   <li>Object pools (commons-pool2, HikariCP) someone waits to borrow from: see {@link PoolFacts}.</li>
 * </ul>
 * Object ids are the ones the snapshot gives the object a thread parks on ({@code Class@hexIdentityHash}): the
 * semaphore's sync, the CompletableFuture$Signaller, the queue's condition. Reads fields only; never throws out of
 * one section into another (each failure becomes a STATE fact on {@link LiveFact#JVM}).
 */
public final class TrackedFacts implements LiveSnapshot.FactSource {
    private static final int MAX_NAMES = 8;
    static final String SIGNALLER = "java.util.concurrent.CompletableFuture$Signaller";

    @Override
    public List<LiveFact> facts(List<Thread> allThreads) {
        return new Run(allThreads).facts();
    }

    static final class Run {
        final List<Thread> all;
        final List<LiveFact> out = new ArrayList<>();
        final Fields fields = new Fields();
        final ThreadState[] states = KnotTracker.states();
        final Map<Thread, ThreadState> byThread = new IdentityHashMap<>();
        final Map<Thread, Object> blockers = new LinkedHashMap<>();

        Run(List<Thread> all) {
            this.all = all;
        }

        List<LiveFact> facts() {
            for (ThreadState s : states) {
                Thread t = s.thread();
                if (t != null) byThread.put(t, s);
            }
            for (Thread t : all) {
                Object b = LockSupport.getBlocker(t);
                if (b != null) blockers.put(t, b);
            }
            if (KnotTracker.semaphores) section("semaphores", this::semaphores);
            if (KnotTracker.futures) section("futures", this::futures);
            if (KnotTracker.queues) section("queues", this::queues);
            if (KnotTracker.pools) section("object pools", () -> new PoolFacts(this).facts());
            if (fields.problem != null) state(LiveFact.JVM, "tracking: " + fields.problem);
            return out;
        }

        void section(String what, Runnable r) {
            try {
                r.run();
            } catch (RuntimeException | LinkageError e) {
                state(LiveFact.JVM, "tracking: facts about " + what + " failed: " + e);
            }
        }

        // ---- semaphores -------------------------------------------------------------------------------------

        void semaphores() {
            Map<Object, Boolean> waited = new IdentityHashMap<>();
            for (Object b : blockers.values()) {
                if (b.getClass().getName().startsWith("java.util.concurrent.Semaphore$")) waited.put(b, Boolean.TRUE);
            }
            if (waited.isEmpty()) return;
            Map<Object, List<Object[]>> held = new IdentityHashMap<>();
            for (ThreadState s : states) {
                for (Object[] h : s.holdings()) {
                    if (waited.containsKey(h[0])) held.computeIfAbsent(h[0], k -> new ArrayList<>()).add(new Object[] {s, h[1], h[2]});
                }
            }
            for (Object sync : waited.keySet()) {
                String id = id(sync);
                if (KnotTracker.releasedByNonHolder(sync)) {
                    state(id, "tracking: threads released permits they had not acquired (hand-off or signalling use),"
                            + " so who holds the permits is not known");
                    continue;
                }
                for (Object[] h : held.getOrDefault(sync, List.of())) {
                    ThreadState s = (ThreadState) h[0];
                    int n = (Integer) h[1];
                    String site = KnotTracker.describeSite(h[2]);
                    String permits = n + (n == 1 ? " permit" : " permits");
                    if (s.ended()) {
                        state(id, "tracking: " + permits + " taken by thread \"" + s.threadName() + "\" (#" + s.threadId()
                                + ")" + (site == null ? "" : " at " + site) + ", which ended without releasing them");
                    } else {
                        out.add(new LiveFact(LiveFact.Kind.HOLDS, id, Long.toString(s.threadId()), "holds " + permits
                                + (site == null ? " (start the agent with track.sites=true to record where)" : ", acquired at " + site)));
                    }
                }
                if (KnotTracker.sawAllPermits(sync)) {
                    out.add(new LiveFact(LiveFact.Kind.HOLDERS_COMPLETE, id, "",
                            "tracking saw every acquire and release since the JVM started"));
                } else {
                    state(id, "tracking: attached to the running JVM, so permits taken before it started are not known");
                }
            }
        }

        // ---- CompletableFuture ------------------------------------------------------------------------------

        /** Where an async task sits: its pool, the pool's workers, its position. */
        record Queued(Object pool, List<Thread> workers, int position, Object future) {
        }

        void futures() {
            List<Thread> waiters = new ArrayList<>();
            for (Map.Entry<Thread, Object> e : blockers.entrySet()) {
                if (e.getValue().getClass().getName().equals(SIGNALLER)) waiters.add(e.getKey());
            }
            if (waiters.isEmpty()) return;
            Map<Object, ThreadState> runBy = new IdentityHashMap<>(); // future or signaller → thread running its task
            Map<Object, Object> runRoot = new IdentityHashMap<>();
            Map<Object, Boolean> awaited = new IdentityHashMap<>();
            for (Thread w : waiters) awaited.put(blockers.get(w), Boolean.TRUE);
            for (ThreadState s : states) {
                Object computed = s.computing();
                if (computed == null || s.ended()) continue;
                List<Object> reach = reachable(computed);
                if (reach.stream().noneMatch(awaited::containsKey) || !insideAsyncRun(s.thread())) continue;
                for (Object o : reach) {
                    if (runBy.putIfAbsent(o, s) == null) runRoot.put(o, computed);
                }
            }
            Map<Object, Queued> queued = null;
            for (Thread w : waiters) {
                Object signaller = blockers.get(w);
                String sid = id(signaller);
                ThreadState ws = byThread.get(w);
                Object future = ws == null ? null : ws.waitingOn();
                if (future != null && !onStack(future, signaller)) future = null; // a stale record
                if (future != null) state(sid, "tracking: waits for " + id(future));
                ThreadState runner = runBy.get(signaller);
                if (runner != null) {
                    Object root = runRoot.get(signaller);
                    String what = future == null ? "the future this thread waits for" : id(future);
                    out.add(new LiveFact(LiveFact.Kind.RUNS, sid, Long.toString(runner.threadId()),
                            "is running the async task that completes " + (root == future ? what
                                    : id(root) + ", on which " + what + " depends")));
                    continue;
                }
                if (queued == null) queued = queuedAsyncTasks();
                Queued q = queued.get(signaller);
                if (q != null) {
                    queuedFacts(sid, future, q);
                } else if (future != null) {
                    state(sid, "tracking: no thread runs the task that completes " + id(future) + " and it is in no pool"
                            + " queue Knot can see (it may be completed by another stage or an explicit complete())");
                }
            }
        }

        /** Is the thread (still) running a supplyAsync/runAsync task? Its stack says so. */
        static boolean insideAsyncRun(Thread t) {
            if (t == null) return false;
            for (StackTraceElement e : t.getStackTrace()) {
                String c = e.getClassName();
                if (e.getMethodName().equals("run") && (c.equals("java.util.concurrent.CompletableFuture$AsyncSupply")
                        || c.equals("java.util.concurrent.CompletableFuture$AsyncRun"))) {
                    return true;
                }
            }
            return false;
        }

        /** Every future and pending completion reachable from a future through its dependent stages. */
        List<Object> reachable(Object from) {
            List<Object> out = new ArrayList<>();
            if (from == null) return out;
            java.util.ArrayDeque<Object> todo = new java.util.ArrayDeque<>();
            Map<Object, Boolean> seen = new IdentityHashMap<>();
            todo.add(from);
            seen.put(from, Boolean.TRUE);
            int budget = 10_000;
            while (!todo.isEmpty() && budget-- > 0) {
                Object f = todo.poll();
                out.add(f);
                Object c = fields.get(f, "stack");
                for (int i = 0; c != null && i < 1_000 && budget-- > 0; i++) {
                    out.add(c);
                    Object dep = fields.get(c, "dep");
                    if (dep != null && seen.put(dep, Boolean.TRUE) == null) todo.add(dep);
                    c = fields.get(c, "next");
                }
            }
            return out;
        }

        /** supplyAsync/runAsync tasks queued in pools, indexed by every future and waiter their completion reaches. */
        Map<Object, Queued> queuedAsyncTasks() {
            Map<Object, Queued> index = new IdentityHashMap<>();
            for (Map.Entry<Object, List<Thread>> p : pools().entrySet()) {
                Object pool = p.getKey();
                List<Object> tasks;
                if (pool instanceof ForkJoinPool) {
                    tasks = forkJoinTasks(pool);
                } else {
                    tasks = items(fields.get(pool, "workQueue"));
                }
                for (int i = 0; i < tasks.size(); i++) {
                    Object task = tasks.get(i);
                    if (!isAsyncTask(task)) continue;
                    Object dep = fields.get(task, "dep");
                    Queued q = new Queued(pool, p.getValue(), pool instanceof ForkJoinPool ? -1 : i, dep);
                    for (Object o : reachable(dep)) index.putIfAbsent(o, q);
                }
            }
            return index;
        }

        void queuedFacts(String sid, Object future, Queued q) {
            String what = future == null ? "the future this thread waits for" : id(future);
            String task = "the task that completes " + (q.future() == future ? what : id(q.future()) + ", on which " + what
                    + " depends,");
            if (q.pool() instanceof ForkJoinPool) {
                state(sid, "tracking: " + task + " is queued in " + id(q.pool()) + " (" + q.workers().size()
                        + " worker(s) now; a ForkJoinPool may add workers while its workers block)");
                return;
            }
            String where = task + " is queued in " + id(q.pool()) + " at position " + (q.position() + 1);
            String growth = canGrow(q.pool(), fields.get(q.pool(), "workQueue"), q.workers().size());
            if (growth != null || q.workers().isEmpty()) {
                state(sid, "tracking: " + where + (growth != null ? "; " + growth : "; the pool has no workers"));
                return;
            }
            for (Thread w : q.workers()) {
                out.add(new LiveFact(LiveFact.Kind.QUEUED_FOR, sid, Long.toString(w.getId()), where + "; only its "
                        + q.workers().size() + " worker(s) can run it"));
            }
        }

        /** Is the signaller on the future's stack of waiters (so the tracked wait is the one the thread parks in)? */
        boolean onStack(Object future, Object signaller) {
            Object c = fields.get(future, "stack");
            for (int i = 0; c != null && i < 100_000; i++) {
                if (c == signaller) return true;
                c = fields.get(c, "next");
            }
            return false;
        }

        /** Null if the pool cannot add a worker for the queued task, else why it can. */
        String canGrow(Object pool, Object queue, int workers) {
            int core = fields.getInt(pool, "corePoolSize", -1);
            int max = fields.getInt(pool, "maximumPoolSize", -1);
            if (core < 0 || max < 0) return "the pool's size is unknown, so it may add workers";
            if (workers < core) return "the pool has " + workers + " of " + core + " core workers and starts another on the next submit";
            boolean unbounded = queue != null && fields.getInt(queue, "capacity", 0) == Integer.MAX_VALUE;
            if (workers < max && !unbounded) return "the pool may add workers when its queue is full (" + workers + " of max " + max + ")";
            return null;
        }

        static boolean isAsyncTask(Object task) {
            if (task == null) return false;
            String n = task.getClass().getName();
            return n.equals("java.util.concurrent.CompletableFuture$AsyncSupply") || n.equals("java.util.concurrent.CompletableFuture$AsyncRun");
        }

        List<Object> forkJoinTasks(Object pool) {
            List<Object> out = new ArrayList<>();
            Object[] queues = fields.get(pool, "queues", Object[].class);
            if (queues == null) return out;
            for (Object q : queues) {
                Object[] arr = fields.get(q, "array", Object[].class);
                if (arr == null) continue;
                for (Object task : arr) if (task != null) out.add(task);
            }
            return out;
        }

        /** ThreadPoolExecutors (from their worker threads) and ForkJoinPools, each with its workers. */
        Map<Object, List<Thread>> pools() {
            Map<Object, List<Thread>> pools = new IdentityHashMap<>();
            for (Thread t : all) {
                Object pool = null;
                if (t instanceof ForkJoinWorkerThread) {
                    pool = ((ForkJoinWorkerThread) t).getPool();
                } else {
                    Object task = null;
                    Object holder = fields.get(t, "holder"); // JDK 19+: Thread.FieldHolder
                    if (holder != null) task = fields.get(holder, "task");
                    if (task == null) task = fields.get(t, "target"); // JDK 17
                    if (task != null && task.getClass().getName().equals("java.util.concurrent.ThreadPoolExecutor$Worker")) {
                        pool = fields.get(task, "this$0");
                    }
                }
                if (pool != null) pools.computeIfAbsent(pool, k -> new ArrayList<>()).add(t);
            }
            pools.computeIfAbsent(ForkJoinPool.commonPool(), k -> new ArrayList<>());
            return pools;
        }

        /** Elements of the common blocking queues, read from their nodes or arrays (no lock). Bounded walk. */
        List<Object> items(Object queue) {
            List<Object> items = new ArrayList<>();
            if (queue == null) return items;
            String cls = queue.getClass().getName();
            final int limit = 1_000_000;
            if (cls.equals("java.util.concurrent.LinkedBlockingQueue") || cls.equals("java.util.concurrent.LinkedBlockingDeque")) {
                Object node = cls.endsWith("Queue") ? fields.get(fields.get(queue, "head"), "next") : fields.get(queue, "first");
                while (node != null && items.size() < limit) {
                    Object item = fields.get(node, "item");
                    if (item != null) items.add(item);
                    Object next = fields.get(node, "next");
                    if (next == node) break;
                    node = next;
                }
            } else if (cls.equals("java.util.concurrent.ArrayBlockingQueue")) {
                Object[] arr = fields.get(queue, "items", Object[].class);
                int take = fields.getInt(queue, "takeIndex", -1);
                int count = fields.getInt(queue, "count", -1);
                if (arr != null && take >= 0 && count >= 0) {
                    for (int k = 0; k < count && k < arr.length; k++) {
                        Object item = arr[(take + k) % arr.length];
                        if (item != null) items.add(item);
                    }
                }
            } else if (cls.endsWith("DelayedWorkQueue") || cls.equals("java.util.concurrent.PriorityBlockingQueue")) {
                Object[] arr = fields.get(queue, "queue", Object[].class);
                int size = fields.getInt(queue, "size", -1);
                if (arr != null) {
                    for (int k = 0; k < size && k < arr.length; k++) if (arr[k] != null) items.add(arr[k]);
                }
            }
            return items;
        }

        // ---- bounded queues ---------------------------------------------------------------------------------

        void queues() {
            Map<Object, List<ThreadState>> producers = new IdentityHashMap<>();
            Map<Object, List<ThreadState>> consumers = new IdentityHashMap<>();
            for (ThreadState s : states) {
                if (s.ended()) continue;
                for (Object q : s.producedQueues()) if (q != null) producers.computeIfAbsent(q, k -> new ArrayList<>()).add(s);
                for (Object q : s.consumedQueues()) if (q != null) consumers.computeIfAbsent(q, k -> new ArrayList<>()).add(s);
            }
            Map<Object, Object> queueOfCondition = new IdentityHashMap<>();
            Map<Object, String> sideOfCondition = new IdentityHashMap<>();
            Map<Object, Boolean> queues = new IdentityHashMap<>();
            for (Object q : producers.keySet()) queues.put(q, Boolean.TRUE);
            for (Object q : consumers.keySet()) queues.put(q, Boolean.TRUE);
            for (Object q : queues.keySet()) {
                Object notEmpty = fields.get(q, "notEmpty");
                Object notFull = fields.get(q, "notFull");
                if (notEmpty != null) {
                    queueOfCondition.put(notEmpty, q);
                    sideOfCondition.put(notEmpty, "waiting for an element");
                }
                if (notFull != null) {
                    queueOfCondition.put(notFull, q);
                    sideOfCondition.put(notFull, "waiting for space");
                }
            }
            Map<Object, Boolean> done = new IdentityHashMap<>();
            for (Object b : blockers.values()) {
                Object q = queueOfCondition.get(b);
                if (q == null || done.put(b, Boolean.TRUE) != null) continue;
                String id = id(b);
                String label = label(q);
                state(id, "tracking: " + label + ": producers " + names(producers.get(q)) + "; consumers "
                        + names(consumers.get(q)));
                boolean forSpace = b == fields.get(q, "notFull");
                releasers(id, label, forSpace, forSpace ? consumers.get(q) : producers.get(q));
            }
        }

        /**
         * Those waiting for space are released by the queue's consumers, those waiting for an element by its
         * producers: RELEASES for each, and RELEASERS_COMPLETE when tracking can tell it has seen them all.
         */
        void releasers(String id, String label, boolean forSpace, List<ThreadState> rel) {
            String did = forSpace ? "took from " : "put into ";
            List<ThreadState> ss = rel == null ? List.of() : rel;
            for (ThreadState s : ss) {
                out.add(new LiveFact(LiveFact.Kind.RELEASES, id, Long.toString(s.threadId()), did + label + " (tracked)"));
            }
            if (!KnotTracker.sawAllQueueOps()) {
                state(id, "tracking: attached to the running JVM, so threads that " + did.strip() + " it before are not known");
                return;
            }
            List<ThreadState> forgot = new ArrayList<>();
            for (ThreadState s : states) {
                if (!s.ended() && (forSpace ? s.forgotConsumed() : s.forgotProduced())) forgot.add(s);
            }
            if (!forgot.isEmpty()) {
                state(id, "tracking: " + names(forgot) + " " + did.strip() + " more than " + ThreadState.RING
                        + " queues, so tracking may have forgotten that " + (forgot.size() == 1 ? "it" : "they") + " "
                        + did + "this one");
                return;
            }
            if (ss.isEmpty()) return;
            out.add(new LiveFact(LiveFact.Kind.RELEASERS_COMPLETE, id, "", "tracked since the JVM started: " + names(ss)
                    + (ss.size() == 1 ? " is the only live thread that ever " : " are the only live threads that ever ")
                    + did + label));
        }

        String label(Object q) {
            String cls = q.getClass().getName();
            int count = -1;
            int capacity = -1;
            if (cls.equals("java.util.concurrent.ArrayBlockingQueue")) {
                count = fields.getInt(q, "count", -1);
                Object[] items = fields.get(q, "items", Object[].class);
                capacity = items == null ? -1 : items.length;
            } else {
                count = fields.getInt(q, "count", -1);
                capacity = fields.getInt(q, "capacity", -1);
            }
            String size = count < 0 ? "" : capacity < 0 || capacity == Integer.MAX_VALUE ? " (" + count + " queued)"
                    : " (" + count + " of " + capacity + ")";
            return id(q) + size;
        }

        String names(List<ThreadState> ss) {
            if (ss == null || ss.isEmpty()) return "none seen since tracking started";
            List<String> n = new ArrayList<>();
            for (ThreadState s : ss) n.add("\"" + s.threadName() + "\"");
            if (n.size() <= MAX_NAMES) return String.join(", ", n);
            return String.join(", ", n.subList(0, MAX_NAMES)) + " and " + (n.size() - MAX_NAMES) + " more";
        }

        void state(String id, String detail) {
            out.add(new LiveFact(LiveFact.Kind.STATE, id, "", detail));
        }
    }

    /** {@code Class@hexIdentityHash}, as {@link LiveSnapshot} names objects. */
    static String id(Object o) {
        return o.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(o));
    }
}
