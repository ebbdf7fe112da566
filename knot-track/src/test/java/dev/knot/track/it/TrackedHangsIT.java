package dev.knot.track.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knot.findings.Finding;
import dev.knot.findings.Report;
import dev.knot.snapshot.LiveFact;
import dev.knot.snapshot.ThreadDump;
import dev.knot.live.LiveSnapshot;
import dev.knot.findings.Certainty;
import dev.knot.rules.Analyzer;
import dev.knot.track.Options;
import dev.knot.track.Tracking;
import dev.knot.track.boot.KnotTracker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Hangs made in a JVM started with the tracking agent ({@code track=all,track.sites=true}, see the pom), seen by
 * the live snapshot plus {@code TrackedFacts}: what reflection alone leaves likely must now be certain. Every test
 * uses its own thread names; hung threads are daemons and stay until the JVM exits.
 */
@Tag("slow") // seconds or child JVMs: left out of ./run-tests --fast (README, Development)
class TrackedHangsIT {

    @BeforeAll
    static void trackingIsOn() {
        assertNotNull(Tracking.active(), "the agent did not install tracking: " + Tracking.disabledReason());
        assertTrue(KnotTracker.installed && KnotTracker.enabled);
        assertTrue(KnotTracker.fastLookup(), "thread states are not found through the thread-id table");
    }

    // ---- semaphores -----------------------------------------------------------------------------------------

    static final Semaphore ONE = new Semaphore(1);

    static void outer() {
        ONE.acquireUninterruptibly(); // the site the story must name
        inner();
    }

    static void inner() {
        ONE.acquireUninterruptibly();
    }

    @Test
    void semaphoreTakenTwiceIsACertainSelfDeadlockWithTheAcquisitionSite() {
        Thread t = daemon("trk-sem-twice", TrackedHangsIT::outer);
        awaitParkedOn(t, "java.util.concurrent.Semaphore$");
        Report r = analyzeNow();
        Finding f = finding(r, x -> x.threads().contains("trk-sem-twice"));
        assertEquals("self-deadlock", f.kind().jsonName(), f.summary());
        assertEquals(Certainty.CERTAIN, f.certainty(), f.story().toString());
        String site = TrackedHangsIT.class.getName() + ".outer(TrackedHangsIT.java:";
        assertTrue(text(f).contains(site), "acquisition site missing from " + text(f));
    }

    @Test
    void twoHoldersOfASemaphoreOfTwoAreACertainDeadlock() {
        Semaphore pool = new Semaphore(2);
        CountDownLatch both = new CountDownLatch(2);
        Runnable twice = () -> {
            pool.acquireUninterruptibly();
            both.countDown();
            await(both);
            pool.acquireUninterruptibly();
        };
        Thread a = daemon("trk-units-1", twice);
        Thread b = daemon("trk-units-2", twice);
        awaitParkedOn(a, "java.util.concurrent.Semaphore$");
        awaitParkedOn(b, "java.util.concurrent.Semaphore$");
        Finding f = finding(analyzeNow(), x -> x.threads().contains("trk-units-1"));
        assertEquals("deadlock", f.kind().jsonName(), f.summary());
        assertEquals(Certainty.CERTAIN, f.certainty(), f.story().toString());
        assertEquals(Set.of("trk-units-1", "trk-units-2"), Set.copyOf(f.threads()));
    }

    @Test
    void permitsOfAnEndedThreadAreStated() throws Exception {
        Semaphore s = new Semaphore(1);
        Thread leaker = daemon("trk-leaker", s::acquireUninterruptibly);
        leaker.join();
        Thread w = daemon("trk-leak-waiter", s::acquireUninterruptibly);
        awaitParkedOn(w, "java.util.concurrent.Semaphore$");
        ThreadDump d = LiveSnapshot.take("this JVM");
        String sync = blockerId(w);
        assertTrue(has(d, LiveFact.Kind.STATE, sync, "taken by thread \"trk-leaker\""), facts(d, sync));
        assertTrue(has(d, LiveFact.Kind.HOLDERS_COMPLETE, sync, ""), facts(d, sync));
        assertFalse(has(d, LiveFact.Kind.HOLDS, sync, ""), facts(d, sync));
    }

    @Test
    void aSemaphoreReleasedByNonHoldersHasNoHolderFacts() {
        Semaphore signal = new Semaphore(0);
        Thread giver = daemon("trk-giver", signal::release); // releases a permit it never took
        join(giver);
        signal.acquireUninterruptibly(); // this thread "holds" one now, by tracking's count
        Thread w = daemon("trk-signal-waiter", signal::acquireUninterruptibly);
        awaitParkedOn(w, "java.util.concurrent.Semaphore$");
        ThreadDump d = LiveSnapshot.take("this JVM");
        String sync = blockerId(w);
        assertTrue(has(d, LiveFact.Kind.STATE, sync, "released permits they had not acquired"), facts(d, sync));
        assertFalse(has(d, LiveFact.Kind.HOLDERS_COMPLETE, sync, ""), facts(d, sync));
        assertFalse(has(d, LiveFact.Kind.HOLDS, sync, ""), facts(d, sync));
        signal.release(2);
    }

