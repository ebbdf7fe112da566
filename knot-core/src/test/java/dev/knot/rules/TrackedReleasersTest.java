package dev.knot.rules;

import static dev.knot.rules.MiniDump.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knot.findings.Finding;
import dev.knot.findings.Report;
import dev.knot.snapshot.LiveFact;
import dev.knot.findings.Certainty;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hold-and-wait in live snapshots built by hand: who would give the signal is never recorded, so it is certain only
 * when no thread outside the group can run (every other thread stuck behind it or a JVM service thread).
 */
class TrackedReleasersTest {

    private static final String COND = "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject@1c";

    private static final List<String> PUT = List.of(
            "at jdk.internal.misc.Unsafe.park(java.base@25.0.3/Native Method)",
            "- parking to wait for  <" + COND + "> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)",
            "at java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.await(java.base@25.0.3/AbstractQueuedSynchronizer.java:1752)",
            "at java.util.concurrent.ArrayBlockingQueue.put(java.base@25.0.3/ArrayBlockingQueue.java:371)",
            "at app.Producer.send(Producer.java:12)",
            "- locked <app.Stats@1> (a app.Stats)");

    private static final List<String> FINALIZER = List.of(
            "at java.lang.Object.wait(java.base@25.0.3/Native Method)",
            "- waiting on <java.lang.ref.ReferenceQueue$Lock@5> (a java.lang.ref.ReferenceQueue$Lock)",
            "at java.lang.ref.ReferenceQueue.remove(java.base@25.0.3/ReferenceQueue.java:155)",
            "at java.lang.ref.Finalizer$FinalizerThread.run(java.base@25.0.3/Finalizer.java:172)");

    /** producer #20, packers #21 and #22 blocked on the producer's monitor, main #23 joining the producer, a Finalizer #24. */
    private static MiniDump pipeline(String... running) {
        MiniDump d = new MiniDump("25.0.3+9-LTS")
                .thread("producer", "WAITING (parking)", PUT)
                .thread("packer-1", "BLOCKED (on object monitor)", blockedOn("app.Stats@1", "app.Stats"))
                .thread("packer-2", "BLOCKED (on object monitor)", blockedOn("app.Stats@1", "app.Stats"))
                .thread("main", "WAITING (on object monitor)", List.of(
                        "at java.lang.Object.wait(java.base@25.0.3/Native Method)",
                        "- waiting on <java.lang.Thread@20> (a java.lang.Thread)",
                        "at java.lang.Thread.join(java.base@25.0.3/Thread.java:1313)",
                        "at app.Main.main(Main.java:9)"))
                .thread("Finalizer", "WAITING (on object monitor)", FINALIZER);
        for (String e : running) d.thread(e, "RUNNABLE", running());
        return d;
    }

    /** What a live snapshot of a JVM with tracking adds: every virtual thread listed, no finalizers, the join. */
    private static List<LiveFact> facts(boolean allListed, boolean noFinalizers, boolean tracked) {
        List<LiveFact> f = new ArrayList<>();
        if (allListed) f.add(new LiveFact(LiveFact.Kind.STATE, LiveFact.JVM, "", LiveFact.ALL_VIRTUAL_THREADS_LISTED));
        if (noFinalizers) f.add(new LiveFact(LiveFact.Kind.STATE, LiveFact.JVM, "", LiveFact.NO_APPLICATION_FINALIZERS));
        f.add(new LiveFact(LiveFact.Kind.THREAD_OBJECT, "java.lang.Thread@20", "20", "is the thread waited for (join)"));
        if (tracked) {
            for (String id : List.of("21", "22")) {
                f.add(new LiveFact(LiveFact.Kind.RELEASES, COND, id, "took from ArrayBlockingQueue@9 (4 of 4) (tracked)"));
            }
            f.add(new LiveFact(LiveFact.Kind.RELEASERS_COMPLETE, COND, "",
                    "tracked since the JVM started: \"packer-1\", \"packer-2\" are the only live threads that ever took from it"));
        }
        return f;
    }

