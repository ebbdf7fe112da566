package dev.knot.live;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Field reads into java.base internals. Every method returns null (and records one warning per kind of
 * failure) instead of throwing: without the agent, the packages are not open and the snapshot simply knows
 * less. Only fields are read, never methods that might lock.
 */
final class Reflect {
    private final List<String> warnings;
    private final Set<String> warned = new HashSet<>();
    /**
     * Declared fields by class, then name; {@link #NONE} when the class declares no such field. The misses are
     * cached too: a lookup that fails throws NoSuchFieldException, and asking every one of 10,000 threads for
     * JDK 19's {@code Thread.holder} on JDK 17 cost two exceptions per thread (~50 ms warm, ~150 ms cold).
     */
    private final Map<Class<?>, Map<String, Object>> fields = new HashMap<>();
    private static final Object NONE = new Object();
    private boolean virtualThreadsVisible;

    Reflect(List<String> warnings) {
        this.warnings = warnings;
    }

    // ---- virtual threads --------------------------------------------------------------------------

    /** Every virtual thread with its container's name, via jdk.internal.vm.ThreadContainers (JDK 21+). */
    Map<Thread, String> virtualThreads() {
        Map<Thread, String> out = new LinkedHashMap<>();
        if (Runtime.version().feature() < 21) return out;
        try {
            Class<?> containers = Class.forName("jdk.internal.vm.ThreadContainers");
            Method root = containers.getMethod("root");
            root.setAccessible(true);
            Method isVirtual = Thread.class.getMethod("isVirtual");
            collect(root.invoke(null), out, isVirtual, 0);
            virtualThreadsVisible = true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            warnOnce("vthreads", "virtual threads are not visible to this snapshot (" + e.getClass().getSimpleName()
                    + "); load the Knot agent (`knot attach` or -javaagent) to see them");
        }
        return out;
    }

    private static void collect(Object container, Map<Thread, String> out, Method isVirtual, int depth)
            throws ReflectiveOperationException {
        if (depth > 64) return;
        Class<?> c = Class.forName("jdk.internal.vm.ThreadContainer");
        Method threads = c.getMethod("threads");
        Method children = c.getMethod("children");
        Method name = c.getMethod("name");
        threads.setAccessible(true);
        children.setAccessible(true);
        name.setAccessible(true);
        Object n = name.invoke(container);
        String containerName = n == null ? String.valueOf(container) : n.toString();
        List<?> members;
        try (Stream<?> ts = (Stream<?>) threads.invoke(container)) {
            members = ts.toList();
        }
        for (Object t : members) {
            if ((Boolean) isVirtual.invoke(t)) out.putIfAbsent((Thread) t, containerName);
        }
        List<?> kids;
        try (Stream<?> cs = (Stream<?>) children.invoke(container)) {
            kids = cs.toList();
        }
        for (Object child : kids) collect(child, out, isVirtual, depth + 1);
    }

    boolean virtualThreadsVisible() {
        return virtualThreadsVisible;
    }

    // ---- locks ------------------------------------------------------------------------------------

    /** The exclusive owner of an AQS-based lock (ReentrantLock, write lock, Worker), or null. */
    Thread exclusiveOwner(Object sync) {
        if (!isSubclass(sync, "java.util.concurrent.locks.AbstractOwnableSynchronizer")) return null;
        return field(sync, "exclusiveOwnerThread", Thread.class);
    }

