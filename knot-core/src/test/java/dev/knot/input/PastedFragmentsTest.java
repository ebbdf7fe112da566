package dev.knot.input;

import static org.junit.jupiter.api.Assertions.*;

import dev.knot.findings.Finding;
import dev.knot.findings.Report;
import dev.knot.rules.Analyzer;
import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.ThreadDump;
import dev.knot.snapshot.ThreadState;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The JVM's "Found one Java-level deadlock" report read on its own (dumps/pasted, real pastes from bug reports):
 * the threads it names become threads of the dump with the waits and holds it states, so the ordinary model and
 * rules find the deadlock it reports, `certain`, naming its threads.
 */
class PastedFragmentsTest {

    /** file → the deadlocks expected, as "kind certainty [threads]", and the threads stuck behind them. */
    static final Map<String, List<String>> EXPECTED = Map.ofEntries(
            Map.entry("aprof-3.txt", List.of("deadlock certain [ZipFileCache Dispose, AWT-EventQueue-0]")),
            Map.entry("chronicle-network-93.txt", List.of("deadlock certain [main/queue-cluster-2-core-event-loop, main]")),
            Map.entry("dolphinscheduler-7448.txt", List.of(
                    "deadlock certain [TaskLogInfo-544612_5942967, Worker-Execute-Thread] behind [DolphinScheduler connection adder]")),
            Map.entry("traccar-1428.txt", List.of(
                    "deadlock certain [New I/O worker #7, Hashed wheel timer #1] behind [qtp29252998-35, qtp29252998-962]")),
            Map.entry("glowroot-264.txt", List.of("deadlock certain [Glowroot-Aggregate-Processing, Glowroot-Gauge-Flushing]")),
            Map.entry("jajuk-847.txt", List.of("deadlock certain [Thread-80, AWT-EventQueue-1] behind [Thread-88]")),
            Map.entry("craftercms-7319.txt", List.of("deadlock certain [studioTaskExecutor-1, http-nio-8080-exec-3]")),
            Map.entry("cosmic-194.txt", List.of(
                    "deadlock certain [nioEventLoopGroup-11-2, TimerManager-Worker-3] behind [TimerManager-Worker-1]")),
            Map.entry("jdk17-report-without-stacks.txt", List.of("deadlock certain [A-mon-1, A-mon-2]",
                    "deadlock certain [B-rl-1, B-rl-2]")),
            Map.entry("jdk25-report-with-stacks.txt", List.of("deadlock certain [A-mon-1, A-mon-2]",
                    "deadlock certain [B-rl-1, B-rl-2]")));

    static List<String> files() {
        return EXPECTED.keySet().stream().sorted().toList();
    }

    static List<String> outcome(Report r) {
        List<String> out = new ArrayList<>();
        for (Finding f : r.findings()) {
            List<String> behind = f.blocked().stream().sorted().toList();
            out.add(f.kind().jsonName() + " " + f.certainty().jsonName() + " " + f.threads()
                    + (behind.isEmpty() ? "" : " behind " + behind));
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("files")
    void eachPasteIsTheDeadlockTheJvmReported(String file) throws Exception {
        List<ThreadDump> dumps = TestDumps.read("pasted/" + file);
        assertEquals(1, dumps.size(), file);
        Report r = Analyzer.analyze(dumps);
        assertEquals(EXPECTED.get(file), outcome(r), file);
        // and it says that the rest of the process is not in the input
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("known only from the JVM's \"Found one Java-level deadlock\""
                + " report")), r.warnings().toString());
    }

    @Test
    void everyPasteHasAnExpectation() {
        List<String> onDisk = new ArrayList<>();
        for (var p : TestDumps.all()) {
            String rel = TestDumps.root().relativize(p).toString().replace('\\', '/');
            if (rel.startsWith("pasted/")) onDisk.add(rel.substring("pasted/".length()));
        }
        assertEquals(files(), onDisk.stream().sorted().toList());
    }

    @Test
    void theReportsStacksAreUsedAndHoldsComeFromTheOtherEntries() throws Exception {
        ThreadDump d = TestDumps.readOne("pasted/jdk25-report-with-stacks.txt");
        DumpedThread a1 = thread(d, "A-mon-1");
        assertEquals(ThreadState.BLOCKED, a1.state());
        assertEquals("HangZoo.lambda$main$0", a1.frames().get(0).qualifiedMethod(), "the report's own stack");
        assertEquals(List.of("WAITING_TO_LOCK 0x000000069ed02828", "LOCKED 0x000000069ed01ff0"), locks(a1));
        DumpedThread b2 = thread(d, "B-rl-2");
        assertEquals(ThreadState.WAITING, b2.state());
        assertEquals("jdk.internal.misc.Unsafe.park", b2.frames().get(0).qualifiedMethod());
        // "B-rl-1 … waiting for ownable synchronizer 0x…bbe0 … which is held by B-rl-2"
        assertEquals(List.of("0x000000069ed1bbe0"), b2.ownableSynchronizers().stream().map(o -> o.id()).toList());
        assertEquals(List.of(List.of("A-mon-1", "A-mon-2"), List.of("B-rl-1", "B-rl-2")), d.jdkDeadlocks());
    }

