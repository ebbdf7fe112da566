package dev.knot.track;

import dev.knot.input.LiveFact;
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
 *       {@code HOLDERS_COMPLETE} when tracking saw every permit since the semaphore was created and no thread released
 *       permits it had not taken; permits of ended threads and unknowable holders as {@code STATE}.</li>
 *   <li>Threads waiting in {@code CompletableFuture.join/get}: the future they wait for, then who completes it:
 *       {@code RUNS} for the thread running its supplyAsync/runAsync task; {@code QUEUED_FOR} each worker of the
 *       ThreadPoolExecutor whose queue holds that task when the pool cannot add workers; otherwise {@code STATE}.</li>
 *   <li>Threads waiting on a bounded queue's condition: {@code STATE} "producers …; consumers …".</li>
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

    private static final class Run {
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
            section("semaphores", this::semaphores);
            section("futures", this::futures);
            section("queues", this::queues);
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
                if (KnotTracker.bornTracked(sync)) {
                    out.add(new LiveFact(LiveFact.Kind.HOLDERS_COMPLETE, id, "",
                            "tracking saw every acquire and release since the semaphore was created"));
                } else {
                    state(id, "tracking: the semaphore was created before tracking started, so permits taken earlier are not known");
                }
            }
        }

        // ---- CompletableFuture ------------------------------------------------------------------------------

        void futures() {
            Map<Object, List<Thread>> pools = null;
            for (Map.Entry<Thread, Object> e : blockers.entrySet()) {
                Object signaller = e.getValue();
                if (!signaller.getClass().getName().equals(SIGNALLER)) continue;
                ThreadState ws = byThread.get(e.getKey());
                Object future = ws == null ? null : ws.waitingOn();
                if (future == null || !onStack(future, signaller)) continue;
                String sid = id(signaller);
                state(sid, "tracking: waits for " + id(future));
                boolean running = false;
                for (ThreadState s : states) {
                    if (s.computes(future) && !s.ended()) {
                        running = true;
                        out.add(new LiveFact(LiveFact.Kind.RUNS, sid, Long.toString(s.threadId()),
                                "is running the async task that completes " + id(future)));
                    }
                }
                if (running) continue;
                if (pools == null) pools = pools();
                if (!queued(sid, future, pools)) {
                    state(sid, "tracking: no thread runs the task that completes " + id(future) + " and it is in no pool"
                            + " queue Knot can see (it may be completed by another stage or an explicit complete())");
                }
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

        boolean queued(String sid, Object future, Map<Object, List<Thread>> pools) {
            for (Map.Entry<Object, List<Thread>> p : pools.entrySet()) {
                Object pool = p.getKey();
                List<Thread> workers = p.getValue();
                if (pool instanceof ForkJoinPool) {
                    if (!inForkJoinQueues(pool, future)) continue;
                    state(sid, "tracking: the task that completes " + id(future) + " is queued in " + id(pool) + " ("
                            + workers.size() + " worker(s) now; a ForkJoinPool may add workers while its workers block)");
                    return true;
                }
                Object queue = fields.get(pool, "workQueue");
                int position = position(queue, future);
                if (position < 0) continue;
                String where = "the task that completes " + id(future) + " is queued in " + id(pool) + " at position "
                        + (position + 1);
                String growth = canGrow(pool, queue, workers.size());
                if (growth != null || workers.isEmpty()) {
                    state(sid, "tracking: " + where + (growth != null ? "; " + growth : "; the pool has no workers"));
                } else {
                    for (Thread w : workers) {
                        out.add(new LiveFact(LiveFact.Kind.QUEUED_FOR, sid, Long.toString(w.getId()), where + "; only its "
                                + workers.size() + " worker(s) can run it"));
                    }
                }
                return true;
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

        boolean completes(Object task, Object future) {
            if (task == null) return false;
            String n = task.getClass().getName();
            return (n.equals("java.util.concurrent.CompletableFuture$AsyncSupply") || n.equals("java.util.concurrent.CompletableFuture$AsyncRun"))
                    && fields.get(task, "dep") == future;
        }

        int position(Object queue, Object future) {
            int i = 0;
            for (Object item : items(queue)) {
                if (completes(item, future)) return i;
                i++;
            }
            return -1;
        }

        boolean inForkJoinQueues(Object pool, Object future) {
            Object[] queues = fields.get(pool, "queues", Object[].class);
            if (queues == null) return false;
            for (Object q : queues) {
                Object[] arr = fields.get(q, "array", Object[].class);
                if (arr == null) continue;
                for (Object task : arr) {
                    if (completes(task, future)) return true;
                }
            }
            return false;
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
                state(id(b), "tracking: " + label(q) + ": producers " + names(producers.get(q)) + "; consumers "
                        + names(consumers.get(q)));
            }
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