    // ---- futures --------------------------------------------------------------------------------------------

    @Test
    void poolWorkersJoiningFuturesOfTheSamePoolAreCertainlyStarved() {
        ExecutorService pool = Executors.newFixedThreadPool(2, daemons("trk-starved-"));
        CountDownLatch bothBusy = new CountDownLatch(2); // no worker is free when the inner tasks are queued
        for (int i = 0; i < 2; i++) {
            pool.execute(() -> {
                bothBusy.countDown();
                await(bothBusy);
                CompletableFuture.supplyAsync(() -> "inner", pool).join();
            });
        }
        Thread w1 = awaitThread("trk-starved-1");
        Thread w2 = awaitThread("trk-starved-2");
        awaitParkedOn(w1, "java.util.concurrent.CompletableFuture$Signaller");
        awaitParkedOn(w2, "java.util.concurrent.CompletableFuture$Signaller");
        Finding f = finding(analyzeNow(), x -> x.threads().contains("trk-starved-1"));
        assertEquals("starvation", f.kind().jsonName(), f.summary());
        assertEquals(Certainty.CERTAIN, f.certainty(), f.story().toString());
        assertEquals(Set.of("trk-starved-1", "trk-starved-2"), Set.copyOf(f.threads()));
        assertTrue(text(f).contains("is queued in"), text(f));
    }

