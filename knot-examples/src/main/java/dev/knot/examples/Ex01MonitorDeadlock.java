package dev.knot.examples;

import java.util.concurrent.CountDownLatch;

/**
 * Two bank transfers run at the same time in opposite directions. Each locks its source account, then its
 * target account, with {@code synchronized}: transfer A locks alice then bob, transfer B locks bob then
 * alice. Each ends up holding the account the other one needs.
 *
 * <p>Expected: <b>deadlock</b> between {@code transfer-alice-to-bob} and {@code transfer-bob-to-alice}, both
 * BLOCKED on an {@code Ex01MonitorDeadlock$Account} monitor the other one holds. jstack itself reports it
 * ("Found one Java-level deadlock").
 */
@Expected(kind = "deadlock", threads = {"transfer-alice-to-bob", "transfer-bob-to-alice"}, minJava = 17)
public final class Ex01MonitorDeadlock {

    static final class Account {
        final String owner;
        long balanceCents;

        Account(String owner, long balanceCents) {
            this.owner = owner;
            this.balanceCents = balanceCents;
        }
    }

    /**
     * In production the two transfers must interleave within microseconds to deadlock; this latch, reached
     * while holding the first account, makes the unlucky interleaving certain.
     */
    private static final CountDownLatch BOTH_HOLD_SOURCE = new CountDownLatch(2);

    static void transfer(Account from, Account to, long cents) {
        synchronized (from) {
            awaitOtherTransfer();
            synchronized (to) {
                from.balanceCents -= cents;
                to.balanceCents += cents;
            }
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
        ExampleSupport.Options options = ExampleSupport.start(Ex01MonitorDeadlock.class, args);
        Account alice = new Account("alice", 100_00);
        Account bob = new Account("bob", 50_00);

        Thread aliceToBob = ExampleSupport.startDaemon("transfer-alice-to-bob", () -> transfer(alice, bob, 20_00));
        Thread bobToAlice = ExampleSupport.startDaemon("transfer-bob-to-alice", () -> transfer(bob, alice, 5_00));

        // BLOCKED happens only at the second synchronized: the latch wait is WAITING.
        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "both transfers BLOCKED on the other's account",
                () -> ExampleSupport.isBlocked(aliceToBob) && ExampleSupport.isBlocked(bobToAlice),
                aliceToBob, bobToAlice);
        ExampleSupport.hangFormed(options, aliceToBob);
    }
}
