package dev.knot.bench;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Targets for the scale benchmark: a JVM whose N threads take one of several <em>shapes</em> of waiting, the ones that
 * make per-resource work multiply by the number of waiters when a path is not linear. Prints {@code READY <pid>} when
 * every thread of the shape is in place, then waits until its standard input is closed.
 *
 * <pre>java -Xss256k -cp knot-bench.jar dev.knot.bench.ScaleShapes SHAPE N</pre>
 *
 * <table>
 * <caption>shapes</caption>
 * <tr><td>parked</td><td>N threads, each parked alone (no blocker); no finding</td></tr>
 * <tr><td>latch</td><td>N threads, each holding a monitor and a ReentrantLock, wait on one CountDownLatch nobody
 * counts down; no hang kind applies (nobody can count down), at most contention</td></tr>
 * <tr><td>monitor</td><td>N-1 threads BLOCKED on one monitor that one thread holds while parked; contention</td></tr>
 * <tr><td>rlock</td><td>N-1 threads queued on one ReentrantLock that one thread holds while parked; contention</td></tr>
 * <tr><td>pairs</td><td>N/2 two-thread deadlocks over distinct monitors; N/2 deadlock findings</td></tr>
 * <tr><td>pool</td><td>a fixed pool of 4 workers, each waiting on a latch, with N tasks queued behind them</td></tr>
 * <tr><td>futures</td><td>a fixed pool of 4 workers, each waiting on a Future of a task queued behind it, and N
 * threads each waiting on a Future of its own task queued behind those; starvation</td></tr>
 * <tr><td>vsemaphore</td><td>N virtual threads waiting on one Semaphore without permits (JDK 21+)</td></tr>
 * </table>
 */
public final class ScaleShapes {

    static final List<String> SHAPES = List.of("parked", "latch", "monitor", "rlock", "pairs", "pool", "futures",
            "vsemaphore");

    /** Kept reachable so that nothing the threads wait on is collected. */
    private static final List<Object> KEEP = new ArrayList<>();

