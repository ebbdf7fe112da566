package dev.knot.live;

import dev.knot.input.AgentProtocol;
import dev.knot.input.LiveParts;
import dev.knot.snapshot.DumpFormat;
import dev.knot.input.DumpReader;
import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.LiveFact;
import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.ObjectRef;
import dev.knot.snapshot.StackFrame;
import dev.knot.snapshot.ThreadDump;
import dev.knot.snapshot.ThreadState;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * A snapshot of the running JVM, taken from inside it: every platform thread and (JDK 21+, when the agent has
 * opened {@code jdk.internal.vm}) every virtual thread, with what reflection proves beyond a thread dump: the
 * owner of every lock someone waits for (virtual owners too), read-lock holders, permits and counts, which
 * pool a worker serves, who runs a task, whether an awaited task sits in a pool's queue.
 *
 * <p>Safety: reads fields only. It never calls a method that could take an application lock (queue scans read
 * the nodes directly instead of calling {@code contains}), never blocks an application thread beyond the
 * JVM's own thread-dump safepoint, and degrades (fewer facts, a warning) when reflection is not permitted.
 */
public final class LiveSnapshot {

    /** java.base packages the snapshot reflects into; the agent opens them to this class's module. */
    public static final List<String> MODULE_PACKAGES_TO_OPEN =
            List.of("java.lang", "java.lang.ref", "java.util.concurrent", "java.util.concurrent.locks", "jdk.internal.vm");

    private final List<String> warnings = new ArrayList<>();
    private final List<LiveFact> facts = new ArrayList<>();
    private final Map<String, DumpedThread.Builder> byId = new LinkedHashMap<>();
    private final Reflect reflect = new Reflect(warnings);
    private final Map<Object, Map<Object, Integer>> queuePositions = new IdentityHashMap<>();
    /** Owners (by thread id) of the j.u.c locks platform threads are parked on, as ThreadMXBean reports them. */
    private final List<Map.Entry<String, ObjectRef>> parkedLockOwners = new ArrayList<>();
    private final java.util.function.Consumer<String> phases;

    /** More live facts about the threads, e.g. from the tracking agent (knot-track). */
    public interface FactSource {
        List<LiveFact> facts(List<Thread> allThreads);
    }

    private static final java.util.concurrent.CopyOnWriteArrayList<FactSource> SOURCES =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Registers a source whose facts every later snapshot adds; registering the same source twice adds it once. */
    public static void addFactSource(FactSource s) {
        if (s != null) SOURCES.addIfAbsent(s);
    }

    private LiveSnapshot(java.util.function.Consumer<String> phases) {
        this.phases = phases;
    }

    /** Takes the snapshot; never throws (problems become warnings in the result). */
    public static ThreadDump take(String source) {
        return take(source, p -> { });
    }

    /** As {@link #take(String)}; {@code phases} is told the name of each phase as it ends (for timings). */
    public static ThreadDump take(String source, java.util.function.Consumer<String> phases) {
        return new LiveSnapshot(phases).run(source);
    }

    /** Receives the JVM's thread dump text as soon as it is taken, before the facts (so a reader can start on it). */
    public interface TextSink {
        void accept(String threadPrint) throws java.io.IOException;
    }

    /**
     * The cheap way, for platform threads: the stacks as the JVM's own text dump (DiagnosticCommand
     * {@code Thread.print}, the VM operation jstack uses, which needs no Java objects per frame), handed to
     * {@code text}, then only what reflection proves beyond it ({@link LiveParts}). Returns null, having called
     * nothing, when this JVM has virtual threads (the text dump does not show them; use {@link #take}) or its
     * text dump cannot be taken in-process.
     *
     * @throws java.io.IOException from {@code text}
     */
    public static LiveParts takeParts(String source, java.util.function.Consumer<String> phases, TextSink text)
            throws java.io.IOException {
        return new LiveSnapshot(phases).runParts(source, text);
    }

