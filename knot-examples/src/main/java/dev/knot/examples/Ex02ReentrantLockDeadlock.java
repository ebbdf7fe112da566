package dev.knot.examples;

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
@Expected(kind = "deadlock", threads = {"transfer-carol-to-dave", "transfer-dave-to-carol"}, minJava = 17, dumpCertainty = "certain")
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

    /** Where the two transfers meet, each holding its source account: the opposite-order interleaving, made certain. */
    private static final LockOrderDeadlock TRANSFERS = new LockOrderDeadlock();

    static void transfer(Account from, Account to, long cents) {
        from.lock.lock();
        try {
            TRANSFERS.awaitOther();
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

    public static void main(String[] args) {
        ExampleSupport.Options options = ExampleSupport.start(Ex02ReentrantLockDeadlock.class, args);
        Account carol = new Account("carol", 300_00);
        Account dave = new Account("dave", 10_00);

        // Queued on the target's lock means past the meeting point; WAITING then means parked there for good.
        Thread first = TRANSFERS.start(ExampleSupport::startDaemon,
                "transfer-carol-to-dave", () -> transfer(carol, dave, 25_00),
                "transfer-dave-to-carol", () -> transfer(dave, carol, 1_00),
                "both transfers parked on the other's lock",
                (carolToDave, daveToCarol) -> ExampleSupport.isParkedOn(dave.lock, carolToDave)
                        && ExampleSupport.isParkedOn(carol.lock, daveToCarol));
        ExampleSupport.hangFormed(options, first);
    }
}
