package dev.knot.examples;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The transfers of {@link Ex02ReentrantLockDeadlock}, now on virtual threads (one per request, JDK 21+):
 * each locks its source account, then its target, so two transfers in opposite directions deadlock.
 *
 * <p>Expected: <b>deadlock</b> between the virtual threads {@code vt-transfer-erin-to-frank} and
 * {@code vt-transfer-frank-to-erin}. A parked virtual thread is unmounted, and unmounted virtual threads are
 * absent from jstack / {@code jcmd Thread.print}: the text dump shows only idle carrier threads
 * ({@code ForkJoinPool-1-worker-N}) and no deadlock. The JSON dump ({@code jcmd Thread.dump_to_file
 * -format=json}) lists both, {@code "virtual": true}, on JDK 25 with {@code "state": "WAITING"} and a
 * {@code "parkBlocker"} naming a {@code ReentrantLock$NonfairSync@hash} but not its owner; which thread
 * holds which lock must be inferred from the stacks ({@code transfer} frames). ThreadMXBean sees neither
 * thread.
 */
@Expected(kind = "deadlock", threads = {"vt-transfer-erin-to-frank", "vt-transfer-frank-to-erin"}, minJava = 21,
        virtualThreads = true)
public final class Ex14VirtualThreadDeadlock {

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
        ExampleSupport.Options options = ExampleSupport.start(Ex14VirtualThreadDeadlock.class, args);
        Account erin = new Account("erin", 70_00);
        Account frank = new Account("frank", 20_00);

        // Queued on the target's lock means past the meeting point; WAITING then means parked there for good.
        Thread first = TRANSFERS.start(ExampleSupport::startVirtual,
                "vt-transfer-erin-to-frank", () -> transfer(erin, frank, 15_00),
                "vt-transfer-frank-to-erin", () -> transfer(frank, erin, 3_00),
                "both virtual transfers parked on the other's lock",
                (erinToFrank, frankToErin) -> ExampleSupport.isParkedOn(frank.lock, erinToFrank)
                        && ExampleSupport.isParkedOn(erin.lock, frankToErin));
        ExampleSupport.hangFormed(options, first);
    }
}