    private LiveParts runParts(String source, TextSink text) throws java.io.IOException {
        Instant time = Instant.now();
        if (!reflect.virtualThreads().isEmpty()) return null;
        List<Thread> platform = platformThreads();
        Map<Thread, Object> before = new IdentityHashMap<>();
        for (Thread t : platform) {
            Object b = LockSupport.getBlocker(t);
            if (b != null) before.put(t, b);
        }
        String dump = ThreadPrint.take();
        if (dump == null) return null;
        phases.accept("Thread.print");
        Set<Long> joining = joiningThreads(dump);
        text.accept(dump);
        dump = null;
        phases.accept("text written");
        for (Thread t : platform) {
            DumpedThread.Builder b = DumpedThread.builder(t.getName());
            b.id = Long.toString(t.getId());
            byId.put(b.id, b);
        }
        jvmFacts();
        phases.accept("JVM facts");
        joinFactsByThread(platform, joining);
        phases.accept("join facts");
        Map<Object, List<Thread>> pools = pools(platform);
        // Only blockers that were the same object before and after the text dump: the text names objects by
        // address, and a blocker is matched to its address through the thread parked on it.
        Map<String, ObjectRef> blockers = new HashMap<>();
        Map<Object, Boolean> seen = new IdentityHashMap<>(); // facts once per blocker, however many wait on it
        for (Thread t : platform) {
            Object b = before.get(t);
            if (b == null || LockSupport.getBlocker(t) != b) continue;
            blockers.put(Long.toString(t.getId()), ref(b));
            if (seen.put(b, Boolean.TRUE) == null) blockerFacts(b, platform, pools);
        }
        sourcedFacts(platform);
        phases.accept("facts");
        Map<String, LiveParts.Extra> extras = new LinkedHashMap<>();
        for (DumpedThread.Builder b : byId.values()) {
            ObjectRef blocker = blockers.get(b.id);
            List<ObjectRef> owned = b.ownableSynchronizers == null ? List.of() : b.ownableSynchronizers;
            if (blocker == null && owned.isEmpty() && b.container.isEmpty()) continue;
            extras.put(b.id, new LiveParts.Extra(b.id, b.container, blocker, owned));
        }
        return new LiveParts(source, time, Long.toString(ProcessHandle.current().pid()), Runtime.version().toString(),
                extras, facts, warnings);
    }

    private ThreadDump run(String source) {
        Instant time = Instant.now();
        List<Thread> platform = platformThreads();
        Map<Thread, String> virtual = reflect.virtualThreads();
        boolean fromJson = false;
        if (!virtual.isEmpty()) fromJson = fromJsonDump();
        if (!fromJson) fromThreadMxBean();
        phases.accept("threads converted");
        List<Thread> all = new ArrayList<>(platform);
        if (!fromJson) {
            for (Map.Entry<Thread, String> v : virtual.entrySet()) addVirtual(v.getKey(), v.getValue());
        }
        all.addAll(virtual.keySet());
        addParkedLockOwners();
        jvmFacts();
        proveClassInitWaits();
        joinFacts(all);
        Map<Object, List<Thread>> pools = pools(platform);
        Map<Object, Boolean> seen = new IdentityHashMap<>(); // facts once per blocker, however many wait on it
        for (Thread t : all) {
            Object b = LockSupport.getBlocker(t);
            if (b != null && seen.put(b, Boolean.TRUE) == null) blockerFacts(b, all, pools);
        }
        sourcedFacts(all);
        phases.accept("facts");
        // The JVM's JSON dump and virtual threads give no lock owners: then only reflection can, and without it
        // the snapshot must not claim to list them (an empty list would read as "nobody owns it").
        if (!virtual.isEmpty() && !reflect.lockOwnersReadable()) {
            for (DumpedThread.Builder b : byId.values()) b.ownableSynchronizers = null;
            warnings.add("owners of java.util.concurrent locks are not listed (reflection into"
                    + " java.util.concurrent.locks is not permitted); load the Knot agent to list them");
        }
        List<DumpedThread> threads = new ArrayList<>();
        for (DumpedThread.Builder b : byId.values()) threads.add(b.build());
        phases.accept("threads built");
        return new ThreadDump(source, DumpFormat.LIVE, time, Long.toString(ProcessHandle.current().pid()),
                Runtime.version().toString(), threads, List.of(), warnings, facts);
    }

