package dev.knot.rules;

import static dev.knot.rules.MiniDump.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knot.findings.Report;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Orphaned locks, contention and stalls. */
class OtherRulesTest {

    @Test
    void orphanedLockIsCertainOnJdk17AndLikelyWhereVirtualThreadsCanHideIt() {
        assertEquals(List.of("orphaned-lock certain [w1, w2]"), keys(new MiniDump("17.0.15+6")
                .thread("w1", "WAITING (parking)", lockWait("0xa"))
                .thread("w2", "WAITING (parking)", lockWait("0xa"))
                .analyze()));
        Report r25 = new MiniDump("25.0.3+9-LTS")
                .thread("w1", "WAITING (parking)", lockWait("0xa"))
                .analyze();
        assertEquals(List.of("orphaned-lock likely [w1]"), keys(r25));
        assertTrue(r25.findings().get(0).why().contains("virtual thread"), r25.findings().get(0).why());
    }

    @Test
    void withoutOwnersListedALockWaitIsOnlyALikelyOrphan() {
        Report r = new MiniDump("17.0.15+6").withoutOwners()
                .thread("w1", "WAITING (parking)", lockWait("0xa"))
                .analyze();
        assertEquals(List.of("orphaned-lock likely [w1]"), keys(r));
        assertTrue(r.findings().get(0).missing().get(0).contains("jstack -l"), r.findings().get(0).missing().toString());
        Report running = new MiniDump("17.0.15+6").withoutOwners()
                .thread("w1", "WAITING (parking)", lockWait("0xa"))
                .thread("worker", "RUNNABLE", running())
                .analyze();
        assertTrue(running.findings().isEmpty(), "a running thread may hold it: " + keys(running));
    }

    /** HikariCP's borrow always has a timeout; while it waits, a borrower returns nothing, so it is no releaser. */
    @Test
    void borrowersOfAPoolWithNobodyElseRunningStarveEvenWithTimeouts() {
        List<String> borrow = List.of("at jdk.internal.misc.Unsafe.park(java.base@25.0.3/Native Method)",
                "- parking to wait for  <0x5> (a java.util.concurrent.SynchronousQueue$Transferer)",
                "at java.util.concurrent.locks.LockSupport.parkNanos(java.base@25.0.3/LockSupport.java:271)",
                "at java.util.concurrent.SynchronousQueue.poll(java.base@25.0.3/SynchronousQueue.java:338)",
                "at com.zaxxer.hikari.util.ConcurrentBag.borrow(ConcurrentBag.java:152)",
                "at com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:178)",
                "at com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:101)",
                "at app.Orders.save(Orders.java:30)");
        Report r = new MiniDump("25.0.3+9-LTS")
                .thread("order-1", "TIMED_WAITING (parking)", borrow)
                .thread("order-2", "TIMED_WAITING (parking)", borrow)
                .analyze();
        assertEquals(List.of("starvation likely [order-1, order-2]"), keys(r));
        assertTrue(r.findings().get(0).summary().contains("HikariDataSource") && r.findings().get(0).summary().contains("time out"),
                r.findings().get(0).summary());
        Report busy = new MiniDump("25.0.3+9-LTS")
                .thread("order-1", "TIMED_WAITING (parking)", borrow)
                .thread("reporting", "RUNNABLE", running())
                .analyze();
        assertTrue(busy.findings().isEmpty(), "a running thread may return one: " + keys(busy));
    }

