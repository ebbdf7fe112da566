package dev.knot.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The ledger is guarded by a {@link ReentrantLock}. The nightly import takes the lock, parses rows and
 * unlocks, but without try/finally: a malformed row throws, the thread dies, and the lock stays locked by
 * a thread that no longer exists. Later, the balance report and the ledger writer wait for the lock
 * forever.
 *
 * <p>Expected: <b>orphaned-lock</b>: {@code balance-report} and {@code ledger-writer} WAITING (parking) on
 * the same {@code ReentrantLock$NonfairSync}, which no live thread lists under "Locked ownable
 * synchronizers". The owner, {@code nightly-import}, is not in the dump at all (its stack trace with
 * {@code NumberFormatException} is on stderr). jstack reports nothing.
 */
@Expected(kind = "orphaned-lock", threads = {"balance-report", "ledger-writer"}, minJava = 17, dumpCertainty = "certain")
public final class Ex11OrphanedLock {

    static final class Ledger {
        final ReentrantLock lock = new ReentrantLock();
        private final List<Long> entriesInCents = new ArrayList<>();

        void importRows(List<String> rows) {
            lock.lock();
            for (String row : rows) {
                entriesInCents.add(Long.parseLong(row)); // throws on a bad row, skipping the unlock below
            }
            lock.unlock();
        }

        long balance() {
            lock.lock();
            try {
                return entriesInCents.stream().mapToLong(Long::longValue).sum();
            } finally {
                lock.unlock();
            }
        }

        void append(long cents) {
            lock.lock();
            try {
                entriesInCents.add(cents);
            } finally {
                lock.unlock();
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        ExampleSupport.Options options = ExampleSupport.start(Ex11OrphanedLock.class, args);
        Ledger ledger = new Ledger();

        Thread nightlyImport = ExampleSupport.startDaemon("nightly-import",
                () -> ledger.importRows(List.of("1200", "-350", "12,50", "900")));
        nightlyImport.join(); // the import has crashed, holding the lock, before the day's work starts

        Thread balanceReport = ExampleSupport.startDaemon("balance-report",
                () -> System.out.println("balance " + ledger.balance()));
        Thread ledgerWriter = ExampleSupport.startDaemon("ledger-writer", () -> ledger.append(4_99));

        ExampleSupport.await(ExampleSupport.HANG_TIMEOUT, "both ledger users parked on the orphaned lock",
                () -> ExampleSupport.isParkedOn(ledger.lock, balanceReport)
                        && ExampleSupport.isParkedOn(ledger.lock, ledgerWriter),
                balanceReport, ledgerWriter);
        ExampleSupport.hangFormed(options, balanceReport);
    }
}
