package com.example.shop;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Restocking and auditing take the inventory and ledger locks in opposite order: expected DEADLOCK (certain). */
class LockDeadlockTest {

    @Test
    @Timeout(3)
    void restockAndAuditDeadlock() throws InterruptedException {
        ReentrantLock inventory = new ReentrantLock();
        ReentrantLock ledger = new ReentrantLock();
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        Thread restock = new Thread(() -> both(inventory, ledger, bothHoldOne), "restock");
        Thread audit = new Thread(() -> both(ledger, inventory, bothHoldOne), "audit");
        restock.setDaemon(true);
        audit.setDaemon(true);
        restock.start();
        audit.start();
        restock.join();
        audit.join();
    }

    private static void both(ReentrantLock first, ReentrantLock second, CountDownLatch bothHoldOne) {
        try {
            first.lockInterruptibly();
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
