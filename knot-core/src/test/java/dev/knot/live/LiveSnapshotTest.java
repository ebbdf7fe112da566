package dev.knot.live;

import dev.knot.input.LiveParts;
import dev.knot.input.SnapshotJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.knot.findings.Finding;
import dev.knot.findings.Report;
import dev.knot.input.DumpReader;
import dev.knot.snapshot.ThreadDump;
import dev.knot.findings.Certainty;
import dev.knot.input.WithoutEvidence;
import dev.knot.rules.Analyzer;
import dev.knot.rules.EvidenceTest;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Hangs made in this JVM, seen by the in-process snapshot. The test JVM runs with the java.base packages
 * opened (see the pom), as the Knot agent opens them: so everything the agent can prove must come out certain.
 * Each test uses its own thread names; the hung threads are daemons and stay until the JVM exits.
 */
class LiveSnapshotTest {

    static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits until every thread is parked or blocked (the hang has formed). */
    static void awaitStuck(Thread... ts) {
        Instant end = Instant.now().plus(Duration.ofSeconds(10));
        for (Thread t : ts) {
            while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.BLOCKED) {
                if (Instant.now().isAfter(end)) throw new AssertionError(t.getName() + " stayed " + t.getState());
                Thread.onSpinWait();
            }
        }
    }

    static Finding finding(Report r, Predicate<Finding> p) {
        return r.findings().stream().filter(p).findFirst()
                .orElseThrow(() -> new AssertionError("not found in " + r.findings().stream()
                        .map(f -> f.kind().jsonName() + " " + f.certainty() + " " + f.threads()).toList()));
    }

    static Report analyzeNow() {
        return Analyzer.analyze(List.of(LiveSnapshot.take("this JVM")));
    }

    @Test
    void joiningThreadsAreReadFromTheTextDumpsHeaders() {
        String dump = "Full thread dump\n\n"
                + "\"main\" #1 prio=5 os_prio=0 tid=0x1 nid=0x1 in Object.wait()  [0x0]\n"
                + "   java.lang.Thread.State: WAITING (on object monitor)\n"
                + "\tat java.lang.Object.wait(java.base@17.0.15/Native Method)\n"
                + "\tat java.lang.Thread.join(java.base@17.0.15/Thread.java:1304)\n\n"
                + "\"odd \" #99 name\" #23 [4711] daemon prio=5 os_prio=0 tid=0x2 nid=0x2 in Object.wait()  [0x0]\n"
                + "\tat java.lang.Thread.join(java.base@21/Thread.java:2072)\n"
                + "\tat java.lang.Thread.join(java.base@21/Thread.java:2143)\n\n"
                + "\"sleeper\" #24 prio=5 tid=0x3 nid=0x3 waiting on condition\n"
                + "\tat java.lang.Thread.sleep(java.base@17.0.15/Native Method)\n"
                + "\tat com.example.Joiner.join(Joiner.java:3)\n\n";
        assertEquals(Set.of(1L, 23L), LiveSnapshot.joiningThreads(dump));
        assertEquals(Set.of(), LiveSnapshot.joiningThreads("\tat java.lang.Thread.join(Thread.java:1)\n"));
    }

    @Test
    void lockDeadlockIsCertain() {
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        CountDownLatch both = new CountDownLatch(2);
        Thread t1 = daemon("live-rl-1", () -> { a.lock(); both.countDown(); await(both); b.lock(); });
        Thread t2 = daemon("live-rl-2", () -> { b.lock(); both.countDown(); await(both); a.lock(); });
        awaitStuck(t1, t2);
        awaitParkedOn(t1, ReentrantLock.class);
        awaitParkedOn(t2, ReentrantLock.class);
        Finding f = finding(analyzeNow(), x -> x.threads().contains("live-rl-1"));
        assertEquals("deadlock", f.kind().jsonName());
        assertEquals(Certainty.CERTAIN, f.certainty());
        assertEquals(List.of("live-rl-1", "live-rl-2"), f.threads());
    }

    @Test
    void readToWriteUpgradeIsProvenByTheReadHolder() {
        ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
        Thread t = daemon("live-upgrader", () -> { rw.readLock().lock(); rw.writeLock().lock(); });
        awaitStuck(t);
        awaitParkedOn(t, ReentrantReadWriteLock.class);
        Finding f = finding(analyzeNow(), x -> x.threads().contains("live-upgrader"));
        assertEquals("self-deadlock", f.kind().jsonName());
        assertEquals(Certainty.CERTAIN, f.certainty(), f.story().toString());
        assertTrue(f.story().get(0).contains("holds the read lock"), f.story().toString());
        EvidenceTest.assertDropsWithout(LiveSnapshot.take("this JVM"), WithoutEvidence.LIVE_FACTS, "live-upgrader");
    }

    @Test
    void singleThreadExecutorWaitingOnItselfIsProvenByItsQueue() {
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "live-single-worker");
            t.setDaemon(true);
            return t;
        });
        ex.submit(() -> ex.submit(() -> "inner").get());
        Thread worker = awaitThread("live-single-worker");
        awaitStuck(worker);
        awaitParkedOn(worker, java.util.concurrent.FutureTask.class);
        Finding f = finding(analyzeNow(), x -> x.threads().contains("live-single-worker"));
        assertEquals("self-deadlock", f.kind().jsonName());
        assertEquals(Certainty.CERTAIN, f.certainty(), f.story().toString());
        assertTrue(String.join("\n", f.story()).contains("queued in"), f.story().toString());
        EvidenceTest.assertDropsWithout(LiveSnapshot.take("this JVM"), WithoutEvidence.LIVE_FACTS, "live-single-worker");
    }

    @Test
    void poolStarvationIsProvenByItsQueue() {
        ExecutorService pool = Executors.newFixedThreadPool(2, new java.util.concurrent.ThreadFactory() {
            int n;

            @Override
            public synchronized Thread newThread(Runnable r) {
                Thread t = new Thread(r, "live-starved-" + (++n));
                t.setDaemon(true);
                return t;
            }
        });
        // Both outer tasks must occupy both workers before submitting: otherwise the first inner task can get a
        // fresh worker of its own and everything completes (a race in the test, not a hang).
        CountDownLatch bothRunning = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            pool.submit(() -> {
                bothRunning.countDown();
                bothRunning.await();
                return pool.submit(() -> "inner").get();
            });
        }
        // WAITING alone is not enough: a worker may be parked for a moment on the queue's own lock while submitting
        Thread w1 = awaitThread("live-starved-1");
        Thread w2 = awaitThread("live-starved-2");
        awaitStuck(w1, w2);
        awaitParkedOn(w1, java.util.concurrent.FutureTask.class);
        awaitParkedOn(w2, java.util.concurrent.FutureTask.class);
        Finding f = finding(analyzeNow(), x -> x.threads().contains("live-starved-1"));
        assertEquals("starvation", f.kind().jsonName());
        assertEquals(Certainty.CERTAIN, f.certainty(), f.story().toString());
        assertEquals(Set.of("live-starved-1", "live-starved-2"), Set.copyOf(f.threads()));
        EvidenceTest.assertDropsWithout(LiveSnapshot.take("this JVM"), WithoutEvidence.LIVE_FACTS, "live-starved-1");
    }

    @Test
    void orphanedLockIsCertainWhenEveryThreadIsVisible() throws InterruptedException {
        ReentrantLock lock = new ReentrantLock();
        Thread owner = daemon("live-dies-holding", lock::lock);
        owner.join();
        Thread w = daemon("live-orphan-waiter", lock::lock);
        awaitStuck(w);
        awaitParkedOn(w, ReentrantLock.class);
        Finding f = finding(analyzeNow(), x -> x.threads().contains("live-orphan-waiter"));
        assertEquals("orphaned-lock", f.kind().jsonName());
        assertEquals(Certainty.CERTAIN, f.certainty(), f.why());
        EvidenceTest.assertDropsWithout(LiveSnapshot.take("this JVM"), WithoutEvidence.LOCK_OWNERS, "live-orphan-waiter");
    }

    @Test
    void semaphorePermitsAreStated() {
        Semaphore s = new Semaphore(1);
        Thread t = daemon("live-sem-twice", () -> { s.acquireUninterruptibly(); s.acquireUninterruptibly(); });
        awaitStuck(t);
        awaitParkedOn(t, Semaphore.class);
        ThreadDump d = LiveSnapshot.take("this JVM");
        assertTrue(d.facts().stream().anyMatch(x -> x.detail().equals("permits available: 0")), d.facts().toString());
    }

    @Test
    void factsAboutOneBlockerAreTakenOnceHoweverManyWaitOnIt() {
        CountDownLatch never = new CountDownLatch(1);
        Thread[] ts = new Thread[40];
        for (int i = 0; i < ts.length; i++) ts[i] = daemon("live-many-on-latch-" + i, () -> await(never));
        awaitStuck(ts);
        for (Thread t : ts) awaitParkedOn(t, CountDownLatch.class);
        String id = LiveSnapshot.id(LockSupport.getBlocker(ts[0]));
        ThreadDump d = LiveSnapshot.take("this JVM");
        assertEquals(1, d.facts().stream().filter(x -> x.objectId().equals(id)).count(), d.facts().toString());
    }

    @Test
    void virtualThreadsAndTheirLockOwnersAreSeen() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        CountDownLatch both = new CountDownLatch(2);
        Thread v1 = virtual("live-vt-1", () -> { a.lock(); both.countDown(); await(both); b.lock(); });
        Thread v2 = virtual("live-vt-2", () -> { b.lock(); both.countDown(); await(both); a.lock(); });
        awaitStuck(v1, v2);
        awaitParkedOn(v1, ReentrantLock.class);
        awaitParkedOn(v2, ReentrantLock.class);
        ThreadDump d = LiveSnapshot.take("this JVM");
        assertTrue(d.threads().stream().anyMatch(t -> t.virtual() && t.name().equals("live-vt-1")));
        Finding f = finding(Analyzer.analyze(List.of(d)), x -> x.threads().contains("live-vt-1"));
        assertEquals("deadlock", f.kind().jsonName());
        assertEquals(Certainty.CERTAIN, f.certainty(), "owners of both locks are virtual threads, proved by reflection");
    }

    @Test
    void snapshotFileRoundTripsThroughTheReader() throws Exception {
        ThreadDump d = LiveSnapshot.take("this JVM");
        StringWriter w = new StringWriter();
        SnapshotJson.write(d, w);
        assertEquals(d.threads(), SnapshotJson.read(new StringReader(w.toString())).threads());
        ThreadDump back = DumpReader.read("snap.json", new java.io.ByteArrayInputStream(
                w.toString().getBytes(StandardCharsets.UTF_8))).get(0);
        assertEquals(dev.knot.snapshot.DumpFormat.LIVE, back.format());
        assertEquals(d.facts(), back.facts());
        assertNotNull(back.time());
    }

    // ---- helpers --------------------------------------------------------------------------------

    static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void awaitParkedOn(Thread t, Class<?> outer) {
        Instant end = Instant.now().plus(Duration.ofSeconds(10));
        while (true) {
            Object b = LockSupport.getBlocker(t);
            if (b != null && b.getClass().getName().startsWith(outer.getName())) return;
            if (Instant.now().isAfter(end)) throw new AssertionError(t.getName() + " never parked on " + outer);
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

    static Thread virtual(String name, Runnable r) throws Exception {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
        builder = ofVirtual.getMethod("name", String.class).invoke(builder, name);
        return (Thread) ofVirtual.getMethod("start", Runnable.class).invoke(builder, r);
    }

    /**
     * The two-part snapshot knot attach uses (the JVM's text dump plus what reflection proves, merged): the same
     * certain deadlock, lock owners matched to the text's addresses, and a join named by the joined thread.
     */
    @Test
    void textDumpAndFactsMergeIntoTheSameProof() throws Exception {
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        CountDownLatch both = new CountDownLatch(2);
        Thread t1 = daemon("parts-lock-1", () -> { a.lock(); both.countDown(); awaitQuietly(both); b.lock(); });
        Thread t2 = daemon("parts-lock-2", () -> { b.lock(); both.countDown(); awaitQuietly(both); a.lock(); });
        awaitStuck(t1, t2);
        Thread joiner = daemon("parts-joiner", () -> {
            try {
                t1.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        awaitStuck(joiner);
        Instant end = Instant.now().plus(Duration.ofSeconds(10));
        while (java.util.Arrays.stream(joiner.getStackTrace()).noneMatch(e -> e.getMethodName().equals("join"))
                || joiner.getState() != Thread.State.WAITING) {
            if (Instant.now().isAfter(end)) throw new AssertionError("the joiner never waited in join()");
            Thread.onSpinWait();
        }
        StringBuilder text = new StringBuilder();
        LiveParts parts = LiveSnapshot.takeParts("this JVM", phase -> { }, text::append);
        assumeTrue(parts != null, "this JVM has virtual threads or no in-process text dump");
        StringWriter w = new StringWriter();
        parts.write(w);
        LiveParts read = LiveParts.read(new StringReader(w.toString()));
        ThreadDump printed = DumpReader.read("text", new java.io.ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8))).get(0);
        ThreadDump merged = read.merge(printed);
        Finding f = finding(Analyzer.analyze(List.of(merged)), x -> x.threads().contains("parts-lock-1"));
        assertEquals("deadlock", f.kind().jsonName());
        assertEquals(Certainty.CERTAIN, f.certainty());
        assertEquals(Set.of("parts-lock-1", "parts-lock-2"), Set.copyOf(f.threads()));
        assertTrue(merged.facts().stream().anyMatch(x -> x.kind() == dev.knot.snapshot.LiveFact.Kind.THREAD_OBJECT
                && x.threadId().equals(Long.toString(t1.getId())) && x.objectId().startsWith("0x")),
                () -> merged.facts() + " " + merged.warnings() + " joiner: " + joiner.getState() + " "
                        + java.util.Arrays.toString(joiner.getStackTrace()));
    }

    private static void awaitQuietly(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