    private ScaleShapes() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !SHAPES.contains(args[0])) {
            System.err.println("usage: ScaleShapes " + String.join("|", SHAPES) + " N");
            System.exit(64);
        }
        String shape = args[0];
        int n = Integer.parseInt(args[1]);
        List<Thread> threads = switch (shape) {
            case "parked" -> parked(n);
            case "latch" -> latch(n);
            case "monitor" -> monitor(n);
            case "rlock" -> rlock(n);
            case "pairs" -> pairs(n);
            case "pool" -> pool(n);
            case "futures" -> futures(n);
            default -> virtualSemaphore(n);
        };
        for (Thread t : threads) {
            while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.BLOCKED) {
                if (t.getState() == Thread.State.TERMINATED) {
                    System.err.println("ScaleShapes: " + t.getName() + " ended: the shape did not form");
                    System.exit(70);
                }
                Thread.sleep(1);
            }
        }
        System.out.println("READY " + ProcessHandle.current().pid());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for EOF
        }
        System.exit(0);
    }

    private static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void parkForever() {
        while (true) LockSupport.park();
    }

    private static List<Thread> parked(int n) {
        List<Thread> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) all.add(start("parked-" + i, ScaleShapes::parkForever));
        return all;
    }

    private static List<Thread> latch(int n) {
        CountDownLatch never = new CountDownLatch(1);
        KEEP.add(never);
        List<Thread> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Object monitor = new Object();
            ReentrantLock lock = new ReentrantLock();
            all.add(start("latch-waiter-" + i, () -> {
                synchronized (monitor) {
                    lock.lock();
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        lock.unlock();
                    }
                }
            }));
        }
        return all;
    }

    private static List<Thread> monitor(int n) throws InterruptedException {
        Object hot = new Object();
        CountDownLatch held = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>(n);
        all.add(start("monitor-holder", () -> {
            synchronized (hot) {
                held.countDown();
                parkForever();
            }
        }));
        held.await();
        for (int i = 1; i < n; i++) {
            all.add(start("monitor-waiter-" + i, () -> {
                synchronized (hot) {
                    KEEP.add(Thread.currentThread());
                }
            }));
        }
        return all;
    }

    private static List<Thread> rlock(int n) throws InterruptedException {
        ReentrantLock hot = new ReentrantLock();
        CountDownLatch held = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>(n);
        all.add(start("rlock-holder", () -> {
            hot.lock();
            held.countDown();
            parkForever();
        }));
        held.await();
        for (int i = 1; i < n; i++) {
            all.add(start("rlock-waiter-" + i, () -> {
                hot.lock();
                hot.unlock();
            }));
        }
        return all;
    }

    private static List<Thread> pairs(int n) {
        List<Thread> all = new ArrayList<>(n);
        for (int p = 0; p < n / 2; p++) {
            Object a = new Object();
            Object b = new Object();
            CountDownLatch both = new CountDownLatch(2);
            all.add(start("pair-" + p + "-ab", () -> cross(a, b, both)));
            all.add(start("pair-" + p + "-ba", () -> cross(b, a, both)));
        }
        return all;
    }

    private static void cross(Object first, Object second, CountDownLatch both) {
        synchronized (first) {
            both.countDown();
            try {
                both.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (second) {
                KEEP.add(second);
            }
        }
    }

    /** A fixed pool of daemon workers named {@code prefix0, prefix1, …}, each added to {@code workers} when made. */
    private static ExecutorService fixedPool(String prefix, int size, List<Thread> workers) {
        ThreadFactory named = r -> {
            Thread t = new Thread(r, prefix + workers.size());
            t.setDaemon(true);
            workers.add(t);
            return t;
        };
        ExecutorService executor = Executors.newFixedThreadPool(size, named);
        KEEP.add(executor);
        return executor;
    }

    private static List<Thread> pool(int n) throws InterruptedException {
        int workers = 4;
        CountDownLatch never = new CountDownLatch(1);
        List<Thread> pool = new ArrayList<>();
        ExecutorService executor = fixedPool("scale-pool-", workers, pool);
        CountDownLatch busy = new CountDownLatch(workers);
        for (int i = 0; i < workers; i++) {
            executor.execute(() -> {
                busy.countDown();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        busy.await();
        for (int i = 0; i < n; i++) executor.execute(() -> KEEP.add(Thread.currentThread()));
        return pool;
    }

    private static List<Thread> futures(int n) throws InterruptedException {
        int workers = 4;
        List<Thread> all = new ArrayList<>();
        ExecutorService executor = fixedPool("futures-pool-", workers, all);
        CountDownLatch busy = new CountDownLatch(workers);
        for (int i = 0; i < workers; i++) {
            executor.execute(() -> {
                busy.countDown();
                try {
                    // every worker is in such a task before the first inner task is queued: none is left to run it
                    busy.await();
                    java.util.concurrent.Future<?> inner = executor.submit(() -> KEEP.add(Thread.currentThread()));
                    inner.get();
                } catch (Exception e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        busy.await();
        for (int i = 0; i < n; i++) {
            java.util.concurrent.Future<?> task = executor.submit(() -> KEEP.add(Thread.currentThread()));
            all.add(start("future-waiter-" + i, () -> {
                try {
                    task.get();
                } catch (Exception e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        return all;
    }

    private static List<Thread> virtualSemaphore(int n) throws Exception {
        Method ofVirtual;
        try {
            ofVirtual = Thread.class.getMethod("ofVirtual");
        } catch (NoSuchMethodException e) {
            System.err.println("ScaleShapes: vsemaphore needs JDK 21+ (this is " + Runtime.version() + ")");
            System.exit(65);
            return List.of();
        }
        Semaphore none = new Semaphore(0);
        KEEP.add(none);
        Object builder = ofVirtual.invoke(null);
        Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
        List<Thread> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add((Thread) start.invoke(builder, (Runnable) () -> {
                try {
                    none.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        return all;
    }
}
