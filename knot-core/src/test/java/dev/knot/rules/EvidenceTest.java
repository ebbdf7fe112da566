package dev.knot.rules;

import static dev.knot.rules.MiniDump.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knot.findings.Finding;
import dev.knot.findings.Report;
import dev.knot.snapshot.DumpFormat;
import dev.knot.input.DumpReader;
import dev.knot.snapshot.LiveFact;
import dev.knot.snapshot.ThreadDump;
import dev.knot.input.WithoutEvidence;
import dev.knot.findings.Certainty;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * No finding is certain on evidence the input did not carry: each input below has a certain finding resting on one
 * kind of evidence; with that evidence taken out, every finding about its threads is likely and says what is missing,
 * and nothing becomes certain that was not.
 */
public class EvidenceTest {

    /** Asserts the finding about {@code thread} is certain with the evidence and drops to likely (or away) without. */
    public static Report assertDropsWithout(ThreadDump d, WithoutEvidence e, String thread) {
        Report before = Analyzer.analyze(List.of(d));
        Finding b = about(before, thread).stream().findFirst()
                .orElseThrow(() -> new AssertionError("no finding about " + thread + ": " + keys(before)));
        assertEquals(Certainty.CERTAIN, b.certainty(), "with " + e + ": " + key(b));
        Report after = Analyzer.analyze(List.of(e.strip(d)));
        for (Finding f : about(after, thread)) {
            assertEquals(Certainty.LIKELY, f.certainty(), "without " + e + ": " + key(f) + " " + f.why());
            assertFalse(f.missing().isEmpty(), "without " + e + ", " + key(f) + " must say what is missing");
        }
        List<String> certainBefore = keys(before);
        for (Finding f : after.findings()) {
            if (f.certainty() == Certainty.CERTAIN) {
                assertTrue(certainBefore.contains(key(f)), "without " + e + " " + key(f) + " became certain");
            }
        }
        return after;
    }

    static List<Finding> about(Report r, String thread) {
        List<Finding> out = new ArrayList<>();
        for (Finding f : r.findings()) {
            if (f.threads().contains(thread)) out.add(f);
        }
        return out;
    }

    static ThreadDump read(String resource) throws Exception {
        try (InputStream in = EvidenceTest.class.getResourceAsStream("/dumps/" + resource)) {
            return DumpReader.read(resource, in).get(0);
        }
    }

    static ThreadDump read(MiniDump d) throws Exception {
        return DumpReader.read("mini", new ByteArrayInputStream(d.text().getBytes(StandardCharsets.UTF_8))).get(0);
    }

    static ThreadDump live(MiniDump d, List<LiveFact> facts) throws Exception {
        ThreadDump t = read(d);
        return new ThreadDump("pid 1", DumpFormat.LIVE, t.time(), "1", t.jvmVersion(), t.threads(), t.jdkDeadlocks(),
                t.warnings(), facts);
    }

    @Test
    void monitorDeadlockNeedsTheMonitorOwners() throws Exception {
        Report after = assertDropsWithout(read("jdk/jdk17-jstack-l.txt"), WithoutEvidence.MONITOR_OWNERS, "A-mon-1");
        assertFalse(about(after, "A-mon-1").isEmpty(), keys(after).toString());
    }

    @Test
    void lockDeadlockNeedsTheLockOwners() throws Exception {
        Report after = assertDropsWithout(read("jdk/jdk17-jstack-l.txt"), WithoutEvidence.LOCK_OWNERS, "B-rl-1");
        Finding f = about(after, "B-rl-1").get(0);
        assertEquals("deadlock likely [B-rl-1, B-rl-2]", key(f));
        assertTrue(f.missing().get(0).contains("jstack -l"), f.missing().toString());
    }

    @Test
    void orphanedLockNeedsTheLockOwners() throws Exception {
        MiniDump d = new MiniDump("17.0.15+6").thread("orphan-waiter", "WAITING (parking)", lockWait("0x1"));
        assertEquals(List.of("orphaned-lock likely [orphan-waiter]"),
                keys(assertDropsWithout(read(d), WithoutEvidence.LOCK_OWNERS, "orphan-waiter")));
        // a live snapshot that could not read lock owners (no reflection) is no better than jstack without -l
        assertDropsWithout(live(d, List.of(new LiveFact(LiveFact.Kind.STATE, LiveFact.JVM, "",
                LiveFact.ALL_VIRTUAL_THREADS_LISTED))), WithoutEvidence.LOCK_OWNERS, "orphan-waiter");
    }

    @Test
    void holdAndWaitNeedsTheLiveFacts() throws Exception {
        MiniDump d = new MiniDump("25.0.3+9-LTS")
                .thread("cache-reloader", "WAITING (on object monitor)", List.of(
                        "at java.lang.Object.wait(java.base@25.0.3/Native Method)",
                        "- waiting on <app.LoadDone@2> (a app.LoadDone)",
                        "at app.PriceCache.reload(PriceCache.java:38)",
                        "- locked <app.LoadDone@2> (a app.LoadDone)",
                        "- locked <app.PriceCache@1> (a app.PriceCache)"))
                .thread("cache-loader", "BLOCKED (on object monitor)", blockedOn("app.PriceCache@1", "app.PriceCache"));
        assertDropsWithout(live(d, List.of(new LiveFact(LiveFact.Kind.STATE, LiveFact.JVM, "",
                LiveFact.ALL_VIRTUAL_THREADS_LISTED))), WithoutEvidence.LIVE_FACTS, "cache-reloader");
    }

    @Test
    void semaphoreSelfDeadlockNeedsTracking() throws Exception {
        String sem = "java.util.concurrent.Semaphore$NonfairSync@5";
        MiniDump d = new MiniDump("25.0.3+9-LTS").thread("sem-twice", "WAITING (parking)", semaphoreWait(sem));
        Report after = assertDropsWithout(live(d, List.of(
                new LiveFact(LiveFact.Kind.HOLDS, sem, "20", "holds 1 permit, acquired at app.Service.work(Service.java:19)"),
                new LiveFact(LiveFact.Kind.HOLDERS_COMPLETE, sem, "", "tracked since the JVM started"),
                new LiveFact(LiveFact.Kind.STATE, sem, "", "permits available: 0"))), WithoutEvidence.TRACKING, "sem-twice");
        assertTrue(about(after, "sem-twice").get(0).missing().get(0).contains("track"), keys(after).toString());
    }

    @Test
    void semaphoreDeadlockNeedsTracking() throws Exception {
        String a = "java.util.concurrent.Semaphore$NonfairSync@a";
        String b = "java.util.concurrent.Semaphore$NonfairSync@b";
        MiniDump d = new MiniDump("25.0.3+9-LTS")
                .thread("sem-1", "WAITING (parking)", semaphoreWait(b))
                .thread("sem-2", "WAITING (parking)", semaphoreWait(a));
        assertDropsWithout(live(d, List.of(
                new LiveFact(LiveFact.Kind.HOLDS, a, "20", "holds 1 permit"),
                new LiveFact(LiveFact.Kind.HOLDERS_COMPLETE, a, "", "tracked since the JVM started"),
                new LiveFact(LiveFact.Kind.HOLDS, b, "21", "holds 1 permit"),
                new LiveFact(LiveFact.Kind.HOLDERS_COMPLETE, b, "", "tracked since the JVM started"))),
                WithoutEvidence.TRACKING, "sem-1");
    }
}
