package dev.knot.examples;

/**
 * Two bank transfers run at the same time in opposite directions. Each locks its source account, then its
 * target account, with {@code synchronized}: transfer A locks alice then bob, transfer B locks bob then
 * alice. Each ends up holding the account the other one needs.
 *
 * <p>Expected: <b>deadlock</b> between {@code transfer-alice-to-bob} and {@code transfer-bob-to-alice}, both
 * BLOCKED on an {@code Ex01MonitorDeadlock$Account} monitor the other one holds. jstack itself reports it
 * ("Found one Java-level deadlock").
 */
@Expected(kind = "deadlock", threads = {"transfer-alice-to-bob", "transfer-bob-to-alice"}, minJava = 17, dumpCertainty = "certain",
        jsonCertainty = "certain")
public final class Ex01MonitorDeadlock {

    static final class Account {
        final String owner;
        long balanceCents;

        Account(String owner, long balanceCents) {
            this.owner = owner;
            this.balanceCents = balanceCents;
        }
    }

    /** Where the two transfers meet, each holding its source account: the unlucky interleaving, made certain. */
    private static final LockOrderDeadlock TRANSFERS = new LockOrderDeadlock();

    static void transfer(Account from, Account to, long cents) {
        synchronized (from) {
            TRANSFERS.awaitOther();
            synchronized (to) {
                from.balanceCents -= cents;
                to.balanceCents += cents;
            }
        }
    }

    public static void main(String[] args) {
        ExampleSupport.Options options = ExampleSupport.start(Ex01MonitorDeadlock.class, args);
        Account alice = new Account("alice", 100_00);
        Account bob = new Account("bob", 50_00);

        // BLOCKED happens only at the second synchronized: the wait where the transfers meet is WAITING.
        Thread first = TRANSFERS.start(ExampleSupport::startDaemon,
                "transfer-alice-to-bob", () -> transfer(alice, bob, 20_00),
                "transfer-bob-to-alice", () -> transfer(bob, alice, 5_00),
                "both transfers BLOCKED on the other's account",
                (aliceToBob, bobToAlice) -> ExampleSupport.isBlocked(aliceToBob)
                        && ExampleSupport.isBlocked(bobToAlice));
        ExampleSupport.hangFormed(options, first);
    }
}
