package dev.knot.junit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Which threads are the JDK's own: told by what they are (their group), not by their names. */
class ThreadsTest {

    @Test
    void theVirtualThreadSchedulersLazyThreadsAreTheJdks() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21");
        // a sleeping virtual thread starts the scheduler's carriers and (JDK 25) its delay scheduler
        Thread v = (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, (Runnable) () -> {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        v.join();
        assertFalse(Threads.infrastructure(v), "a virtual thread reports the JDK's group but is the application's");
        int carriers = 0;
        int delaySchedulers = 0;
        for (Thread t : Threads.platform()) {
            boolean carrier = t.getClass().getName().equals("jdk.internal.misc.CarrierThread");
            boolean delay = t.getClass().getName().equals("java.util.concurrent.DelayScheduler")
                    && t.getThreadGroup() != null && t.getThreadGroup().getName().equals("CarrierThreads");
            if (carrier) carriers++;
            if (delay) delaySchedulers++;
            if (carrier || delay) assertTrue(Threads.infrastructure(t), t + " is the JDK's");
        }
        assertTrue(carriers > 0, "the sleeping virtual thread ran on a carrier thread");
        // JDK 25's scheduler times sleeps on a thread it starts on first use (reported as a leak before)
        if (Runtime.version().feature() >= 25) assertTrue(delaySchedulers > 0, "no delay scheduler thread seen");
    }

    @Test
    void theApplicationsOwnPoolIsNot() throws Exception {
        ForkJoinPool pool = new ForkJoinPool(1);
        try {
            if (pool instanceof ScheduledExecutorService s) { // JDK 25: its delay scheduler is the application's too
                s.schedule(() -> { }, 1, TimeUnit.MILLISECONDS).get();
            }
            CountDownLatch ran = new CountDownLatch(1);
            pool.execute(ran::countDown);
            assertTrue(ran.await(10, TimeUnit.SECONDS));
            boolean seen = false;
            for (Thread t : Threads.platform()) {
                boolean ours = t instanceof java.util.concurrent.ForkJoinWorkerThread w && w.getPool() == pool
                        || t.getClass().getName().equals("java.util.concurrent.DelayScheduler")
                        && t.getThreadGroup() == Thread.currentThread().getThreadGroup();
                if (ours) {
                    seen = true;
                    assertFalse(Threads.infrastructure(t), t + " is the application's");
                }
            }
            assertTrue(seen, "the pool's worker is alive");
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aThreadOfTheApplicationIsNot() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ForkJoinPool-9-delayScheduler"); // a JDK-like name does not make it the JDK's
        t.start();
        try {
            assertFalse(Threads.infrastructure(t));
        } finally {
            stop.countDown();
            t.join();
        }
    }
}