    @Test
    void nobodyOutsideTheGroupCanRunSoItIsCertain() {
        for (boolean tracked : new boolean[] {false, true}) {
            Report r = pipeline().analyzeLive(facts(true, true, tracked));
            assertEquals(List.of("deadlock certain [producer, packer-1, packer-2]"), keys(r));
            Finding f = r.findings().get(0);
            assertTrue(f.missing().isEmpty(), f.missing().toString());
            assertEquals(List.of("main"), f.blocked());
            assertTrue(f.why().contains("no other thread can run: the live snapshot lists every thread"), f.why());
            assertTrue(f.edges().stream().allMatch(e -> e.certainty() == Certainty.CERTAIN) == tracked, f.edges().toString());
            assertTrue(f.edges().stream().noneMatch(e -> e.thread().equals("main")), "a join is no edge");
            assertEquals(tracked, String.join("\n", f.story()).contains("only live threads that ever took from it"),
                    f.story().toString());
        }
    }

    @Test
    void aThreadThatCouldStillRunLeavesItLikely() {
        Finding f = pipeline("reporter").analyzeLive(facts(true, true, true)).findings().get(0);
        assertEquals("deadlock likely [producer, packer-1, packer-2]", key(f));
        assertTrue(f.missing().get(0).contains("\"reporter\" is not blocked behind these threads"), f.missing().toString());
    }

    @Test
    void finalizersOrUnlistedVirtualThreadsLeaveItLikely() {
        Finding f = pipeline().analyzeLive(facts(true, false, true)).findings().get(0);
        assertEquals("deadlock likely [producer, packer-1, packer-2]", key(f));
        assertTrue(f.missing().get(0).contains("\"Finalizer\" is not blocked"), f.missing().toString());
        f = pipeline().analyzeLive(facts(false, true, true)).findings().get(0);
        assertEquals("deadlock likely [producer, packer-1, packer-2]", key(f));
        assertTrue(f.missing().get(0).contains("every virtual thread"), f.missing().toString());
    }

    @Test
    void aDumpNeverProvesIt() {
        Finding f = pipeline().analyze().findings().get(0);
        assertEquals("deadlock likely [producer, packer-1, packer-2]", key(f));
        assertTrue(f.missing().get(0).contains("knot attach"), f.missing().toString());
    }

    @Test
    void waitForANotifyIsCertainOnlyWhenNobodyElseCanRun() {
        MiniDump d = new MiniDump("25.0.3+9-LTS")
                .thread("cache-reloader", "WAITING (on object monitor)", List.of(
                        "at java.lang.Object.wait(java.base@25.0.3/Native Method)",
                        "- waiting on <app.LoadDone@2> (a app.LoadDone)",
                        "at app.PriceCache.reload(PriceCache.java:38)",
                        "- locked <app.LoadDone@2> (a app.LoadDone)",
                        "- locked <app.PriceCache@1> (a app.PriceCache)"))
                .thread("cache-loader", "BLOCKED (on object monitor)", blockedOn("app.PriceCache@1", "app.PriceCache"));
        Finding f = d.analyzeLive(List.of(new LiveFact(LiveFact.Kind.STATE, LiveFact.JVM, "", LiveFact.ALL_VIRTUAL_THREADS_LISTED)))
                .findings().get(0);
        assertEquals("deadlock certain [cache-reloader, cache-loader]", key(f));
        d.thread("scheduler", "TIMED_WAITING (sleeping)", List.of("at java.lang.Thread.sleep(java.base@25.0.3/Native Method)",
                "at app.Scheduler.run(Scheduler.java:4)"));
        f = d.analyzeLive(List.of(new LiveFact(LiveFact.Kind.STATE, LiveFact.JVM, "", LiveFact.ALL_VIRTUAL_THREADS_LISTED)))
                .findings().get(0);
        assertEquals("deadlock likely [cache-reloader, cache-loader]", key(f));
        assertTrue(f.missing().get(0).startsWith("no tool can say which thread would call notify() on LoadDone"), f.missing().toString());
        assertTrue(f.missing().get(0).contains("\"scheduler\" is not blocked behind"), f.missing().toString());
    }
}
