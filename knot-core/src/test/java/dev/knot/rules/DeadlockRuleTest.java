package dev.knot.rules;

import static dev.knot.rules.MiniDump.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knot.findings.Finding;
import dev.knot.findings.Report;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadlockRuleTest {

    @Test
    void threeThreadMonitorCycleIsCertainAndNamesVictims() {
        Report r = new MiniDump("25.0.3+9-LTS")
                .thread("a", "BLOCKED (on object monitor)", blockedOn("0x2", "app.Lock", "0x1"))
                .thread("b", "BLOCKED (on object monitor)", blockedOn("0x3", "app.Lock", "0x2"))
                .thread("c", "BLOCKED (on object monitor)", blockedOn("0x1", "app.Lock", "0x3"))
                .thread("victim", "BLOCKED (on object monitor)", blockedOn("0x1", "app.Lock"))
                .analyze();
        assertEquals(List.of("deadlock certain [a, b, c]"), keys(r));
        Finding f = r.findings().get(0);
        assertEquals(List.of("victim"), f.blocked());
        assertTrue(f.story().get(0).contains("\"a\" holds Lock <0x1>, locked in frame app.Service.work(Service.java:10)"), f.story().toString());
    }

    @Test
    void twoDeadlocksOfThreadsWithTheSameNamesAreBothReported() {
        Report r = new MiniDump("25.0.3+9-LTS")
                .thread("worker", "BLOCKED (on object monitor)", blockedOn("0x2", "app.Lock", "0x1"))
                .thread("helper", "BLOCKED (on object monitor)", blockedOn("0x1", "app.Lock", "0x2"))
                .thread("worker", "BLOCKED (on object monitor)", blockedOn("0x4", "app.Lock", "0x3"))
                .thread("helper", "BLOCKED (on object monitor)", blockedOn("0x3", "app.Lock", "0x4"))
                .analyze();
        assertEquals(List.of("deadlock certain [worker, helper]", "deadlock certain [worker, helper]"), keys(r));
    }

    @Test
    void aChainEndingInARunningThreadIsNotADeadlock() {
        Report r = new MiniDump("25.0.3+9-LTS")
                .thread("a", "BLOCKED (on object monitor)", blockedOn("0x2", "app.Lock", "0x1"))
                .thread("b", "RUNNABLE", List.of("at app.Service.compute(Service.java:3)", "- locked <0x2> (a app.Lock)"))
                .analyze();
        assertTrue(keys(r).stream().noneMatch(k -> k.startsWith("deadlock")), keys(r).toString());
    }

    @Test
    void objectWaitReleasesItsMonitor() {
        // "waiter" is in Object.wait() on 0x1: jstack still prints "locked 0x1" for the frame, but it is released
        Report r = new MiniDump("25.0.3+9-LTS")
                .thread("waiter", "WAITING (on object monitor)", List.of(
                        "at java.lang.Object.wait0(java.base@25.0.3/Native Method)",
                        "- waiting on <0x1> (a app.Lock)",
                        "at app.Service.await(Service.java:7)",
                        "- locked <0x1> (a app.Lock)"))
                .thread("other", "BLOCKED (on object monitor)", blockedOn("0x1", "app.Lock"))
                .analyze();
        // nobody visible holds 0x1 (a monitor cannot outlive its owner, so the owner is hidden): not "waiter"
        assertEquals(List.of("orphaned-lock likely [other]"), keys(r));
    }

    @Test
    void lockCycleWithOwnersListedIsCertainAndWithoutIsLikely() {
        MiniDump with = new MiniDump("17.0.15+6")
                .thread("x", "WAITING (parking)", lockWait("0xb"), rl("0xa"))
                .thread("y", "WAITING (parking)", lockWait("0xa"), rl("0xb"));
        assertEquals(List.of("deadlock certain [x, y]"), keys(with.analyze()));
        MiniDump without = new MiniDump("17.0.15+6").withoutOwners()
                .thread("x", "WAITING (parking)", lockWait("0xb"))
                .thread("y", "WAITING (parking)", lockWait("0xa"));
        assertEquals(List.of("deadlock likely [x, y]"), keys(without.analyze()));
    }

    @Test
    void timedWaitsNeverDeadlock() {
        List<String> tryLock = parked("0xb", "java.util.concurrent.locks.ReentrantLock$NonfairSync",
                "java.util.concurrent.locks.ReentrantLock.tryLock(java.base@25.0.3/ReentrantLock.java:400)");
        Report r = new MiniDump("17.0.15+6")
                .thread("x", "TIMED_WAITING (parking)", tryLock, rl("0xa"))
                .thread("y", "WAITING (parking)", lockWait("0xa"), rl("0xb"))
                .analyze();
        assertTrue(keys(r).stream().noneMatch(k -> k.startsWith("deadlock")), keys(r).toString());
    }

    @Test
    void producerHoldingTheLockItsConsumersNeed() {
        List<String> put = List.of(
                "at jdk.internal.misc.Unsafe.park(java.base@25.0.3/Native Method)",
                "- parking to wait for  <0xc> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)",
                "at java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.await(java.base@25.0.3/AbstractQueuedSynchronizer.java:1752)",
                "at java.util.concurrent.ArrayBlockingQueue.put(java.base@25.0.3/ArrayBlockingQueue.java:371)",
                "at app.Producer.send(Producer.java:12)",
                "- locked <0x1> (a app.Stats)");
        Report r = new MiniDump("25.0.3+9-LTS")
                .thread("producer", "WAITING (parking)", put)
                .thread("consumer", "BLOCKED (on object monitor)", blockedOn("0x1", "app.Stats"))
                .analyze();
        assertEquals(List.of("deadlock likely [producer, consumer]"), keys(r));
        Finding f = r.findings().get(0);
        assertTrue(f.summary().contains("space in ArrayBlockingQueue"), f.summary());
        assertTrue(f.fix().contains("bounded queue"), f.fix());
    }

    @Test
    void permitHoldersWaitingForMorePermits() {
        Report r = new MiniDump("25.0.3+9-LTS")
                .thread("h1", "WAITING (parking)", semaphoreWait("0x5"))
                .thread("h2", "WAITING (parking)", semaphoreWait("0x5"))
                .analyze();
        assertEquals(List.of("deadlock likely [h1, h2]"), keys(r));
        // a running thread could still release a permit: no claim
        Report busy = new MiniDump("25.0.3+9-LTS")
                .thread("h1", "WAITING (parking)", semaphoreWait("0x5"))
                .thread("h2", "WAITING (parking)", semaphoreWait("0x5"))
                .thread("worker", "RUNNABLE", running())
                .analyze();
        assertTrue(busy.findings().isEmpty(), keys(busy).toString());
    }
}
