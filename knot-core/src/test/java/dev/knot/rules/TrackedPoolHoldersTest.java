package dev.knot.rules;

import static dev.knot.rules.MiniDump.keys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knot.findings.Finding;
import dev.knot.findings.Report;
import dev.knot.snapshot.LiveFact;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Object pools in live snapshots whose holders tracking proved (knot-track's {@code track=pools}): the facts are keyed
 * by the object the borrowers park on, as the tracker writes them.
 */
class TrackedPoolHoldersTest {

    private static final String BAG = "java.util.concurrent.SynchronousQueue$Transferer@5a";

    /** HikariCP's borrow: always timed (connectionTimeout). */
    private static List<String> borrow(String caller) {
        return List.of("at jdk.internal.misc.Unsafe.park(java.base@25.0.3/Native Method)",
                "- parking to wait for  <" + BAG + "> (a java.util.concurrent.SynchronousQueue$Transferer)",
                "at java.util.concurrent.locks.LockSupport.parkNanos(java.base@25.0.3/LockSupport.java:271)",
                "at java.util.concurrent.SynchronousQueue.poll(java.base@25.0.3/SynchronousQueue.java:338)",
                "at com.zaxxer.hikari.util.ConcurrentBag.borrow(ConcurrentBag.java:152)",
                "at com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:178)",
                "at com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:101)",
                "at " + caller);
    }

    /** worker-1 (#20) holds the only connection and borrows again; worker-2 (#21) and -3 (#22) wait for their first. */
    private static MiniDump nested() {
        return new MiniDump("25.0.3+9-LTS")
                .thread("order-worker-1", "TIMED_WAITING (parking)", borrow("app.Orders.writeAudit(Orders.java:40)"))
                .thread("order-worker-2", "TIMED_WAITING (parking)", borrow("app.Orders.save(Orders.java:30)"))
                .thread("order-worker-3", "TIMED_WAITING (parking)", borrow("app.Orders.save(Orders.java:30)"));
    }

    private static List<LiveFact> holders(boolean complete, String... threadIds) {
        List<LiveFact> f = new ArrayList<>();
        f.add(new LiveFact(LiveFact.Kind.STATE, LiveFact.JVM, "", LiveFact.ALL_VIRTUAL_THREADS_LISTED));
        f.add(new LiveFact(LiveFact.Kind.STATE, BAG, "", "1 borrowed, 0 idle, maximum 1; 3 threads wait to borrow"));
        for (String id : threadIds) {
            f.add(new LiveFact(LiveFact.Kind.HOLDS, BAG, id, "holds 1 connection of HikariCP pool orders, borrowed at"
                    + " app.Orders.save(Orders.java:30)"));
        }
        if (complete) f.add(new LiveFact(LiveFact.Kind.HOLDERS_COMPLETE, BAG, "", "tracked since the pool was made"));
        return f;
    }

    @Test
    void theOnlyHolderWaitingForAnotherIsACertainSelfDeadlockEvenWithATimedBorrow() {
        Report r = nested().analyzeLive(holders(true, "20"));
        assertEquals(List.of("self-deadlock certain [order-worker-1]"), keys(r));
        Finding f = r.findings().get(0);
        assertEquals(List.of("order-worker-2", "order-worker-3"), f.blocked());
        assertTrue(f.summary().contains("until its borrow times out"), f.summary());
        assertTrue(f.story().stream().anyMatch(l -> l.contains("1 borrowed, 0 idle, maximum 1")), f.story().toString());
    }

    @Test
    void holdersNotKnownToBeCompleteProveNothing() {
        assertEquals(List.of("starvation likely [order-worker-1, order-worker-2, order-worker-3]"),
                keys(nested().analyzeLive(holders(false, "20"))));
    }

    @Test
    void borrowersEachHoldingOneAreACertainDeadlockWithThePoolsFix() {
        String cond = "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject@3c";
        List<String> second = List.of("at jdk.internal.misc.Unsafe.park(java.base@25.0.3/Native Method)",
                "- parking to wait for  <" + cond + "> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)",
                "at java.util.concurrent.locks.LockSupport.park(java.base@25.0.3/LockSupport.java:371)",
                "at java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.await(java.base@25.0.3/AbstractQueuedSynchronizer.java:1752)",
                "at org.apache.commons.pool2.impl.LinkedBlockingDeque.takeFirst(LinkedBlockingDeque.java:1319)",
                "at org.apache.commons.pool2.impl.GenericObjectPool.borrowObject(GenericObjectPool.java:308)",
                "at app.Renderers.renderFooter(Renderers.java:65)");
        List<LiveFact> f = new ArrayList<>();
        f.add(new LiveFact(LiveFact.Kind.STATE, LiveFact.JVM, "", LiveFact.ALL_VIRTUAL_THREADS_LISTED));
        f.add(new LiveFact(LiveFact.Kind.HOLDS, cond, "20", "holds 1 object of GenericObjectPool"));
        f.add(new LiveFact(LiveFact.Kind.HOLDS, cond, "21", "holds 1 object of GenericObjectPool"));
        f.add(new LiveFact(LiveFact.Kind.HOLDERS_COMPLETE, cond, "", "tracked since the pool was made"));
        Report r = new MiniDump("25.0.3+9-LTS")
                .thread("pdf-render-1", "WAITING (parking)", second)
                .thread("pdf-render-2", "WAITING (parking)", second)
                .analyzeLive(f);
        assertEquals(List.of("deadlock certain [pdf-render-1, pdf-render-2]"), keys(r));
        assertTrue(r.findings().get(0).fix().startsWith("Do not borrow a second object from the same pool"), r.findings().get(0).fix());
    }
}
