package dev.knot.junit.examples;

import dev.knot.junit.Knot;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two ReentrantLocks taken in opposite order. Without the agent Knot learns their owners from ThreadMXBean, so
 * this is a certain deadlock in every run mode (never two orphaned locks).
 */
@Knot
@KnotExample
public class LockDeadlockExamples {

    @Test
    @Timeout(value = 2500, unit = TimeUnit.MILLISECONDS) // its own deadline: hang diagnoses of parallel examples do not pile up at one moment
    void reentrantLockDeadlock() throws InterruptedException {
        ReentrantLock inventory = new ReentrantLock();
        ReentrantLock ledger = new ReentrantLock();
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        Thread t1 = new Thread(() -> lockBoth(inventory, ledger, bothHoldOne), "restock");
        Thread t2 = new Thread(() -> lockBoth(ledger, inventory, bothHoldOne), "audit");
        t1.setDaemon(true);
        t2.setDaemon(true);
        t1.start();
        t2.start();
        t1.join();
        t2.join();
    }

    private static void lockBoth(ReentrantLock first, ReentrantLock second, CountDownLatch bothHoldOne) {
        try {
            first.lockInterruptibly(); // interruptible, so that Knot's interrupt ends the thread
            try {
                bothHoldOne.countDown();
                bothHoldOne.await();
                second.lockInterruptibly();
                second.unlock();
            } finally {
                first.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