    // ---- threads ------------------------------------------------------------------------------------

    /** All live platform threads (virtual threads are never in a thread group's list). */
    public static List<Thread> platformThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) root = root.getParent();
        Thread[] arr = new Thread[root.activeCount() + 64];
        int n;
        while ((n = root.enumerate(arr, true)) == arr.length) arr = new Thread[arr.length * 2];
        List<Thread> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(arr[i]);
        return out;
    }

    /** Platform threads with monitors and the owners of the locks they are parked on, from ThreadMXBean (one safepoint). */
    private void fromThreadMxBean() {
        // Ownable synchronizers cost the JVM a heap walk in the safepoint (why jstack -l is slower than jstack; with a
        // 512 MB heap and 200 threads 56-73 ms instead of 1-2 ms, JDK 17 and 25). The owners that
        // matter, of locks someone waits for, come without it: the JVM reads a parked thread's blocker's
        // exclusiveOwnerThread into getLockOwnerId (no reflection needed); blockerFacts adds virtual owners.
        ThreadInfo[] infos = ManagementFactory.getThreadMXBean().dumpAllThreads(true, false);
        phases.accept("dumpAllThreads");
        for (ThreadInfo ti : infos) {
            if (ti == null) continue;
            DumpedThread.Builder b = DumpedThread.builder(ti.getThreadName());
            b.id = Long.toString(ti.getThreadId());
            b.daemon = ti.isDaemon();
            b.state = ThreadState.parse(ti.getThreadState().name());
            StackTraceElement[] st = ti.getStackTrace();
            List<List<LockLine>> locks = new ArrayList<>(st.length);
            for (int i = 0; i < st.length; i++) locks.add(List.of());
            LockInfo li = ti.getLockInfo();
            if (li != null && st.length > 0) {
                boolean inWait = isObjectWait(st[0]);
                LockLine.Action a = ti.getThreadState() == Thread.State.BLOCKED
                        ? (inWait ? LockLine.Action.WAITING_TO_RELOCK : LockLine.Action.WAITING_TO_LOCK)
                        : (inWait ? LockLine.Action.WAITING_ON : LockLine.Action.PARKING);
                addLock(locks, 0, new LockLine(a, ref(li), "- " + a.name().toLowerCase().replace('_', ' ') + " <" + id(li) + ">"));
                if (a == LockLine.Action.PARKING && ti.getLockOwnerId() >= 0) {
                    parkedLockOwners.add(Map.entry(Long.toString(ti.getLockOwnerId()), ref(li)));
                }
            }
            for (MonitorInfo mi : ti.getLockedMonitors()) {
                int d = mi.getLockedStackDepth();
                if (d < 0 || d >= st.length) d = 0; // entered through JNI: attach to the top frame
                if (st.length > 0) addLock(locks, d, new LockLine(LockLine.Action.LOCKED, ref(mi), "- locked <" + id(mi) + ">"));
            }
            for (int i = 0; i < st.length; i++) b.frames.add(frame(st[i], locks.get(i)));
            b.ownableSynchronizers = new ArrayList<>();
            b.headerLine = "\"" + ti.getThreadName() + "\" #" + ti.getThreadId() + " " + ti.getThreadState();
            byId.put(b.id, b);
        }
    }

    /**
     * Adds each parked-on lock to its owner's list, once every thread (virtual too) has its entry. An owner that
     * is not listed has ended: the lock is orphaned, which the rules then see as no owner listed.
     */
    private void addParkedLockOwners() {
        for (Map.Entry<String, ObjectRef> o : parkedLockOwners) {
            DumpedThread.Builder ob = byId.get(o.getKey());
            if (ob == null) continue;
            if (ob.ownableSynchronizers == null) ob.ownableSynchronizers = new ArrayList<>();
            if (!ob.ownableSynchronizers.contains(o.getValue())) ob.ownableSynchronizers.add(o.getValue());
        }
    }

    private static void addLock(List<List<LockLine>> locks, int depth, LockLine l) {
        List<LockLine> at = locks.get(depth);
        if (at.isEmpty()) {
            at = new ArrayList<>(2);
            locks.set(depth, at);
        }
        at.add(l);
    }

    /**
     * JDK 21+ with virtual threads: the JVM's own JSON dump lists them all with their monitors, which
     * ThreadMXBean does not. Written to a temporary file and read back with Knot's parser.
     */
    private boolean fromJsonDump() {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("knot-threads-", ".json");
            Files.delete(tmp); // dumpThreads refuses an existing file
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            Class<?> formatClass = Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
            Object json = formatClass.getField("JSON").get(null);
            // through the public interface: the implementation class is not exported (JDK 21 API, compiled for 17)
            com.sun.management.HotSpotDiagnosticMXBean.class.getMethod("dumpThreads", String.class, formatClass)
                    .invoke(bean, tmp.toString(), json);
            ThreadDump d = DumpReader.readFile(tmp).get(0);
            for (DumpedThread t : d.threads()) {
                DumpedThread.Builder b = DumpedThread.builder(t.name());
                b.id = t.id();
                b.virtual = t.virtual();
                b.daemon = t.daemon();
                b.state = t.state();
                b.stateDetail = t.stateDetail();
                b.container = t.container();
                b.carrierId = t.carrierId();
                b.carrierOf = t.carrierOf();
                b.frames.addAll(t.frames());
                b.ownableSynchronizers = new ArrayList<>();
                b.headerLine = t.headerLine();
                byId.put(b.id, b);
            }
            return true;
        } catch (Exception | LinkageError e) {
            warnings.add("the JVM's JSON thread dump failed (" + e + "); virtual threads are listed without their monitors");
            return false;
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (Exception ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    private void addVirtual(Thread t, String container) {
        DumpedThread.Builder b = DumpedThread.builder(t.getName());
        b.id = Long.toString(t.getId());
        b.virtual = true;
        b.state = ThreadState.parse(t.getState().name());
        b.container = container;
        StackTraceElement[] st = t.getStackTrace();
        Object blocker = LockSupport.getBlocker(t);
        for (int i = 0; i < st.length; i++) {
            List<LockLine> locks = new ArrayList<>();
            if (i == 0 && blocker != null) {
                locks.add(new LockLine(LockLine.Action.PARKING, ref(blocker), "- parking to wait for <" + id(blocker) + ">"));
            }
            b.frames.add(frame(st[i], locks));
        }
        b.ownableSynchronizers = new ArrayList<>();
        b.headerLine = "\"" + t.getName() + "\" #" + t.getId() + " virtual " + t.getState();
        byId.put(b.id, b);
    }

    /**
     * ThreadMXBean shows a thread waiting for another thread's class initialiser as RUNNABLE on a {@code <clinit>}
     * line with no lock. Only the JVM's text dump names the class it waits for, so when such threads exist
     * (rarely), take it in-process (DiagnosticCommand threadPrint) and copy those lines over.
     */
    private void proveClassInitWaits() {
        List<DumpedThread.Builder> suspects = new ArrayList<>();
        for (DumpedThread.Builder b : byId.values()) {
            if (b.state == ThreadState.RUNNABLE && !b.frames.isEmpty() && b.frames.get(0).method().equals("<clinit>")) {
                suspects.add(b);
            }
        }
        if (suspects.isEmpty()) return;
        try {
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "threadPrint",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            ThreadDump d = DumpReader.read("threadPrint", new java.io.ByteArrayInputStream(
                    String.valueOf(text).getBytes(java.nio.charset.StandardCharsets.UTF_8))).get(0);
            Map<String, DumpedThread> printed = new HashMap<>();
            for (DumpedThread t : d.threads()) printed.put(t.id(), t);
            for (DumpedThread.Builder b : suspects) {
                DumpedThread p = printed.get(b.id);
                if (p == null || p.frames().isEmpty()) continue;
                List<LockLine> init = new ArrayList<>();
                for (LockLine l : p.frames().get(0).locks()) {
                    if (l.action() == LockLine.Action.CLASS_INIT) init.add(l);
                }
                if (init.isEmpty()) continue;
                StackFrame top = b.frames.get(0);
                List<LockLine> locks = new ArrayList<>(top.locks());
                locks.addAll(init);
                b.frames.set(0, new StackFrame(top.className(), top.method(), top.module(), top.file(), top.line(),
                        top.nativeMethod(), locks, top.text()));
            }
        } catch (Exception | LinkageError e) {
            warnings.add("class-initialisation waits could not be proved (" + e.getClass().getSimpleName() + ")");
        }
    }

    // ---- facts ---------------------------------------------------------------------------------------

    /** Facts about the whole JVM: every virtual thread is listed; nothing awaits an application finalizer. */
    private void jvmFacts() {
        if (Runtime.version().feature() < 21 || reflect.virtualThreadsVisible()) {
            facts.add(new LiveFact(LiveFact.Kind.STATE, LiveFact.JVM, "", LiveFact.ALL_VIRTUAL_THREADS_LISTED));
        }
        Integer finalizable = reflect.applicationFinalizers();
        if (finalizable != null && finalizable == 0) {
            facts.add(new LiveFact(LiveFact.Kind.STATE, LiveFact.JVM, "", LiveFact.NO_APPLICATION_FINALIZERS));
        }
    }

    /** Facts from the registered sources (tracking); a failing source costs its facts, never the snapshot. */
    private void sourcedFacts(List<Thread> threads) {
        for (FactSource s : SOURCES) {
            try {
                facts.addAll(s.facts(threads));
            } catch (Throwable e) {
                warnings.add("live facts from " + s.getClass().getName() + " failed: " + e);
            }
        }
    }

    /**
     * {@link #joinFacts} for the text-dump path, where locks are named by address: which Thread object each
     * waiting thread waits on, from the JVM's lock info (no stacks), keyed by the waiter for {@link LiveParts#merge}.
     */
    private void joinFactsByThread(List<Thread> platform, Set<Long> joining) {
        if (joining.isEmpty()) return; // nobody joins: no lock info to read (the thread MXBean costs ~0.1 s cold)
        Map<Integer, Thread> byHash = new HashMap<>();
        List<Thread> waiting = new ArrayList<>();
        for (Thread t : platform) {
            byHash.merge(System.identityHashCode(t), t, (a, b) -> null); // a shared hash proves nothing
            Thread.State s = t.getState();
            if ((s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) && joining.contains(t.getId())) waiting.add(t);
        }
        if (waiting.isEmpty()) return;
        long[] ids = new long[waiting.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = waiting.get(i).getId();
        try {
            for (ThreadInfo ti : ManagementFactory.getThreadMXBean().getThreadInfo(ids, 0)) {
                LockInfo li = ti == null ? null : ti.getLockInfo();
                if (li == null || !li.getClassName().equals("java.lang.Thread")) continue;
                Thread target = byHash.get(li.getIdentityHashCode());
                if (target != null && target.getId() != ti.getThreadId()) {
                    facts.add(new LiveFact(LiveFact.Kind.THREAD_OBJECT, AgentProtocol.JOIN_OF + ti.getThreadId(),
                            Long.toString(target.getId()), "is the thread waited for (join)"));
                }
            }
        } catch (RuntimeException e) {
            warnings.add("which threads are joined could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static final String JOIN_FRAME = "\tat java.lang.Thread.join(";

    /**
     * Ids of the threads the text dump shows in {@code Thread.join} (the number after {@code #} on the header line
     * above the frame): only those can wait on a Thread object. Threads that start joining after the dump do not
     * matter: the facts are about the threads as the text shows them.
     */
    static Set<Long> joiningThreads(String dump) {
        Set<Long> ids = new HashSet<>();
        for (int at = dump.indexOf(JOIN_FRAME); at >= 0; at = dump.indexOf(JOIN_FRAME, at + JOIN_FRAME.length())) {
            int header = dump.lastIndexOf("\n\"", at);
            if (header < 0) continue;
            int eol = dump.indexOf('\n', header + 1);
            int hash = dump.lastIndexOf("\" #", eol);
            if (hash < header) continue;
            int from = hash + 3;
            int to = from;
            while (to < eol && Character.isDigit(dump.charAt(to))) to++;
            if (to > from && to - from < 19) ids.add(Long.parseLong(dump.substring(from, to)));
        }
        return ids;
    }

    /** A thread waiting on a Thread object (join): only that thread's end releases it. */
    private void joinFacts(List<Thread> all) {
        Map<String, Thread> byObject = new HashMap<>();
        for (Thread t : all) byObject.merge(id(t), t, (a, b) -> null); // an id shared by two threads proves nothing
        for (DumpedThread.Builder b : byId.values()) {
            if (b.frames.isEmpty()) continue;
            for (LockLine l : b.frames.get(0).locks()) {
                Thread target = l.action() == LockLine.Action.WAITING_ON ? byObject.get(l.object().id()) : null;
                if (target != null && !Long.toString(target.getId()).equals(b.id)) {
                    facts.add(new LiveFact(LiveFact.Kind.THREAD_OBJECT, l.object().id(), Long.toString(target.getId()),
                            "is the thread waited for (join)"));
                }
            }
        }
    }

    private void blockerFacts(Object b, List<Thread> all, Map<Object, List<Thread>> pools) {
        if (b == null) return;
        String bid = id(b);
        Thread owner = reflect.exclusiveOwner(b);
        if (owner != null) {
            DumpedThread.Builder ob = byId.get(Long.toString(owner.getId()));
            if (ob != null) {
                if (ob.ownableSynchronizers == null) ob.ownableSynchronizers = new ArrayList<>();
                ObjectRef r = ref(b);
                if (!ob.ownableSynchronizers.contains(r)) ob.ownableSynchronizers.add(r);
            }
        }
        String cls = b.getClass().getName();
        if (cls.startsWith("java.util.concurrent.locks.ReentrantReadWriteLock$")) {
            Map<Thread, Integer> readers = reflect.readHolders(b, all);
            if (readers != null) {
                for (Map.Entry<Thread, Integer> r : readers.entrySet()) {
                    facts.add(new LiveFact(LiveFact.Kind.HOLDS, bid, Long.toString(r.getKey().getId()),
                            "holds the read lock (" + r.getValue() + (r.getValue() == 1 ? " hold)" : " holds)")));
                }
                facts.add(new LiveFact(LiveFact.Kind.HOLDERS_COMPLETE, bid, "", "read holders read from every thread"));
            }
        } else if (cls.startsWith("java.util.concurrent.Semaphore$")) {
            Integer permits = reflect.aqsState(b);
            if (permits != null) facts.add(new LiveFact(LiveFact.Kind.STATE, bid, "", "permits available: " + permits));
        } else if (cls.startsWith("java.util.concurrent.CountDownLatch$")) {
            Integer count = reflect.aqsState(b);
            if (count != null) facts.add(new LiveFact(LiveFact.Kind.STATE, bid, "", "count: " + count));
        } else if (cls.equals("java.util.concurrent.FutureTask")) {
            futureFacts(b, bid, pools);
        }
    }

    private void futureFacts(Object task, String bid, Map<Object, List<Thread>> pools) {
        Thread runner = reflect.field(task, "runner", Thread.class);
        if (runner != null) {
            facts.add(new LiveFact(LiveFact.Kind.RUNS, bid, Long.toString(runner.getId()), "is running the task"));
            return;
        }
        for (Map.Entry<Object, List<Thread>> p : pools.entrySet()) {
            // a walk per awaited task would cost tasks x queue length (10,000 threads awaiting queued futures)
            Integer position = queuePositions.computeIfAbsent(p.getKey(), reflect::queuePositions).get(task);
            if (position == null) continue;
            for (Thread w : p.getValue()) {
                facts.add(new LiveFact(LiveFact.Kind.QUEUED_FOR, bid, Long.toString(w.getId()), "the task is queued in "
                        + name(p.getKey()) + " at position " + (position + 1) + "; only its " + p.getValue().size()
                        + " worker(s) can run it"));
            }
            return;
        }
        facts.add(new LiveFact(LiveFact.Kind.STATE, bid, "", "not started, and in no pool's queue Knot can see"));
    }

    /** Workers of every ThreadPoolExecutor, found from the worker threads themselves. */
    private Map<Object, List<Thread>> pools(List<Thread> platform) {
        Map<Object, List<Thread>> pools = new IdentityHashMap<>();
        for (Thread t : platform) {
            Object pool = reflect.poolOf(t);
            if (pool == null) continue;
            pools.computeIfAbsent(pool, k -> new ArrayList<>()).add(t);
            DumpedThread.Builder b = byId.get(Long.toString(t.getId()));
            if (b != null) b.container = name(pool);
        }
        for (Map.Entry<Object, List<Thread>> p : pools.entrySet()) {
            String state = reflect.poolState(p.getKey());
            if (state != null) facts.add(new LiveFact(LiveFact.Kind.STATE, name(p.getKey()), "", state));
        }
        return pools;
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static boolean isObjectWait(StackTraceElement e) {
        return e.getClassName().equals("java.lang.Object") && e.getMethodName().startsWith("wait");
    }

    /** Frames without locks, shared: 10,000 threads repeat a few dozen distinct frames. */
    private final Map<StackTraceElement, StackFrame> frames = new HashMap<>();

    private StackFrame frame(StackTraceElement e, List<LockLine> locks) {
        StackFrame plain = frames.get(e);
        if (plain == null) {
            String module = e.getModuleName() == null ? "" : e.getModuleName()
                    + (e.getModuleVersion() == null ? "" : "@" + e.getModuleVersion());
            plain = new StackFrame(e.getClassName(), e.getMethodName(), module, e.getFileName(), e.getLineNumber(),
                    e.isNativeMethod(), List.of(), "at " + e);
            frames.put(e, plain);
        }
        if (locks.isEmpty()) return plain;
        return new StackFrame(plain.className(), plain.method(), plain.module(), plain.file(), plain.line(),
                plain.nativeMethod(), locks, plain.text());
    }

    /** {@code Class@hexIdentityHash}: the identity the JVM's JSON dump and LockInfo use too. */
    static String id(Object o) {
        return o.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(o));
    }

    private static String id(LockInfo li) {
        return li.getClassName() + "@" + Integer.toHexString(li.getIdentityHashCode());
    }

    private static ObjectRef ref(Object o) {
        return new ObjectRef(id(o), o.getClass().getName());
    }

    private static ObjectRef ref(LockInfo li) {
        return new ObjectRef(id(li), li.getClassName());
    }

    private static String name(Object pool) {
        return id(pool);
    }
}
