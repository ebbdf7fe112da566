package dev.knot.junit;

import dev.knot.sites.WaitSite;
import dev.knot.sites.WaitSites;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finding threads and reading what reflection may read about them. Every read fails soft (null, empty): without the
 * Knot agent or {@code --add-opens}, java.base is closed and Knot falls back to what public APIs show.
 */
final class Threads {
    private Threads() {
    }

    private static final Module OURS = Threads.class.getModule();

    /** Other threads' markers and pool workers' Runnables: needs java.lang open (the Knot agent opens it). */
    static final boolean LANG_OPEN = open("java.lang");
    static final boolean JUC_OPEN = open("java.util.concurrent");
    /** Virtual threads are listed by jdk.internal.vm.ThreadContainers (JDK 21+), opened by the agent. */
    static final boolean VIRTUAL_VISIBLE = Runtime.version().feature() >= 21 && open("jdk.internal.vm");

    private static boolean open(String pkg) {
        Module base = Object.class.getModule();
        return base.getPackages().contains(pkg) && base.isOpen(pkg, OURS);
    }

    private static final Field ITL = LANG_OPEN ? field(Thread.class, "inheritableThreadLocals") : null;
    private static final Field TABLE = LANG_OPEN ? field("java.lang.ThreadLocal$ThreadLocalMap", "table") : null;
    private static final Field VALUE = LANG_OPEN ? field("java.lang.ThreadLocal$ThreadLocalMap$Entry", "value") : null;
    private static final Field HOLDER = LANG_OPEN ? field(Thread.class, "holder") : null; // JDK 19+
    private static final Field HOLDER_TASK = LANG_OPEN ? field("java.lang.Thread$FieldHolder", "task") : null;
    private static final Field TARGET = LANG_OPEN ? field(Thread.class, "target") : null; // JDK 17
    private static final Field WORKER_POOL = JUC_OPEN ? field("java.util.concurrent.ThreadPoolExecutor$Worker", "this$0") : null;
    private static final Field CTL = JUC_OPEN ? field(ThreadPoolExecutor.class, "ctl") : null;
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    /** Marker-based attribution is possible: other threads' inherited markers can be read. */
    static boolean markersReadable() {
        return ITL != null && TABLE != null && VALUE != null;
    }

