package dev.knot.examples;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bank transfers of {@link Ex01MonitorDeadlock}, after someone replaced {@code synchronized} with a
 * {@link ReentrantLock} per account "for performance": still source first, target second, so two transfers
 * in opposite directions still each hold the lock the other one needs.
 *
 * <p>Expected: <b>deadlock</b> between {@code transfer-carol-to-dave} and {@code transfer-dave-to-carol},
 * both WAITING (parking) on a {@code ReentrantLock$NonfairSync} owned by the other, which lists it under
 * "Locked ownable synchronizers" (jstack -l). jstack reports it as a Java-level deadlock.
 */
@Expected(kind = "deadlock", threads = {"transfer-carol-to-dave", "transfer-dave-to-carol"}, minJava = 17)
public final class Ex02ReentrantLockDeadlock {

    static final class Account {
        final String owner;
        final ReentrantLock lock = new ReentrantLock();
        long balanceCents;

        Account(String owner, long balanceCents) {
            this.owner = owner;
            this.balanceCents = balanceCents;
        }
    }

    /** Reached while holding the source account: makes the opposite-order interleaving certain. */
    private static final CountDownLatch BOTH_HOLD_SOURCE = new CountDownLatch(2);

    static void transfer(Account from, Account to, long cents) {
        from.lock.lock();
        try {
            awaitOtherTransfer();
            to.lock.lock();
            try {
                from.balanceCents -= cents;
                to.balanceCents += cents;
            } finally {
                to.lock.unlock();
            }
        } finally {
            from.lock.unlock();
        }
    }

    private static void awaitOtherTransfer() {
        BOTH_HOLD_SOURCE.countDown();
        try {
            BOTH_HOLD_SOURCE.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) {
        ExampleSupport.Options options = ExampleSupport.start(Ex02ReentrantLockDeadlock.class, args);
        Account carol = new Account("carol", 300_00);
        Account dave = new Account("dave", 10_00);

        Thread carolToDave = ExampleSupport.startDaemon("transfer-carol-to-dave", () -> transfer(carol, dave, 25_00));
        Thread daveToCarol = ExampleSupport.startDaemon("transfer-dave-to-carol", () -> transfer(dave, carol, 1_00));

        // Queued on the target's lock means past the latch; WAITING then means parked there for good.
        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "both transfers parked on the other's lock",
                () -> parkedOn(dave.lock, carolToDave) && parkedOn(carol.lock, daveToCarol),
                carolToDave, daveToCarol);
        ExampleSupport.hangFormed(options, carolToDave);
    }

    private static boolean parkedOn(ReentrantLock lock, Thread thread) {
        return lock.hasQueuedThread(thread) && thread.getState() == Thread.State.WAITING;
    }
}