    @Test
    void aSocketReadWithoutTimeoutIsANoteInOneDumpAndAStallWhenItDoesNotMove() {
        // JDK 25: NioSocketImpl parks without a timeout (timedRead would say it has one)
        List<String> read = List.of("at sun.nio.ch.Net.poll(java.base@25.0.3/Native Method)",
                "at sun.nio.ch.NioSocketImpl.park(java.base@25.0.3/NioSocketImpl.java:191)",
                "at sun.nio.ch.NioSocketImpl.implRead(java.base@25.0.3/NioSocketImpl.java:309)",
                "at sun.nio.ch.NioSocketImpl.read(java.base@25.0.3/NioSocketImpl.java:346)",
                "at java.net.Socket$SocketInputStream.read(java.base@25.0.3/Socket.java:1099)",
                "at app.MailClient.readReply(MailClient.java:40)");
        List<String> timed = List.of("at sun.nio.ch.Net.poll(java.base@25.0.3/Native Method)",
                "at sun.nio.ch.NioSocketImpl.park(java.base@25.0.3/NioSocketImpl.java:191)",
                "at sun.nio.ch.NioSocketImpl.timedRead(java.base@25.0.3/NioSocketImpl.java:280)",
                "at sun.nio.ch.NioSocketImpl.implRead(java.base@25.0.3/NioSocketImpl.java:304)",
                "at sun.nio.ch.NioSocketImpl.read(java.base@25.0.3/NioSocketImpl.java:346)",
                "at app.MailClient.readReply(MailClient.java:40)");
        MiniDump first = new MiniDump("25.0.3+9-LTS", "2026-11-21 23:00:00")
                .thread("mail-1", "RUNNABLE", 3.0, read).thread("mail-2", "RUNNABLE", 3.0, read)
                .thread("mail-3", "RUNNABLE", 3.0, timed);
        Report one = first.analyze();
        assertEquals(List.of("blocking-io certain [mail-1, mail-2]"), keys(one), "the timed read is no note");
        assertTrue(one.findings().get(0).summary().startsWith("2 thread(s) blocked in a socket read with no timeout at"
                + " app.MailClient.readReply(MailClient.java:40)"), one.findings().get(0).summary());
        assertTrue(!one.hangFound());
        MiniDump later = new MiniDump("25.0.3+9-LTS", "2026-11-21 23:02:00")
                .thread("mail-1", "RUNNABLE", 3.0, read).thread("mail-2", "RUNNABLE", 3.0, read)
                .thread("mail-3", "RUNNABLE", 3.0, timed);
        assertEquals(List.of("stall likely [mail-1, mail-2]"), keys(MiniDump.analyze(List.of(first, later))),
                "no progress across dumps: a stall, and the note is not repeated");
        MiniDump moved = new MiniDump("25.0.3+9-LTS", "2026-11-21 23:02:00")
                .thread("mail-1", "RUNNABLE", 9.0, read).thread("mail-2", "RUNNABLE", 3.0, read);
        assertEquals(List.of("blocking-io certain [mail-1, mail-2]", "stall likely [mail-2]"),
                keys(MiniDump.analyze(List.of(first, moved))), "mail-1 used CPU in between: only mail-2 stalled");
        // a socket read that is reading (not parked in poll) is no wait at all
        Report reading = new MiniDump("25.0.3+9-LTS").thread("mail-1", "RUNNABLE", List.of(
                "at sun.nio.ch.SocketDispatcher.read0(java.base@25.0.3/Native Method)",
                "at sun.nio.ch.NioSocketImpl.tryRead(java.base@25.0.3/NioSocketImpl.java:256)",
                "at sun.nio.ch.NioSocketImpl.implRead(java.base@25.0.3/NioSocketImpl.java:309)",
                "at sun.nio.ch.NioSocketImpl.read(java.base@25.0.3/NioSocketImpl.java:346)",
                "at app.MailClient.readReply(MailClient.java:40)")).analyze();
        assertTrue(reading.findings().isEmpty(), keys(reading).toString());
    }

    @Test
    void contentionNeedsTwoWaitersAndNamesTheHolderFirst() {
        List<String> holder = List.of("at java.lang.Thread.sleep(java.base@25.0.3/Native Method)",
                "at app.Audit.flush(Audit.java:9)", "- locked <0x1> (a app.Audit)");
        Report one = new MiniDump("25.0.3+9-LTS")
                .thread("flusher", "TIMED_WAITING (sleeping)", holder)
                .thread("r1", "BLOCKED (on object monitor)", blockedOn("0x1", "app.Audit"))
                .analyze();
        assertTrue(one.findings().isEmpty(), keys(one).toString());
        Report two = new MiniDump("25.0.3+9-LTS")
                .thread("flusher", "TIMED_WAITING (sleeping)", holder)
                .thread("r1", "BLOCKED (on object monitor)", blockedOn("0x1", "app.Audit"))
                .thread("r2", "BLOCKED (on object monitor)", blockedOn("0x1", "app.Audit"))
                .analyze();
        assertEquals(List.of("contention certain [flusher, r1, r2]"), keys(two));
        assertTrue(!two.hangFound());
    }

    @Test
    void stallNeedsNoMovementAcrossDumps() {
        List<String> join = parked("0xcf", "java.util.concurrent.CompletableFuture$Signaller",
                "java.util.concurrent.CompletableFuture.join(java.base@25.0.3/CompletableFuture.java:2138)");
        MiniDump first = new MiniDump("25.0.3+9-LTS", "2026-11-21 23:00:00")
                .thread("checkout", "WAITING (parking)", 0.5, join).thread("web", "RUNNABLE", 10, running());
        MiniDump still = new MiniDump("25.0.3+9-LTS", "2026-11-21 23:01:00")
                .thread("checkout", "WAITING (parking)", 0.5, join).thread("web", "RUNNABLE", 20, running());
        MiniDump moved = new MiniDump("25.0.3+9-LTS", "2026-11-21 23:01:00")
                .thread("checkout", "WAITING (parking)", 7.5, join).thread("web", "RUNNABLE", 20, running());
        Report stalled = MiniDump.analyze(List.of(still, first));
        assertEquals(List.of("stall likely [checkout]"), keys(stalled));
        assertTrue(stalled.findings().get(0).story().get(0).contains("over 60 s"), stalled.findings().get(0).story().toString());
        assertTrue(MiniDump.analyze(List.of(first, moved)).findings().isEmpty());
        assertTrue(first.analyze().findings().isEmpty(), "one dump cannot show a stall");
    }
}
