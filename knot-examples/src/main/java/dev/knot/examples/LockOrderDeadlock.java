package dev.knot.examples;

import java.util.concurrent.CountDownLatch;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;

/**
 * The scaffolding of the lock-order deadlocks ({@link Ex01MonitorDeadlock}, {@link Ex02ReentrantLockDeadlock},
 * {@link Ex14VirtualThreadDeadlock}): two threads each take a first lock, meet here while holding it, then ask
 * for the lock the other one holds. The examples keep what makes them different: the locks, the order they take
 * them in, the names of the threads and objects.
 */
final class LockOrderDeadlock {

    private final CountDownLatch bothHoldFirstLock = new CountDownLatch(2);

    /**
     * Called by each thread while it holds its first lock; returns once the other one holds its own too. In
     * production the two must interleave within microseconds to deadlock; meeting here makes that certain.
     */
    void awaitOther() {
        bothHoldFirstLock.countDown();
        try {
            bothHoldFirstLock.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts the two threads with {@code starter} ({@link ExampleSupport#startDaemon} or
     * {@link ExampleSupport#startVirtual}), then waits as {@link ExampleSupport#await} does until {@code formed}
     * holds for them, in the order given. Returns the first thread for {@link ExampleSupport#hangFormed}, which
     * the example's main calls itself so that main's stack in the dumps is main, hangFormed, as in every example.
     */
    Thread start(BiFunction<String, Runnable, Thread> starter, String firstName, Runnable first,
            String secondName, Runnable second, String what, BiPredicate<Thread, Thread> formed) {
        Thread one = starter.apply(firstName, first);
        Thread two = starter.apply(secondName, second);
        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, what, () -> formed.test(one, two), one, two);
        return one;
    }
}
