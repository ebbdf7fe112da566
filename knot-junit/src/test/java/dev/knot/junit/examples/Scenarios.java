package dev.knot.junit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.knot.junit.Knot;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Small example classes for single behaviours (timeouts, switches, scopes), each run by its own test. */
public final class Scenarios {
    private Scenarios() {
    }

    /** Waits on a latch nobody counts down (interruptible, so any timeout mode ends it). */
    static void waitForever() throws InterruptedException {
        new CountDownLatch(1).await();
    }

    static Thread leak(String name) {
        AtomicBoolean stop = new AtomicBoolean();
        Cleanup.register(() -> stop.set(true));
        Thread t = new Thread(() -> {
            while (!stop.get()) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Knot
    @KnotExample
    public static class WithoutJUnitTimeout {
        @Test
        void waits() throws InterruptedException {
            waitForever();
        }
    }

    @Knot
    @KnotExample
    public static class JUnitSeparateThread {
        @Test
        @Timeout(value = 1, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
        void waits() throws InterruptedException {
            waitForever();
        }
    }

    @Knot
    @KnotExample
    public static class SlowButFine {
        @Test
        void sleeps() throws InterruptedException {
            Thread.sleep(700);
        }
    }

    @Knot
    @KnotExample
    public static class HangingBeforeEach {
        @BeforeEach
        void setUp() throws InterruptedException {
            waitForever();
        }

        @Test
        void neverRuns() {
        }
    }

    @Knot
    @KnotExample
    @Timeout(value = 800, unit = TimeUnit.MILLISECONDS)
    public static class ClassTimeout {
        @Nested
        class Inner {
            @Test
            void waits() throws InterruptedException {
                waitForever();
            }
        }
    }

    @Knot
    @KnotExample
    public static class Invocations {
        @ParameterizedTest
        @ValueSource(ints = {1, 2})
        void leaksOnSecond(int n) {
            if (n == 2) leak("param-leak");
        }

        @RepeatedTest(2)
        void repeated() {
        }

        @TestFactory
        Stream<DynamicTest> dynamic() {
            return Stream.of(DynamicTest.dynamicTest("clean", () -> { }),
                    DynamicTest.dynamicTest("leaky", () -> leak("dynamic-leak")));
        }
    }

    @Knot
    @KnotExample
    public static class FailsAndLeaks {
        @Test
        void failsAndLeaks() {
            leak("failing-leak");
            assertEquals(1, 2);
        }
    }

    @Knot
    @KnotExample
    public static class EachKind {
        @Test
        void thread() {
            leak("kind-thread");
        }

        @Test
        void executor() throws Exception {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            Cleanup.register(pool::shutdownNow);
            pool.submit(() -> 1).get();
        }

        @Test
        void unobserved() throws InterruptedException {
            Thread t = new Thread(() -> {
                throw new IllegalStateException("kind-unobserved");
            }, "kind-unobserved");
            t.start();
            t.join();
        }

        @Test
        void cancelled() throws InterruptedException {
            // "kind-holder" keeps a monitor that "kind-cancelled" waits to enter; entering a monitor ignores interrupts
            Object monitor = new Object();
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Cleanup.register(release::countDown);
            Thread holder = new Thread(() -> {
                synchronized (monitor) {
                    held.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException ignored) {
                        // released either way
                    }
                }
            }, "kind-holder");
            holder.setDaemon(true);
            holder.start();
            held.await();
            Thread t = new Thread(() -> {
                synchronized (monitor) {
                    monitor.notifyAll();
                }
            }, "kind-cancelled");
            t.setDaemon(true);
            t.start();
            while (t.getState() != Thread.State.BLOCKED) Thread.onSpinWait();
            t.interrupt();
        }
    }

    @Knot
    @KnotExample
    public static class EndsLate {
        @Test
        void threadEndsAfter300ms() {
            new Thread(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException ignored) {
                    // ends either way
                }
            }, "ends-late").start();
        }
    }

    @Knot
    @KnotExample
    public static class ClassScope {
        static ExecutorService neverShutDown;

        @BeforeAll
        static void startThings() throws Exception {
            leak("started-in-before-all");
            neverShutDown = Executors.newFixedThreadPool(1);
            neverShutDown.submit(() -> 1).get();
            Cleanup.register(neverShutDown::shutdownNow);
        }

        @AfterAll
        static void forgetsToStopThem() {
        }

        @Test
        void usesThePool() throws Exception {
            assertEquals(2, neverShutDown.submit(() -> 2).get());
        }
    }
}