    /** Whether {@link #exclusiveOwner} can read owners at all (java.util.concurrent.locks opened to Knot). */
    boolean lockOwnersReadable() {
        try {
            declared(java.util.concurrent.locks.AbstractOwnableSynchronizer.class, "exclusiveOwnerThread");
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** AQS state: permits of a Semaphore, count of a CountDownLatch. */
    Integer aqsState(Object sync) {
        Number n = field(sync, "state", Number.class);
        return n == null ? null : n.intValue();
    }

    /**
     * Read-lock holders of a ReentrantReadWriteLock's sync: its per-thread hold counters live in each thread's
     * ThreadLocalMap, which only reflection can read from another thread.
     */
    Map<Thread, Integer> readHolders(Object sync, List<Thread> threads) {
        Object readHolds = field(sync, "readHolds", Object.class);
        if (readHolds == null) return null;
        Map<Thread, Integer> out = new LinkedHashMap<>();
        Thread first = field(sync, "firstReader", Thread.class);
        if (first != null) {
            Number c = field(sync, "firstReaderHoldCount", Number.class);
            if (c != null && c.intValue() > 0) out.put(first, c.intValue());
        }
        try {
            Field tlField = declared(Thread.class, "threadLocals");
            for (Thread t : threads) {
                Object counter = threadLocalValue(tlField.get(t), readHolds);
                Number count = counter == null ? null : field(counter, "count", Number.class);
                if (count != null && count.intValue() > 0) out.merge(t, count.intValue(), Math::max);
            }
            return out;
        } catch (ReflectiveOperationException | RuntimeException e) {
            warnOnce("readholds", "read-lock holders cannot be read (" + e.getClass().getSimpleName() + ")");
            return null;
        }
    }

    /**
     * The value another thread holds for {@code key}, read from its ThreadLocalMap's table without calling the
     * map's methods: those may expunge stale entries, which would write to a map its owner is using.
     */
    private Object threadLocalValue(Object map, Object key) {
        if (map == null) return null;
        Object[] table = field(map, "table", Object[].class);
        if (table == null) return null;
        for (Object entry : table) {
            if (entry instanceof java.lang.ref.Reference<?> ref && ref.get() == key) return field(entry, "value", Object.class);
        }
        return null;
    }

    // ---- pools ------------------------------------------------------------------------------------

    /** The ThreadPoolExecutor a platform thread works for, or null. */
    Object poolOf(Thread t) {
        Object task = null;
        Object holder = fieldOrNull(t, "holder"); // JDK 19+: Thread.FieldHolder
        if (holder != null) task = fieldOrNull(holder, "task");
        if (task == null) task = fieldOrNull(t, "target"); // JDK 17
        if (task == null || !task.getClass().getName().equals("java.util.concurrent.ThreadPoolExecutor$Worker")) return null;
        return field(task, "this$0", Object.class);
    }

    /** "workers: 2 of max 2, queued tasks: 5", read without the pool's main lock. */
    String poolState(Object pool) {
        Object ctl = field(pool, "ctl", Object.class);
        Number max = field(pool, "maximumPoolSize", Number.class);
        Object queue = field(pool, "workQueue", Object.class);
        if (!(ctl instanceof java.util.concurrent.atomic.AtomicInteger) || max == null) return null;
        int workers = ((java.util.concurrent.atomic.AtomicInteger) ctl).get() & ((1 << 29) - 1);
        int queued = queue == null ? -1 : queueSize(queue);
        return "workers: " + workers + " of max " + max + (queued >= 0 ? ", queued tasks: " + queued : "");
    }

    /** Position of each task in a pool's queue, by identity: one walk for all the tasks threads wait on. */
    Map<Object, Integer> queuePositions(Object pool) {
        Map<Object, Integer> out = new java.util.IdentityHashMap<>();
        Object queue = field(pool, "workQueue", Object.class);
        if (queue == null) return out;
        int i = 0;
        for (Object item : items(queue)) out.putIfAbsent(item, i++);
        return out;
    }

    private int queueSize(Object queue) {
        int n = 0;
        for (Object ignored : items(queue)) n++;
        return n;
    }

    /** Elements of the common blocking queues, read from their nodes/arrays (no lock taken). Bounded walk. */
    private List<Object> items(Object queue) {
        List<Object> out = new java.util.ArrayList<>();
        String cls = queue.getClass().getName();
        final int limit = 1_000_000;
        if (cls.equals("java.util.concurrent.LinkedBlockingQueue") || cls.equals("java.util.concurrent.LinkedBlockingDeque")) {
            Object node = cls.endsWith("Queue") ? field(field(queue, "head", Object.class), "next", Object.class)
                    : field(queue, "first", Object.class);
            while (node != null && out.size() < limit) {
                Object item = field(node, "item", Object.class);
                if (item != null) out.add(item);
                Object next = field(node, "next", Object.class);
                if (next == node) break; // unlinked node
                node = next;
            }
        } else if (cls.equals("java.util.concurrent.ArrayBlockingQueue")) {
            Object[] items = field(queue, "items", Object[].class);
            Number take = field(queue, "takeIndex", Number.class);
            Number count = field(queue, "count", Number.class);
            if (items != null && take != null && count != null) {
                for (int k = 0; k < count.intValue() && k < items.length; k++) {
                    Object item = items[(take.intValue() + k) % items.length];
                    if (item != null) out.add(item);
                }
            }
        } else if (cls.endsWith("DelayedWorkQueue") || cls.equals("java.util.concurrent.PriorityBlockingQueue")) {
            Object[] arr = field(queue, "queue", Object[].class);
            Number size = field(queue, "size", Number.class);
            if (arr != null && size != null) {
                for (int k = 0; k < size.intValue() && k < arr.length; k++) if (arr[k] != null) out.add(arr[k]);
            }
        }
        return out;
    }

    // ---- plumbing ---------------------------------------------------------------------------------

    private static boolean isSubclass(Object o, String className) {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(className)) return true;
        }
        return false;
    }

