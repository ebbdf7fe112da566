package dev.knot.track.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The loans of tracked pools, through the hooks the instrumented pool classes call (no agent in this JVM). */
class PoolLoansTest {
    final Object pool = new Object();
    boolean wasEnabled;
    boolean wasPools;

    @BeforeEach
    void on() {
        wasEnabled = KnotTracker.enabled;
        wasPools = KnotTracker.pools;
        PoolLoans.clear();
        KnotTracker.enabled = true;
        KnotTracker.pools = true;
    }

    @AfterEach
    void off() {
        KnotTracker.enabled = wasEnabled;
        KnotTracker.pools = wasPools;
        PoolLoans.clear();
    }

    static List<PoolLoans.Loan> loansOf(Object pool) {
        List<PoolLoans.Loan> out = new ArrayList<>();
        for (PoolLoans.Loan l : PoolLoans.loans()) if (l.pool() == pool) out.add(l);
        return out;
    }

    static void on(String name, Runnable r) throws InterruptedException {
        Thread t = new Thread(r, name);
        t.start();
        t.join();
    }

    @Test
    void aBorrowIsTheBorrowersLoanUntilItComesBack() {
        Object a = new Object();
        Object b = new Object();
        KnotTracker.poolCreated(pool);
        KnotTracker.poolBorrowed(a, pool);
        KnotTracker.poolBorrowed(b, pool);
        List<PoolLoans.Loan> loans = loansOf(pool);
        assertEquals(2, loans.size());
        for (PoolLoans.Loan l : loans) assertSame(KnotTracker.current(), l.borrower());
        KnotTracker.poolReturned(pool, a);
        assertEquals(1, loansOf(pool).size());
        assertSame(b, loansOf(pool).get(0).object());
        assertTrue(PoolLoans.bornTracked(pool));
        assertNull(PoolLoans.confused(pool));
    }

    @Test
    void aReturnByAnotherThreadEndsTheBorrowersLoan() throws Exception {
        Object a = new Object();
        KnotTracker.poolBorrowed(a, pool);
        on("returner", () -> KnotTracker.poolReturned(pool, a));
        assertEquals(List.of(), loansOf(pool));
        assertNull(PoolLoans.confused(pool), "a hand-back by another thread is no foreign return");
        assertEquals(0, PoolLoans.size());
    }

    @Test
    void theHooksOfDelegatingOverloadsRecordOneLoan() {
        Object a = new Object();
        KnotTracker.poolBorrowed(a, pool); // borrowObject(Duration) returns into borrowObject(long)
        KnotTracker.poolBorrowed(a, pool);
        assertEquals(1, loansOf(pool).size());
        assertEquals(1, PoolLoans.size());
        assertNull(PoolLoans.confused(pool));
    }

    @Test
    void anObjectBorrowedAgainWithoutATrackedReturnConfusesThePool() throws Exception {
        Object a = new Object();
        KnotTracker.poolBorrowed(a, pool);
        on("second-borrower", () -> KnotTracker.poolBorrowed(a, pool));
        assertEquals("second-borrower", loansOf(pool).get(0).borrower().threadName());
        assertNotNull(PoolLoans.confused(pool));
    }

    @Test
    void aReturnOfAnObjectNotSeenBorrowedConfusesThePoolAnIdleRemovalDoesNot() {
        Object other = new Object();
        KnotTracker.poolRemoved(pool, new Object()); // HikariCP removes idle connections too
        assertNull(PoolLoans.confused(pool));
        KnotTracker.poolReturned(pool, new Object());
        assertTrue(PoolLoans.confused(pool).contains("had not seen borrowed"), PoolLoans.confused(pool));
        assertNull(PoolLoans.confused(other));
    }

    @Test
    void theRecordIsBoundedAndSaysSo() {
        for (int i = 0; i < PoolLoans.MAX_LOANS; i++) KnotTracker.poolBorrowed(new Object(), pool);
        assertNull(PoolLoans.confused(pool));
        Object second = new Object();
        KnotTracker.poolBorrowed(new Object(), second);
        assertEquals(PoolLoans.MAX_LOANS, PoolLoans.size());
        assertTrue(PoolLoans.confused(second).contains("stopped recording"), PoolLoans.confused(second));
    }

    @Test
    void switchedOffTheHooksRecordNothing() {
        KnotTracker.pools = false;
        KnotTracker.poolCreated(pool);
        KnotTracker.poolBorrowed(new Object(), pool);
        KnotTracker.poolReturned(pool, new Object());
        assertEquals(0, PoolLoans.size());
        assertTrue(!PoolLoans.bornTracked(pool) && PoolLoans.confused(pool) == null);
    }
}
