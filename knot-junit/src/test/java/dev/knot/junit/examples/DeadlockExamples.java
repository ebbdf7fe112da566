package dev.knot.junit.examples;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import dev.knot.junit.Knot;

/** Two transfers lock two accounts in opposite order: a classic monitor deadlock, which the JUnit timeout ends. */
@Knot
@KnotExample
public class DeadlockExamples {

    static final class Account {
        long balance = 100;
    }

    @Test
    @Timeout(2)
    void monitorDeadlock() throws InterruptedException {
        Account alice = new Account();
        Account bob = new Account();
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        Thread t1 = new Thread(() -> transfer(alice, bob, 10, bothHoldOne), "transfer-alice-to-bob");
        Thread t2 = new Thread(() -> transfer(bob, alice, 20, bothHoldOne), "transfer-bob-to-alice");
        t1.setDaemon(true); // a monitor deadlock never ends: let the JVM exit anyway
        t2.setDaemon(true);
        t1.start();
        t2.start();
        t1.join();
        t2.join();
    }

    private static void transfer(Account from, Account to, long amount, CountDownLatch bothHoldOne) {
        synchronized (from) {
            bothHoldOne.countDown();
            awaitQuietly(bothHoldOne);
            synchronized (to) {
                from.balance -= amount;
                to.balance += amount;
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