    @Test
    void withoutStacksEachThreadGetsAFrameCitingTheReport() throws Exception {
        ThreadDump d = TestDumps.readOne("pasted/aprof-3.txt");
        DumpedThread z = thread(d, "ZipFileCache Dispose");
        assertEquals(List.of("WAITING_TO_LOCK 0x1af6bc50", "LOCKED 0x1f7db2c8"), locks(z));
        assertEquals("JVM.deadlockReport(line 3 of the input)", z.frames().get(0).location());
        assertTrue(z.frames().get(0).locks().get(0).text().contains("which is held by \"AWT-EventQueue-0\""),
                z.frames().get(0).locks().get(0).text());
        assertEquals(3, z.lineNumber());
    }

    @Test
    void aWholeDumpGainsNoThreadsFromItsReport() throws Exception {
        // the thread list already has every thread the reports name: nothing is added, no warning
        for (String f : List.of("jdk/jdk25-jstack-l.txt", "jdk/jdk17-jstack-l.txt", "jdk/tizoo-jdk25-jstack-l.txt")) {
            ThreadDump d = TestDumps.readOne(f);
            assertTrue(d.threads().stream().noneMatch(t -> t.headerLine().endsWith("\":")), f);
            assertTrue(d.warnings().stream().noneMatch(w -> w.contains("known only from")), f + ": " + d.warnings());
            assertFalse(d.jdkDeadlocks().isEmpty(), f);
        }
    }

    @Test
    void aReportAfterACutThreadListAddsOnlyTheMissingThreads() throws Exception {
        // the list holds A-mon-1 (with its own stack and state); A-mon-2 is only in the report
        String whole = new String(TestDumps.bytes("jdk/jdk25-jstack-l.txt"), StandardCharsets.UTF_8);
        int a1 = whole.indexOf("\"A-mon-1\" #");
        int a1End = whole.indexOf("\n\n", whole.indexOf("Locked ownable synchronizers", a1));
        int report = whole.indexOf("Found one Java-level deadlock");
        String text = whole.substring(0, whole.indexOf("\n\n", whole.indexOf("SMR info")) + 2)
                + whole.substring(a1, a1End + 2) + "\n" + whole.substring(report);
        ThreadDump d = DumpReader.read("mixed", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))).get(0);
        List<String> names = d.threads().stream().map(DumpedThread::name).toList();
        assertEquals(List.of("A-mon-1", "A-mon-2", "B-rl-1", "B-rl-2"), names);
        assertTrue(thread(d, "A-mon-1").headerLine().startsWith("\"A-mon-1\" #"), "the listed thread is kept as listed");
        assertEquals(List.of("deadlock certain [A-mon-1, A-mon-2]", "deadlock certain [B-rl-1, B-rl-2]"),
                outcome(Analyzer.analyze(List.of(d))));
    }

    @Test
    void aReportInsideALogOrMarkdownIsStillRead() throws Exception {
        String report = new String(TestDumps.bytes("pasted/jdk17-report-without-stacks.txt"), StandardCharsets.UTF_8);
        String log = NotADumpTest.applicationLog(new java.util.Random(5), 300);
        for (String wrapped : List.of(log + report + log, "```\n" + report + "```\n",
                "2026-11-21 10:00:00 ERROR watchdog - " + report)) {
            ThreadDump d = DumpReader.read("w", new ByteArrayInputStream(wrapped.getBytes(StandardCharsets.UTF_8))).get(0);
            assertEquals(List.of("deadlock certain [A-mon-1, A-mon-2]", "deadlock certain [B-rl-1, B-rl-2]"),
                    outcome(Analyzer.analyze(List.of(d))));
        }
    }

    @Test
    void aReportCutInsideAnEntryGivesNoFalseCycle() throws Exception {
        String report = new String(TestDumps.bytes("pasted/aprof-3.txt"), StandardCharsets.UTF_8);
        String cut = report.substring(0, report.indexOf("  which is held by \"ZipFileCache Dispose\""));
        ThreadDump d = DumpReader.read("cut", new ByteArrayInputStream(cut.getBytes(StandardCharsets.UTF_8))).get(0);
        Report r = Analyzer.analyze(List.of(d));
        assertTrue(r.findings().stream().noneMatch(f -> f.kind().jsonName().equals("deadlock")), outcome(r).toString());
    }

    @Test
    void anOwnerTheJvmCouldNotFindIsNoCutAndNoCycle() throws Exception {
        // HotSpot prints "UNKNOWN_owner_addr=…" when the owner of a monitor is not among its threads
        String text = """
                Found one Java-level deadlock:
                =============================
                "worker-1":
                  waiting to lock monitor 0x00007f1c3c003f08 (object 0x000000071a8b2c40, a java.lang.Object),
                  which is held by UNKNOWN_owner_addr=0x00007f1c50012345

                Found 1 deadlock.
                """;
        ThreadDump d = DumpReader.read("u", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))).get(0);
        assertEquals(List.of("worker-1"), d.threads().stream().map(DumpedThread::name).toList());
        assertFalse(d.mayBeCutOff(), d.cutOff());
        assertEquals(List.of("WAITING_TO_LOCK 0x000000071a8b2c40"), locks(thread(d, "worker-1")));
        assertTrue(outcome(Analyzer.analyze(List.of(d))).stream().noneMatch(o -> o.startsWith("deadlock")));
    }

    private static DumpedThread thread(ThreadDump d, String name) {
        return d.threads().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no thread " + name));
    }

    private static List<String> locks(DumpedThread t) {
        List<String> out = new ArrayList<>();
        for (var f : t.frames()) {
            for (LockLine l : f.locks()) out.add(l.action() + " " + l.object().id());
        }
        return out;
    }
}
