package dev.knot.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knot.findings.Finding;
import dev.knot.findings.Report;
import dev.knot.input.DumpReader;
import dev.knot.findings.Certainty;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules on real dumps: HangZoo (many hangs in one JDK 17/25 process, several formats) and dumps from
 * the wild (other JVMs and tools), which must not produce false hangs.
 */
class RealDumpsTest {

    static Report analyze(String resource) throws Exception {
        try (InputStream in = RealDumpsTest.class.getResourceAsStream("/dumps/" + resource)) {
            return Analyzer.analyze(DumpReader.orderByTime(DumpReader.read(resource, in)));
        }
    }

    /** "kind certainty" → threads, for compact assertions. */
    static Map<String, List<String>> byKindAndThreads(Report r) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Finding f : r.findings()) {
            out.put(f.kind().jsonName() + " " + f.certainty().jsonName() + " " + f.threads(), f.threads());
        }
        return out;
    }

    static List<String> keys(Report r) {
        return r.findings().stream().map(f -> f.kind().jsonName() + " " + f.certainty().jsonName() + " " + f.threads())
                .collect(Collectors.toList());
    }

    @Test
    void hangZooJdk25WithLocks() throws Exception {
        assertEquals(List.of(
                "deadlock certain [A-mon-1, A-mon-2]",
                "deadlock certain [B-rl-1, B-rl-2]",
                "self-deadlock likely [C-sem-self]",
                "self-deadlock likely [virtual thread #41]",
                "starvation likely [E-pool-worker-1, E-pool-worker-2]",
                "orphaned-lock likely [G-pt-sync-waiter]"), keys(analyze("jdk/jdk25-jstack-l.txt")));
    }

    @Test
    void queuedBehindAGuessedCycleIsBlockedBehindNotDeadlocked() throws Exception {
        // JSON dumps list no owners of j.u.c locks: each of the 200 threads queued on one of the cycle's locks "may
        // hold" the other, so the group of possible members is 202; the cycle is the 2 that wait at their own lines.
        Report r = analyze("jdk/vtcycle-jdk25-thread-dump-to-file.json");
        assertEquals(List.of("deadlock likely [vt-a, vt-b]"), keys(r));
        Finding f = r.findings().get(0);
        assertEquals(200, f.blocked().size(), f.blocked().toString());
        assertTrue(f.blocked().stream().allMatch(t -> t.startsWith("vt-q")), f.blocked().toString());
    }

    @Test
    void virtualThreadsPinnedInClassInitialisersStarveTheScheduler() throws Exception {
        Report r = analyze("jdk/carriers-pinned-jdk25-thread-dump-to-file.json");
        assertEquals(List.of("starvation likely [vt-rates-request, vt-fees-request]"), keys(r));
        Finding f = r.findings().get(0);
        assertEquals(List.of("vt-cache-warmup"), f.blocked());
        assertTrue(f.summary().startsWith("the virtual-thread scheduler ForkJoinPool-1 is starved: all 2 carrier(s)"), f.summary());
        assertTrue(f.story().get(0).contains("pins carrier \"ForkJoinPool-1-worker-1\": it runs the static initialiser of"
                + " dev.knot.examples.Ex21CarriersPinnedInClassInit$Rates"), f.story().get(0));
    }

    @Test
    void withoutDashLTheLockCycleIsOnlyLikely() throws Exception {
        Report r = analyze("jdk/jdk25-jstack-e.txt");
        Finding b = r.findings().stream().filter(f -> f.threads().contains("B-rl-1")).findFirst().orElseThrow();
        assertEquals(Certainty.LIKELY, b.certainty());
        assertTrue(b.missing().get(0).contains("jstack -l"), b.missing().toString());
        // the monitor cycle needs no -l
        assertEquals(Certainty.CERTAIN, r.findings().get(0).certainty());
    }

    @Test
    void hangZooJdk17() throws Exception {
        assertEquals(List.of(
                "deadlock certain [A-mon-1, A-mon-2]",
                "deadlock certain [B-rl-1, B-rl-2]",
                "self-deadlock likely [C-sem-self]",
                "starvation likely [pool-1-thread-1, pool-1-thread-2]"), keys(analyze("jdk/jdk17-jstack-l.txt")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk/jdk25-thread-dump-to-file.json", "jdk/jdk25-thread-dump-to-file.txt"})
    void hangZooJdk25ThreadDumpToFileShowsTheVirtualThreads(String file) throws Exception {
        List<String> k = keys(analyze(file));
        assertTrue(k.contains("deadlock certain [A-mon-1, A-mon-2]"), k.toString());
        assertTrue(k.contains("deadlock certain [G-vt-mon-1, G-vt-mon-2]"), k.toString());
        // owners of j.u.c locks are not in this format: the four lock waiters form one likely group
        assertTrue(k.contains("deadlock likely [B-rl-1, B-rl-2, G-vt-rl-1, G-vt-rl-2]"), k.toString());
        assertTrue(k.contains("self-deadlock likely [C-sem-self]"), k.toString());
        assertTrue(k.stream().anyMatch(s -> s.startsWith("starvation likely [E-pool-worker-1, E-pool-worker-2]")), k.toString());
        // the virtual thread holding PinMon is visible here, so the waiters are not orphaned
        assertTrue(k.stream().noneMatch(s -> s.startsWith("orphaned-lock")), k.toString());
    }

    @Test
    void afterRetransformUnknownSourceFramesStillWork() throws Exception {
        List<String> k = keys(analyze("jdk/jdk25-jstack-after-retransform.txt"));
        assertTrue(k.contains("deadlock certain [A-mon-1, A-mon-2]"), k.toString());
        assertTrue(k.stream().anyMatch(s -> s.startsWith("deadlock") && s.contains("B-rl-1")), k.toString());
    }

    /** Dumps from production JVMs (Java 5 to 21, HP-UX, VisualVM, IntelliJ): no hang in any of them. */
    @ParameterizedTest
    @ValueSource(strings = {"carrier_stuck.log", "hpdump.log", "intellij_dump.json", "java11dump.log", "java21dump.log",
            "java21dump_utf16.log", "java8dump.log", "jdk11_long_running.log", "jstack_dump.log", "test.log",
            "test64bit.log", "testwithhistogram.log", "urlthread.log", "visualvmremote.log"})
    void noFalseHangsInTheWild(String file) throws Exception {
        Report r = analyze("wild/" + file);
        assertTrue(r.findings().stream().noneMatch(f -> f.kind().hang()), keys(r).toString());
    }

    @Test
    void aCrawlerBlockedOnOneThreadIsContention() throws Exception {
        Report r = analyze("wild/urlthread.log");
        assertEquals(1, r.findings().size(), keys(r).toString());
        Finding f = r.findings().get(0);
        assertEquals("contention", f.kind().jsonName());
        assertTrue(f.threads().get(0).startsWith("ToeThread #18"), f.threads().get(0));
        assertTrue(f.threads().size() > 30, "most crawler threads queue behind it: " + f.threads().size());
    }
}
