package dev.knot.model;

import dev.knot.snapshot.StackFrame;
import java.util.List;

/** What a parked thread waits for, from its blocker's class and the frames above the park. */
final class Blockers {
    private Blockers() {
    }

    /** @param typeName the class users know (the queue, not its internal condition), or null to keep the blocker's */
    record Classified(ResourceKind kind, WaitMode mode, String typeName) {
        Classified(ResourceKind kind, WaitMode mode) {
            this(kind, mode, null);
        }
    }

    /** Kind of a lock listed under "Locked ownable synchronizers". */
    static ResourceKind ownableKind(String cls) {
        return cls.contains("ReentrantReadWriteLock") ? ResourceKind.READ_WRITE_LOCK : ResourceKind.EXCLUSIVE_LOCK;
    }

    private static final StackMemo<Classified> CLASSIFIED = new StackMemo<>(Blockers::walkClassify);
    private static final StackMemo<Integer> JUC_SEEN = new StackMemo<>((x, f) -> walkJuc(f));

    /**
     * @return the resource kind and wait mode, or null when the park is a pool/scheduler waiting for work
     */
    static Classified classify(String blockerClass, List<StackFrame> frames) {
        return CLASSIFIED.get(blockerClass, frames);
    }

    private static Classified walkClassify(String blockerClass, List<StackFrame> frames) {
        String c = blockerClass;
        int seen = juc(frames);
        if (c.equals("java.util.concurrent.ForkJoinPool") || (seen & FJP_AWAIT_WORK) != 0) {
            return null;
        }
        // Frames tell more than the blocker class: queues and barriers park on a ConditionObject.
        for (int i = 0; i < Math.min(frames.size(), 14); i++) {
            StackFrame f = frames.get(i);
            String fc = f.className();
            String m = f.method();
            if (fc.equals("java.util.concurrent.ThreadPoolExecutor") && m.equals("getTask")) return null;
            if (fc.equals("java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue")) return null;
            if (fc.startsWith("org.apache.commons.pool") && m.equals("borrowObject")
                    || fc.startsWith("com.zaxxer.hikari.pool.HikariPool") && m.equals("getConnection")
                    || fc.startsWith("com.zaxxer.hikari.util.ConcurrentBag") && m.equals("borrow")) {
                return new Classified(ResourceKind.OBJECT_POOL, WaitMode.BORROW);
            }
            if (fc.endsWith("BlockingQueue") || fc.endsWith("BlockingDeque") || fc.equals("java.util.concurrent.SynchronousQueue")
                    || fc.equals("java.util.concurrent.LinkedTransferQueue")) {
                if (m.startsWith("put") || m.startsWith("offer") || m.equals("transfer")) {
                    return new Classified(ResourceKind.BOUNDED_QUEUE, WaitMode.PUT, fc);
                }
                if (m.startsWith("take") || m.startsWith("poll")) {
                    return new Classified(ResourceKind.BOUNDED_QUEUE, WaitMode.TAKE, fc);
                }
            }
            if (fc.equals("java.util.concurrent.CyclicBarrier") || fc.startsWith("java.util.concurrent.Phaser")
                    || fc.equals("java.util.concurrent.Exchanger")) {
                return new Classified(ResourceKind.BARRIER, WaitMode.AWAIT, fc);
            }
            if (fc.equals("java.util.concurrent.locks.ReentrantReadWriteLock$ReadLock")) {
                return new Classified(ResourceKind.READ_WRITE_LOCK, WaitMode.READ_LOCK);
            }
            if (fc.equals("java.util.concurrent.locks.ReentrantReadWriteLock$WriteLock")) {
                return new Classified(ResourceKind.READ_WRITE_LOCK, WaitMode.WRITE_LOCK);
            }
            if (fc.equals("java.util.concurrent.locks.StampedLock")) {
                return new Classified(ResourceKind.EXCLUSIVE_LOCK, m.startsWith("read") ? WaitMode.READ_LOCK : WaitMode.LOCK);
            }
        }
        if (c.isEmpty()) {
            // No blocker printed (a mounted virtual thread in jstack): the calling JDK method names the resource.
            if ((seen & SEMAPHORE) != 0) c = "java.util.concurrent.Semaphore";
            else if ((seen & LATCH) != 0) c = "java.util.concurrent.CountDownLatch";
            else if ((seen & REENTRANT_LOCK) != 0) c = "java.util.concurrent.locks.ReentrantLock$Sync";
            else if ((seen & FUTURE_TASK) != 0) c = "java.util.concurrent.FutureTask";
        }
        if (c.contains("ReentrantLock$")) return new Classified(ResourceKind.EXCLUSIVE_LOCK, WaitMode.LOCK);
        if (c.contains("ReentrantReadWriteLock$")) return new Classified(ResourceKind.READ_WRITE_LOCK, WaitMode.WRITE_LOCK);
        if (c.endsWith("ThreadPoolExecutor$Worker")) return new Classified(ResourceKind.EXCLUSIVE_LOCK, WaitMode.LOCK);
        if (c.startsWith("java.util.concurrent.Semaphore")) return new Classified(ResourceKind.SEMAPHORE, WaitMode.ACQUIRE);
        if (c.startsWith("java.util.concurrent.CountDownLatch")) return new Classified(ResourceKind.LATCH, WaitMode.AWAIT);
        if (c.equals("java.util.concurrent.FutureTask") || c.startsWith("java.util.concurrent.ForkJoinTask")
                || c.contains("ForkJoinTask$")) {
            return new Classified(ResourceKind.FUTURE, WaitMode.GET);
        }
        if (c.startsWith("java.util.concurrent.CompletableFuture")) return new Classified(ResourceKind.COMPLETABLE_FUTURE, WaitMode.GET);
        if (c.contains("ConditionObject")) return new Classified(ResourceKind.CONDITION, WaitMode.AWAIT);
        if ((seen & FUTURE_TASK_GET) != 0) return new Classified(ResourceKind.FUTURE, WaitMode.GET);
        if ((seen & COMPLETABLE_FUTURE) != 0) {
            return new Classified(ResourceKind.COMPLETABLE_FUTURE, WaitMode.GET);
        }
        return new Classified(ResourceKind.UNKNOWN_PARK, WaitMode.PARK);
    }