    @Test
    void starvationIsProvenThroughDependentStagesToo() {
        ExecutorService pool = Executors.newFixedThreadPool(2, daemons("trk-staged-"));
        CountDownLatch bothBusy = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            pool.execute(() -> {
                bothBusy.countDown();
                await(bothBusy);
                CompletableFuture.supplyAsync(() -> 20, pool).thenApply(x -> x + 1).thenApply(x -> x * 2).join();
            });
        }
        Thread w1 = awaitThread("trk-staged-1");
        Thread w2 = awaitThread("trk-staged-2");
        awaitParkedOn(w1, "java.util.concurrent.CompletableFuture$Signaller");
        awaitParkedOn(w2, "java.util.concurrent.CompletableFuture$Signaller");
        Finding f = finding(analyzeNow(), x -> x.threads().contains("trk-staged-1"));
        assertEquals("starvation", f.kind().jsonName(), f.summary());
        assertEquals(Certainty.CERTAIN, f.certainty(), f.story().toString());
    }

    @Test
    void theThreadRunningTheAwaitedTaskIsNamed() {
        CountDownLatch never = new CountDownLatch(1);
        ExecutorService ex = Executors.newSingleThreadExecutor(daemons("trk-runner-"));
        CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> {
            await(never);
            return "x";
        }, ex);
        Thread w = daemon("trk-cf-waiter", f::join);
        awaitParkedOn(w, "java.util.concurrent.CompletableFuture$Signaller");
        Thread runner = awaitThread("trk-runner-1");
        ThreadDump d = LiveSnapshot.take("this JVM");
        String signaller = blockerId(w);
        assertTrue(d.facts().contains(new LiveFact(LiveFact.Kind.RUNS, signaller, Long.toString(runner.getId()),
                "is running the async task that completes " + id(f))), facts(d, signaller));
        assertTrue(has(d, LiveFact.Kind.STATE, signaller, "waits for " + id(f)), facts(d, signaller));
        never.countDown();
    }

    // ---- queues ---------------------------------------------------------------------------------------------

    @Test
    void producersAndConsumersOfAFullQueueAreStated() {
        ArrayBlockingQueue<String> q = new ArrayBlockingQueue<>(1);
        CountDownLatch never = new CountDownLatch(1);
        Thread consumer = daemon("trk-consumer", () -> {
            try {
                q.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            await(never);
        });
        Thread producer = daemon("trk-producer", () -> {
            try {
                for (String s : new String[] {"a", "b", "c"}) q.put(s);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        awaitParkedOn(consumer, "java.util.concurrent.CountDownLatch$");
        awaitParkedOn(producer, "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject");
        ThreadDump d = LiveSnapshot.take("this JVM");
        String cond = blockerId(producer);
        assertTrue(has(d, LiveFact.Kind.STATE, cond, "(1 of 1): producers \"trk-producer\"; consumers \"trk-consumer\""),
                facts(d, cond));
        assertTrue(has(d, LiveFact.Kind.RELEASES, cond, "took from java.util.concurrent.ArrayBlockingQueue@"), facts(d, cond));
        never.countDown();
    }

    @Test
    void consumersBlockedBehindAProducerOnAFullQueueAreAllItsReleasers() {
        ArrayBlockingQueue<String> q = new ArrayBlockingQueue<>(1);
        Object stats = new Object();
        CountDownLatch tookOnce = new CountDownLatch(1);
        CountDownLatch producerStuck = new CountDownLatch(1);
        Thread packer = daemon("trk-packer", () -> {
            try {
                q.poll();
                tookOnce.countDown();
                producerStuck.await();
                synchronized (stats) {
                    q.take();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await(tookOnce);
        Thread intake = daemon("trk-intake", () -> {
            try {
                synchronized (stats) {
                    q.put("a");
                    q.put("b");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        awaitParkedOn(intake, "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject");
        producerStuck.countDown();
        Instant end = Instant.now().plus(Duration.ofSeconds(10));
        while (packer.getState() != Thread.State.BLOCKED && Instant.now().isBefore(end)) Thread.onSpinWait();
        ThreadDump d = LiveSnapshot.take("this JVM");
        String cond = blockerId(intake);
        assertTrue(has(d, LiveFact.Kind.RELEASES, cond, "took from"), facts(d, cond));
        assertTrue(has(d, LiveFact.Kind.RELEASERS_COMPLETE, cond, "tracked since the JVM started: \"trk-packer\" is the only live"
                + " thread that ever took from java.util.concurrent.ArrayBlockingQueue@"), facts(d, cond));
        Finding f = finding(Analyzer.analyze(List.of(d)), x -> x.threads().contains("trk-intake"));
        assertEquals(List.of("trk-intake", "trk-packer"), f.threads(), f.summary());
        assertTrue(f.edges().stream().allMatch(e -> e.certainty() == Certainty.CERTAIN), f.edges().toString());
    }

    // ---- installation ---------------------------------------------------------------------------------------

    @Test
    void installingAgainChangesNothingAndCountsOnce() {
        assertTrue(Tracking.install(null, Options.of(Options.ALL_KINDS, false)));
        int before = KnotTracker.current().holdings().length;
        Semaphore s = new Semaphore(3);
        s.acquireUninterruptibly();
        Object[][] h = KnotTracker.current().holdings();
        assertEquals(before + 1, h.length);
        assertEquals(1, (Integer) h[h.length - 1][1], "one acquire must count once");
        s.release();
        assertEquals(before, KnotTracker.current().holdings().length);
        assertEquals(0, KnotTracker.errors(), String.valueOf(KnotTracker.firstError()));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    static Report analyzeNow() {
        return Analyzer.analyze(List.of(LiveSnapshot.take("this JVM")));
    }

    static String text(Finding f) {
        StringBuilder b = new StringBuilder(f.summary()).append('\n');
        f.story().forEach(s -> b.append(s).append('\n'));
        f.edges().forEach(e -> e.evidence().forEach(s -> b.append(s).append('\n')));
        return b.toString();
    }

    static Finding finding(Report r, Predicate<Finding> p) {
        return r.findings().stream().filter(p).findFirst()
                .orElseThrow(() -> new AssertionError("not found in " + r.findings().stream()
                        .map(f -> f.kind().jsonName() + " " + f.certainty() + " " + f.threads()).toList()));
    }

    static boolean has(ThreadDump d, LiveFact.Kind kind, String objectId, String detailPart) {
        return d.facts().stream().anyMatch(f -> f.kind() == kind && f.objectId().equals(objectId) && f.detail().contains(detailPart));
    }

    static String facts(ThreadDump d, String objectId) {
        return d.facts().stream().filter(f -> f.objectId().equals(objectId)).map(Object::toString)
                .collect(Collectors.joining("\n", "facts about " + objectId + ":\n", ""));
    }

    static String blockerId(Thread t) {
        return id(LockSupport.getBlocker(t));
    }

    static String id(Object o) {
        return o.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(o));
    }

    static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void awaitParkedOn(Thread t, String blockerClassPrefix) {
        Instant end = Instant.now().plus(Duration.ofSeconds(10));
        while (true) {
            Object b = LockSupport.getBlocker(t);
            if (b != null && b.getClass().getName().startsWith(blockerClassPrefix) && t.getState() == Thread.State.WAITING) return;
            if (Instant.now().isAfter(end)) throw new AssertionError(t.getName() + " never parked on " + blockerClassPrefix);
            Thread.onSpinWait();
        }
    }

    static Thread awaitThread(String name) {
        Instant end = Instant.now().plus(Duration.ofSeconds(10));
        while (true) {
            for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().equals(name)) return t;
            if (Instant.now().isAfter(end)) throw new AssertionError("no thread " + name);
            Thread.onSpinWait();
        }
    }
}
