package dev.knot.track.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knot.track.Failures;
import dev.knot.track.Tracking;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Task failures nobody read, in a JVM started with the tracking agent ({@code track=all}, see the pom). */
@Tag("slow") // seconds or child JVMs: left out of ./run-tests --fast (README, Development)
class FailuresIT {
    static ExecutorService pool;

    @BeforeAll
    static void setUp() {
        assertTrue(Failures.active(), "failures tracked: " + Tracking.active() + " " + Tracking.disabledReason());
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void tearDown() {
        pool.shutdownNow();
    }

    private static List<Failures.Failure> unobserved(long mark, Throwable error) {
        return Failures.unobservedSince(mark).stream().filter(f -> f.error() == error).toList();
    }

    private static void awaitDone(Future<?> f) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!f.isDone() && System.nanoTime() < end) Thread.sleep(1); // isDone does not observe the outcome
        assertTrue(f.isDone());
    }

    @Test
    void submittedTaskFailingUnreadIsReported() throws Exception {
        long mark = Failures.mark();
        IllegalStateException boom = new IllegalStateException("row 7 has no id\nsecond line");
        Future<Object> f = pool.submit(() -> {
            throw boom;
        });
        awaitDone(f);
        List<Failures.Failure> found = unobserved(mark, boom);
        assertEquals(1, found.size(), Failures.unobservedSince(mark).toString());
        Failures.Failure one = found.get(0);
        assertEquals("java.lang.IllegalStateException: row 7 has no id", one.summary());
        assertTrue(one.task().startsWith("java.util.concurrent.FutureTask@"), one.task());
        assertTrue(one.thread().startsWith("pool-"), one.thread());
        Failures.dismiss(one);
        assertEquals(List.of(), unobserved(mark, boom));
    }

    @Test
    void submittedTaskReadWithGetIsNotReported() throws Exception {
        long mark = Failures.mark();
        IllegalStateException boom = new IllegalStateException("read");
        Future<Object> f = pool.submit(() -> {
            throw boom;
        });
        awaitDone(f);
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertEquals(boom, e.getCause());
        assertEquals(List.of(), unobserved(mark, boom));
        // get() waiting for the failure observes it too
        IllegalStateException later = new IllegalStateException("later");
        Future<Object> g = pool.submit(() -> {
            Thread.sleep(50);
            throw later;
        });
        assertThrows(ExecutionException.class, () -> g.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(), unobserved(mark, later));
    }

    @Test
    void supplyAsyncFailingWithoutDependentIsReported() throws Exception {
        long mark = Failures.mark();
        IllegalStateException boom = new IllegalStateException("async");
        CompletableFuture<Object> f = CompletableFuture.supplyAsync(() -> {
            throw boom;
        }, pool);
        awaitDone(f);
        List<Failures.Failure> found = unobserved(mark, boom);
        assertEquals(1, found.size(), Failures.unobservedSince(mark).toString());
        assertTrue(found.get(0).completableFuture());
        assertThrows(RuntimeException.class, () -> f.getNow("x"));
        assertEquals(List.of(), unobserved(mark, boom));
    }

    @Test
    void supplyAsyncWithExceptionallyIsNotReported() throws Exception {
        long mark = Failures.mark();
        IllegalStateException before = new IllegalStateException("dependent first");
        CompletableFuture<Object> f = CompletableFuture.supplyAsync(() -> {
            sleep(50);
            throw before;
        }, pool);
        CompletableFuture<Object> r = f.exceptionally(x -> "recovered");
        awaitDone(r);
        assertEquals(List.of(), unobserved(mark, before));

        IllegalStateException after = new IllegalStateException("dependent later");
        CompletableFuture<Object> g = CompletableFuture.supplyAsync(() -> {
            throw after;
        }, pool);
        awaitDone(g);
        assertEquals(1, unobserved(mark, after).size());
        assertEquals("recovered", g.exceptionally(x -> "recovered").join());
        assertEquals(List.of(), unobserved(mark, after));

        IllegalStateException joined = new IllegalStateException("joined");
        CompletableFuture<Object> h = CompletableFuture.supplyAsync(() -> {
            sleep(50);
            throw joined;
        }, pool);
        assertThrows(RuntimeException.class, h::join);
        assertEquals(List.of(), unobserved(mark, joined));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
