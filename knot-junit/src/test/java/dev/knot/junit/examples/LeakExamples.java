package dev.knot.junit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import dev.knot.junit.Knot;

/** Tests that pass, but leave threads and executors running after they end. */
@Knot
@KnotExample
public class LeakExamples {

    @Test
    void leaksThread() {
        Thread refresher = new Thread(() -> refreshCache(stopper()), "cache-refresher");
        refresher.setDaemon(true);
        refresher.start();
        assertEquals(4, 2 + 2);
    }

    @Test
    void leaksExecutor() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<Integer> a = pool.submit(() -> 1);
        Future<Integer> b = pool.submit(() -> 2);
        assertEquals(3, a.get() + b.get());
        Cleanup.register(pool::shutdownNow);
        // no pool.shutdown(): its two workers wait for tasks forever
    }

    @Test
    void leaksVirtualThread() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21");
        // Thread.ofVirtual().name(..).start(..), by reflection: this module compiles for JDK 17
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
        builder = ofVirtual.getMethod("name", String.class).invoke(builder, "metrics-flusher");
        AtomicBoolean stop = stopper();
        ofVirtual.getMethod("start", Runnable.class).invoke(builder, (Runnable) () -> refreshCache(stop));
    }

    private static AtomicBoolean stopper() {
        AtomicBoolean stop = new AtomicBoolean();
        Cleanup.register(() -> stop.set(true));
        return stop;
    }

    private static void refreshCache(AtomicBoolean stop) {
        while (!stop.get()) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
