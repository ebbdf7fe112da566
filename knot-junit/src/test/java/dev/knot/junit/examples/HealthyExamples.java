package dev.knot.junit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import dev.knot.junit.Knot;

/** Concurrency done right: Knot must report none of these. */
@Knot
@KnotExample
public class HealthyExamples {

    static ExecutorService shared;

    @BeforeAll
    static void startSharedPool() {
        shared = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stopSharedPool() throws InterruptedException {
        shared.shutdown();
        assertTrue(shared.awaitTermination(5, TimeUnit.SECONDS));
    }

    @Test
    void usesTheSharedPool() throws Exception {
        assertEquals(42, shared.submit(() -> 42).get());
    }

    @Test
    void commonPoolAndParallelStreams() {
        int sum = CompletableFuture.supplyAsync(() -> 20).thenApplyAsync(x -> x + 1).join();
        assertEquals(21, sum);
        assertEquals(5050, IntStream.rangeClosed(1, 100).parallel().sum());
    }

    @Test
    void executorShutDown() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                fs.add(pool.submit(() -> n * n));
            }
            int total = 0;
            for (Future<Integer> f : fs) total += f.get();
            assertEquals(285, total);
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void scheduledExecutorShutDown() throws Exception {
        ScheduledExecutorService s = Executors.newScheduledThreadPool(1);
        try {
            assertEquals("tick", s.schedule(() -> "tick", 10, TimeUnit.MILLISECONDS).get());
            s.scheduleAtFixedRate(() -> { }, 0, 5, TimeUnit.MILLISECONDS);
        } finally {
            s.shutdownNow();
            assertTrue(s.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void threadJoined() throws InterruptedException {
        Thread t = new Thread(() -> { }, "short-lived");
        t.start();
        t.join();
    }

    @Test
    void threadEndsWithinTheGracePeriod() {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException ignored) {
                // ends either way
            }
        }, "finishing-up");
        t.start(); // not joined: it ends 50 ms after the test, well within knot.leaks.threads.grace
    }

    @Test
    void failureObservedThroughTheFuture() throws InterruptedException {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> f = pool.submit(() -> {
                throw new IllegalStateException("expected");
            });
            assertThrows(ExecutionException.class, f::get);
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void failureHandledByItsOwnHandler() throws InterruptedException {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Thread t = new Thread(() -> {
            throw new IllegalStateException("expected");
        }, "handled");
        t.setUncaughtExceptionHandler((th, e) -> seen.set(e));
        t.start();
        t.join();
        assertEquals("expected", seen.get().getMessage());
    }

    @Test
    void cancelledTaskThatStops() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<?> f = pool.submit(() -> {
            Thread.sleep(60_000);
            return null;
        });
        Thread.sleep(20);
        f.cancel(true);
        pool.shutdown();
        assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
    }

    @Test
    void virtualThreads() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21");
        // Executors.newVirtualThreadPerTaskExecutor(), by reflection: this module compiles for JDK 17
        ExecutorService vt = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        try {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                fs.add(vt.submit(() -> {
                    Thread.sleep(5);
                    return n;
                }));
            }
            int total = 0;
            for (Future<Integer> f : fs) total += f.get();
            assertEquals(1225, total);
        } finally {
            vt.shutdown();
            assertTrue(vt.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    @Test
    @Timeout(5)
    void withATimeout() throws InterruptedException {
        Thread t = new Thread(() -> { }, "timed-helper");
        t.start();
        t.join();
    }

    @RepeatedTest(3)
    void repeated() throws Exception {
        assertEquals(2, CompletableFuture.supplyAsync(() -> 2).get());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void parameterized(int n) throws InterruptedException {
        Thread t = new Thread(() -> { }, "param-" + n);
        t.start();
        t.join();
    }

    @TestFactory
    Stream<DynamicTest> dynamic() {
        return Stream.of("a", "b").map(s -> DynamicTest.dynamicTest(s, () -> {
            Thread t = new Thread(() -> { }, "dynamic-" + s);
            t.start();
            t.join();
        }));
    }

    @Nested
    class Inner {
        @Test
        void nestedTest() throws Exception {
            assertEquals(1, shared.submit(() -> 1).get());
        }
    }
}