    /** Field value, or null if absent, of another type, or not accessible (warned once per field). */
    /**
     * How many objects awaiting finalization belong to classes outside the boot loader (whose finalize() is
     * application code the Finalizer thread may still run), or null if that cannot be read.
     */
    Integer applicationFinalizers() {
        try {
            Class<?> fin = Class.forName("java.lang.ref.Finalizer");
            Field head = declared(fin, "unfinalized");
            Field next = declared(fin, "next");
            Field referent = declared(java.lang.ref.Reference.class, "referent");
            head.setAccessible(true);
            next.setAccessible(true);
            referent.setAccessible(true);
            int n = 0;
            int seen = 0;
            for (Object f = head.get(null); f != null; ) {
                if (++seen > 1_000_000) return null;
                Object o = referent.get(f);
                if (o != null && o.getClass().getClassLoader() != null) n++;
                Object nx = next.get(f);
                if (nx == f) break; // an entry removed meanwhile points to itself
                f = nx;
            }
            return n;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            warnOnce("finalizers", "cannot read the objects awaiting finalization (" + e.getClass().getSimpleName() + ")");
            return null;
        }
    }

    <T> T field(Object target, String name, Class<T> type) {
        if (target == null) return null;
        try {
            Field f = find(target.getClass(), name);
            if (f == null) return null;
            Object v = f.get(target);
            return type.isInstance(v) ? type.cast(v) : null;
        } catch (IllegalAccessException | RuntimeException e) {
            warnOnce("field:" + name, "cannot read " + target.getClass().getName() + "." + name + " ("
                    + e.getClass().getSimpleName() + "); load the Knot agent for full evidence");
            return null;
        }
    }

    private Object fieldOrNull(Object target, String name) {
        return field(target, name, Object.class);
    }

    private Field find(Class<?> start, String name) {
        for (Class<?> c = start; c != null; c = c.getSuperclass()) {
            Map<String, Object> declared = fields.computeIfAbsent(c, k -> new HashMap<>());
            Object cached = declared.get(name);
            if (cached == null) {
                try {
                    Field f = c.getDeclaredField(name);
                    f.setAccessible(true);
                    cached = f;
                } catch (NoSuchFieldException e) {
                    cached = NONE;
                }
                declared.put(name, cached);
            }
            if (cached != NONE) return (Field) cached;
        }
        return null;
    }

    private static Field declared(Class<?> c, String name) throws NoSuchFieldException {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    private void warnOnce(String key, String message) {
        if (warned.add(key)) warnings.add(message);
    }
}