    private static final int FJP_AWAIT_WORK = 1;
    private static final int SEMAPHORE = 2;
    private static final int LATCH = 4;
    private static final int REENTRANT_LOCK = 8;
    private static final int FUTURE_TASK = 16;
    private static final int FUTURE_TASK_GET = 32;
    private static final int COMPLETABLE_FUTURE = 64;
    private static final String JUC = "java.util.concurrent.";

    /**
     * Which java.util.concurrent classes appear anywhere in the stack, in one pass (a 10,000-thread dump has
     * 300,000 frames; looking for each class in turn walked them seven times).
     */
    private static int juc(List<StackFrame> frames) {
        return JUC_SEEN.get(frames);
    }

    private static int walkJuc(List<StackFrame> frames) {
        int seen = 0;
        for (int i = 0; i < frames.size(); i++) {
            StackFrame f = frames.get(i);
            String fc = f.className();
            if (!fc.startsWith(JUC)) continue;
            if (fc.startsWith("ForkJoinPool", JUC.length()) && f.method().equals("awaitWork")) seen |= FJP_AWAIT_WORK;
            if (fc.startsWith("Semaphore", JUC.length())) seen |= SEMAPHORE;
            if (fc.startsWith("CountDownLatch", JUC.length())) seen |= LATCH;
            if (fc.startsWith("locks.ReentrantLock", JUC.length())) seen |= REENTRANT_LOCK;
            if (fc.startsWith("FutureTask", JUC.length())) seen |= f.method().equals("get") ? FUTURE_TASK | FUTURE_TASK_GET : FUTURE_TASK;
            if (fc.startsWith("CompletableFuture", JUC.length())) seen |= COMPLETABLE_FUTURE;
        }
        return seen;
    }

    /** Waits with a timeout: the JDK method names say so even when the state line is missing. */
    static boolean timedFrames(List<StackFrame> frames) {
        for (int i = 0; i < Math.min(frames.size(), 4); i++) {
            String m = frames.get(i).method();
            if (m.equals("parkNanos") || m.equals("parkUntil") || m.equals("sleep") || m.equals("sleepNanos")
                    || m.equals("sleep0") || m.equals("sleepNanos0")) {
                return true;
            }
        }
        return false;
    }

    /** JDK 17 does not name the class being initialised; the frame that touched it is the best clue. */
    static String classBeingInitialised(List<StackFrame> frames) {
        StackFrame top = frames.get(0);
        return top.method().equals("<clinit>") ? top.className() : "(a class used at " + top.location() + ")";
    }
}