    private static Field field(String className, String name) {
        try {
            return field(Class.forName(className), name);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static Field field(Class<?> c, String name) {
        try {
            Field f = c.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null; // JDK 17-18
        }
    }

    static boolean isVirtual(Thread t) {
        try {
            return IS_VIRTUAL != null && (boolean) IS_VIRTUAL.invoke(t);
        } catch (Throwable e) {
            return false;
        }
    }

    /**
     * The thread's inherited lineage; read from its {@code inheritableThreadLocals} table without calling into the
     * map (its lookup methods would clean stale entries, i.e. write to another thread's map).
     */
    static Lineage lineage(Thread t) {
        if (t == Thread.currentThread()) return Marks.MARK.get();
        if (!markersReadable()) return null;
        try {
            Object map = ITL.get(t);
            if (map == null) return null;
            Object[] table = (Object[]) TABLE.get(map);
            if (table == null) return null;
            for (Object e : table) {
                if (e instanceof Reference<?> r && r.get() == Marks.MARK) {
                    return VALUE.get(e) instanceof Lineage l ? l : null;
                }
            }
        } catch (IllegalAccessException | RuntimeException e) {
            // unreadable: unattributed
        }
        return null;
    }

    private static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * State and stack read together (ThreadMXBean, platform threads), so that they agree; a virtual thread's are
     * read one after the other. Remembered per thread for the next {@link #state} call.
     */
    static StackTraceElement[] stack(Thread t) {
        if (!isVirtual(t)) {
            java.lang.management.ThreadInfo ti = MX.getThreadInfo(t.getId(), Integer.MAX_VALUE);
            if (ti != null) {
                STATES.put(t, ti.getThreadState());
                return ti.getStackTrace();
            }
        }
        STATES.put(t, t.getState());
        return t.getStackTrace();
    }

    /** The state seen with the last {@link #stack} of this thread, else its state now. */
    static Thread.State state(Thread t) {
        Thread.State s = STATES.get(t);
        return s != null ? s : t.getState();
    }

    private static final java.util.Map<Thread, Thread.State> STATES =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** All live platform threads. */
    static List<Thread> platform() {
        return dev.knot.live.LiveSnapshot.platformThreads();
    }

    private static volatile Method[] containerMethods;

    /** All live virtual threads (JDK 21+, jdk.internal.vm open); empty when they cannot be listed. */
    static List<Thread> virtual() {
        if (!VIRTUAL_VISIBLE) return List.of();
        List<Thread> out = new ArrayList<>();
        try {
            Method[] m = containerMethods;
            if (m == null) {
                Method root = Class.forName("jdk.internal.vm.ThreadContainers").getMethod("root");
                Class<?> c = Class.forName("jdk.internal.vm.ThreadContainer");
                Method threads = c.getMethod("threads");
                Method children = c.getMethod("children");
                root.setAccessible(true);
                threads.setAccessible(true);
                children.setAccessible(true);
                containerMethods = m = new Method[] {root, threads, children};
            }
            collect(m[0].invoke(null), m, out, 0);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // not listable here
        }
        return out;
    }

    private static void collect(Object container, Method[] m, List<Thread> out, int depth) throws ReflectiveOperationException {
        if (depth > 64 || container == null) return;
        List<?> members;
        try (Stream<?> s = (Stream<?>) m[1].invoke(container)) {
            members = s.toList();
        }
        for (Object o : members) {
            if (o instanceof Thread t && isVirtual(t) && !out.contains(t)) out.add(t);
        }
        List<?> kids;
        try (Stream<?> s = (Stream<?>) m[2].invoke(container)) {
            kids = s.toList();
        }
        for (Object k : kids) collect(k, m, out, depth + 1);
    }

    /** Names of threads the JVM, JUnit, build tools or Knot start, which a test never owns. */
    private static final Pattern BENIGN = Pattern.compile("junit-.*|surefire-.*|process reaper|Common-Cleaner|Attach Listener"
            + "|Keep-Alive-Timer|Keep-Alive-SocketCleaner|HttpClient-\\d+-SelectorManager|VirtualThread-unblocker|Read-Poller"
            + "|Write-Poller|JFR .*|RMI .*|Java2D Disposer|DestroyJavaVM|Signal Dispatcher|Reference Handler|Finalizer"
            + "|Notification Thread|Service Thread|Monitor Deflation Thread|knot-.*");

    /**
     * Threads that belong to the JVM, JUnit, the build tool, the ForkJoin common pool (shared by every test) or Knot.
     */
    static boolean infrastructure(Thread t) {
        if (t instanceof KnotThread) return true;
        String cls = t.getClass().getName();
        if (cls.startsWith("org.junit.") || cls.startsWith("jdk.internal.") || cls.startsWith("org.apache.maven.surefire.")
                || cls.startsWith("org.gradle.")) {
            return true;
        }
        if (t instanceof ForkJoinWorkerThread fj && fj.getPool() == ForkJoinPool.commonPool()) return true;
        // every virtual thread reports the JDK's "VirtualThreads" group, whoever started it
        if (!isVirtual(t) && jdkGroup(t.getThreadGroup())) return true;
        return BENIGN.matcher(t.getName()).matches();
    }

    /** The application's top thread group (a child of the system group, normally "main"). */
    private static final ThreadGroup APPLICATION_ROOT = applicationRoot();

    private static ThreadGroup applicationRoot() {
        ThreadGroup g = Thread.currentThread().getThreadGroup();
        while (g != null && g.getParent() != null && g.getParent().getParent() != null) g = g.getParent();
        return g;
    }

    /**
     * A group the JDK made for its own threads: the system group, or one of its other children (InnocuousThreadGroup,
     * the virtual-thread scheduler's CarrierThreads, which also holds its lazily started "…-delayScheduler"). A pool
     * the application creates puts its threads in the creator's group, under the application's root.
     */
    static boolean jdkGroup(ThreadGroup g) {
        if (g == null) return false;
        if (g.getParent() == null) return true;
        return g.getParent().getParent() == null && g != APPLICATION_ROOT;
    }

    /** The executor a worker thread serves: a ForkJoinPool (public API), or a ThreadPoolExecutor (reflection). */
    static Object pool(Thread t) {
        if (t instanceof ForkJoinWorkerThread fj) return fj.getPool();
        if (WORKER_POOL == null) return null;
        try {
            Object task = null;
            if (HOLDER != null && HOLDER_TASK != null) {
                Object holder = HOLDER.get(t);
                if (holder != null) task = HOLDER_TASK.get(holder);
            }
            if (task == null && TARGET != null) task = TARGET.get(t);
            if (task == null || task.getClass() != WORKER_POOL.getDeclaringClass()) return null;
            return WORKER_POOL.get(task);
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    /** Pool has been shut down with shutdownNow() (run state STOP or later), read from ctl; null if unknown. */
    static Boolean stopped(ThreadPoolExecutor pool) {
        if (CTL == null) return null;
        try {
            int c = ((AtomicInteger) CTL.get(pool)).get();
            return c >= (1 << 29); // RUNNING < SHUTDOWN(0) < STOP(1 << 29)
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    /** A ThreadPoolExecutor worker, told by its stack (works without reflection). */
    static boolean poolWorkerByStack(StackTraceElement[] st) {
        return Stacks.contains(st, "java.util.concurrent.ThreadPoolExecutor$Worker", "run");
    }

    /** A pool worker waiting for its next task (not running one), by the catalogue of wait sites. */
    static boolean idleWorker(StackTraceElement[] st) {
        return WaitSites.waitsForNextTask(st);
    }

    /** Running a task: a FutureTask, a CompletableFuture's async step, or a pool worker's current task. */
    static boolean runsTask(StackTraceElement[] st) {
        return WaitSites.has(st, WaitSite.Meaning.RUNS_TASK) || poolWorkerByStack(st) && !idleWorker(st);
    }
}
