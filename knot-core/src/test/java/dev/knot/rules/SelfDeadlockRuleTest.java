package dev.knot.rules;

import static dev.knot.rules.MiniDump.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knot.findings.Report;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelfDeadlockRuleTest {

    @Test
    void aStampedLockWaiterNobodyElseWantsLikelyHoldsItItself() {
        // StampedLock is no ownable synchronizer: jstack -l never lists its holder, so the waiter is not "orphaned"
        List<String> stamped = parked("0x7", "java.util.concurrent.locks.StampedLock",
                "java.util.concurrent.locks.StampedLock.acquireWrite(java.base@25.0.3/StampedLock.java:1251)",
                "java.util.concurrent.locks.StampedLock.writeLock(java.base@25.0.3/StampedLock.java:500)");
        Report r = new MiniDump("17.0.15+6").thread("cache", "WAITING (parking)", stamped).analyze();
        assertEquals(List.of("self-deadlock likely [cache]"), keys(r));
        assertTrue(r.findings().get(0).summary().contains("a second writeLock()"), r.findings().get(0).summary());
        assertTrue(r.findings().get(0).why().startsWith("StampedLock does not allow upgrading"), r.findings().get(0).why());
    }

    @Test
    void aNonReentrantLockHeldByItsWaiterIsCertain() {
        // a library lock built on AbstractQueuedSynchronizer that is not reentrant, listed as its waiter's
        List<String> mutex = parked("0x7", "app.Mutex$Sync",
                "java.util.concurrent.locks.AbstractQueuedSynchronizer.acquire(java.base@25.0.3/AbstractQueuedSynchronizer.java:1007)",
                "app.Mutex.lock(Mutex.java:12)");
        Report r = new MiniDump("17.0.15+6")
                .thread("cache", "WAITING (parking)", mutex, "<0x7> (a app.Mutex$Sync)")
                .analyze();
        assertEquals(List.of("self-deadlock certain [cache]"), keys(r));
    }

    @Test
    void semaphoreTakenTwiceOnlyWhenNobodyElseCanRelease() {
        assertEquals(List.of("self-deadlock likely [exporter]"),
                keys(new MiniDump("25.0.3+9-LTS").thread("exporter", "WAITING (parking)", semaphoreWait("0x9")).analyze()));
        Report busy = new MiniDump("25.0.3+9-LTS")
                .thread("exporter", "WAITING (parking)", semaphoreWait("0x9"))
                .thread("uploader", "RUNNABLE", running())
                .analyze();
        assertTrue(busy.findings().isEmpty(), keys(busy).toString());
    }

    @Test
    void readToWriteUpgrade() {
        List<String> write = parked("0x8", "java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync",
                "java.util.concurrent.locks.ReentrantReadWriteLock$WriteLock.lock(java.base@25.0.3/ReentrantReadWriteLock.java:959)");
        Report r = new MiniDump("25.0.3+9-LTS").thread("settings", "WAITING (parking)", write).analyze();
        assertEquals(List.of("self-deadlock likely [settings]"), keys(r));
        assertTrue(r.findings().get(0).why().contains("does not allow upgrading"), r.findings().get(0).why());
    }

    @Test
    void anUpgradeWithAnotherWriterQueuedNamesBothWritersAndTheReadersBehind() {
        List<String> write = parked("0x8", "java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync",
                "java.util.concurrent.locks.AbstractQueuedLongSynchronizer.acquire(java.base@25.0.3/AbstractQueuedLongSynchronizer.java:759)",
                "java.util.concurrent.locks.ReentrantReadWriteLock$WriteLock.lock(java.base@25.0.3/ReentrantReadWriteLock.java:959)");
        List<String> read = parked("0x8", "java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync",
                "java.util.concurrent.locks.ReentrantReadWriteLock$ReadLock.lock(java.base@25.0.3/ReentrantReadWriteLock.java:738)");
        Report r = new MiniDump("25.0.3+9-LTS")
                .thread("settings-reader", "WAITING (parking)", write)
                .thread("settings-writer", "WAITING (parking)", write)
                .thread("settings-viewer", "WAITING (parking)", read)
                .analyze();
        assertEquals(List.of("self-deadlock likely [settings-reader, settings-writer]"), keys(r));
        assertEquals(List.of("settings-viewer"), r.findings().get(0).blocked());
        assertTrue(r.findings().get(0).summary().contains("one of them holds the read lock"), r.findings().get(0).summary());
        // someone running may be the reader about to unlock: no claim
        Report busy = new MiniDump("25.0.3+9-LTS")
                .thread("settings-reader", "WAITING (parking)", write)
                .thread("settings-writer", "WAITING (parking)", write)
                .thread("uploader", "RUNNABLE", running())
                .analyze();
        assertTrue(busy.findings().isEmpty(), keys(busy).toString());
    }

    @Test
    void aWriterHoldingTheLockIsNotAnUpgrade() {
        List<String> write = parked("0x8", "java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync",
                "java.util.concurrent.locks.ReentrantReadWriteLock$WriteLock.lock(java.base@25.0.3/ReentrantReadWriteLock.java:959)");
        Report r = new MiniDump("25.0.3+9-LTS")
                .thread("settings", "WAITING (parking)", write)
                .thread("writer", "WAITING (parking)", semaphoreWait("0x9"),
                        "<0x8> (a java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync)")
                .analyze();
        assertTrue(keys(r).stream().noneMatch(k -> k.contains("[settings]") && k.startsWith("self-deadlock")), keys(r).toString());
    }

    @Test
    void singleWorkerWaitingOnAFuture() {
        List<String> get = List.of(
                "at jdk.internal.misc.Unsafe.park(java.base@25.0.3/Native Method)",
                "- parking to wait for  <0xf> (a java.util.concurrent.FutureTask)",
                "at java.util.concurrent.FutureTask.get(java.base@25.0.3/FutureTask.java:192)",
                "at app.Indexer.index(Indexer.java:30)",
                "at java.util.concurrent.FutureTask.run(java.base@25.0.3/FutureTask.java:328)",
                "at java.util.concurrent.ThreadPoolExecutor.runWorker(java.base@25.0.3/ThreadPoolExecutor.java:1090)",
                "at java.util.concurrent.ThreadPoolExecutor$Worker.run(java.base@25.0.3/ThreadPoolExecutor.java:614)");
        Report r = new MiniDump("25.0.3+9-LTS")
                .thread("indexer", "WAITING (parking)", get, "<0xw> (a java.util.concurrent.ThreadPoolExecutor$Worker)")
                .analyze();
        assertEquals(List.of("self-deadlock likely [indexer]"), keys(r));
    }
}
