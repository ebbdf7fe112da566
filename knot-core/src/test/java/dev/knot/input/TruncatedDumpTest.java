package dev.knot.input;

import static org.junit.jupiter.api.Assertions.*;

import dev.knot.findings.Finding;
import dev.knot.findings.Report;
import dev.knot.rules.Analyzer;
import dev.knot.snapshot.ThreadDump;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real dumps cut at every line of their thread list, and inside lines: each cut is said to be cut off, with what
 * shows it, and no lock is called orphaned in it (the owner's "- locked" line may be what was cut).
 */
class TruncatedDumpTest {

    private static ThreadDump readOne(String source, String text) throws UnreadableInputException {
        List<ThreadDump> dumps = DumpReader.read(source, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, dumps.size(), source);
        return dumps.get(0);
    }

    private static List<String> kinds(Report r) {
        return r.findings().stream().map(f -> f.kind().jsonName() + " " + f.threads()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk/jdk17-jstack-l.txt", "jdk/jdk25-jstack-l.txt", "jdk/jdk25-jstack-e.txt",
            "jdk/tizoo-jdk25-jstack-l.txt", "jdk/jdk25-jstack-after-retransform.txt"})
    void everyCutInTheThreadListIsNoticed(String file) throws Exception {
        String whole = new String(TestDumps.bytes(file), StandardCharsets.UTF_8);
        ThreadDump complete = readOne(file, whole);
        assertFalse(complete.mayBeCutOff(), file + ": the whole dump is complete: " + complete.cutOff());
        int firstThread = whole.indexOf("\n\"") + 1;
        int trailer = whole.indexOf("JNI global refs");
        List<Integer> cuts = new ArrayList<>();
        for (int i = firstThread; i < trailer; i = whole.indexOf('\n', i) + 1) {
            cuts.add(i);                                               // at the start of a line
            int eol = whole.indexOf('\n', i);
            if (eol - i > 8) cuts.add(i + (eol - i) / 2);                // in the middle of it
        }
        assertTrue(cuts.size() > 300, "" + cuts.size());
        List<String> missed = new ArrayList<>();
        int analysed = 0;
        for (int k = 0; k < cuts.size(); k++) {
            int cut = cuts.get(k);
            String text = whole.substring(0, cut);
            if (text.indexOf("\n\"", firstThread - 1) < 0 && !text.substring(firstThread).startsWith("\"")) continue;
            ThreadDump d;
            try {
                d = readOne(file + "@" + cut, text);
            } catch (UnreadableInputException e) {
                continue; // cut inside the first header: nothing to read, and said so
            }
            if (!d.mayBeCutOff()) {
                missed.add(cut + ": " + text.substring(Math.max(0, text.length() - 60)).replace("\n", "\\n"));
                continue;
            }
            assertTrue(d.warnings().stream().anyMatch(w -> w.contains("; the dump looks cut off: ")), d.warnings().toString());
            if (k % 4 == 0) {
                analysed++;
                Report r = Analyzer.analyze(List.of(d));
                assertTrue(r.findings().stream().noneMatch(f -> f.kind().jsonName().equals("orphaned-lock")),
                        file + "@" + cut + ": " + kinds(r));
                assertTrue(r.warnings().stream().anyMatch(w -> w.contains("the dump looks cut off")), r.warnings().toString());
            }
        }
        assertEquals(List.of(), missed, file + ": cuts not noticed");
        assertTrue(analysed > 50, "" + analysed);
    }

    /**
     * Layouts without a thread count: jstack of JDK 6 and 8 (every Java thread has a state or a stack, and the JVM
     * prints its VM threads and a trailer after them), jcmd Thread.dump_to_file text and ThreadInfo text (each
     * thread ends with a blank line). Every cut inside the Java threads is noticed, except one that falls exactly
     * after a thread's closing blank line in the layouts that print nothing after their threads: nothing in the
     * text tells such a cut from the end (the jcmd text layout has no count, no trailer and no owners).
     */
    @ParameterizedTest
    @ValueSource(strings = {"wild/urlthread.log", "wild/java8dump.log", "jdk/jdk25-thread-dump-to-file.txt",
            "jdk/tizoo-jdk25-thread-dump-to-file.txt", "jdk/tizoo-jdk25-threadinfo-tostring.txt",
            "jdk/tizoo-jdk17-actuator.txt", "jdk/tizoo-jdk25-actuator.txt"})
    void cutsOfLayoutsWithoutACountAreNoticed(String file) throws Exception {
        String whole = new String(TestDumps.bytes(file), StandardCharsets.UTF_8);
        assertFalse(readOne(file, whole).mayBeCutOff(), file);
        boolean hotspot = file.startsWith("wild/");
        int firstThread = whole.indexOf(hotspot ? "\n\"" : "\n\n") + 1;
        int endOfJavaThreads = hotspot ? whole.indexOf("\n\"VM Thread\"") : whole.length() - 1;
        List<String> missed = new ArrayList<>();
        int checked = 0;
        for (int i = whole.indexOf('\n', firstThread + 1) + 1; i > 0 && i < endOfJavaThreads; i = whole.indexOf('\n', i) + 1) {
            int eol = whole.indexOf('\n', i);
            for (int cut : new int[] {i, i + Math.max(1, (eol - i) / 2)}) {
                if (cut >= endOfJavaThreads) continue;
                String text = whole.substring(0, cut);
                boolean afterBlankLine = text.endsWith("\n\n") || text.endsWith("\n\r\n");
                if (!hotspot && afterBlankLine) continue;
                ThreadDump d;
                try {
                    d = DumpReader.read(file, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))).get(0);
                } catch (UnreadableInputException e) {
                    continue;
                }
                checked++;
                if (!d.mayBeCutOff()) missed.add(cut + ": ..." + text.substring(Math.max(0, text.length() - 50)).replace("\n", "\\n"));
            }
        }
        assertTrue(checked > 50, "" + checked);
        assertEquals(List.of(), missed, file + ": cuts not noticed");
    }

    @Test
    void aThreadInfoWaiterNamingAMissingOwnerMarksTheDumpCut() throws Exception {
        // "rl-1" waits for the lock "owned by "rl-2"": drop rl-2 (whole, at a blank line) and the owner is known missing
        String whole = new String(TestDumps.bytes("jdk/tizoo-jdk25-threadinfo-tostring.txt"), StandardCharsets.UTF_8);
        int rl2 = whole.indexOf("\n\"rl-2\" ") + 1;
        String text = whole.substring(0, rl2) + whole.substring(whole.indexOf("\n\n", rl2) + 2);
        ThreadDump d = readOne("ti", text);
        assertTrue(d.cutOff().contains("waits for a lock owned by \"rl-2\", which is not in the input"), d.cutOff());
        List<String> found = kinds(Analyzer.analyze(List.of(d)));
        assertTrue(found.stream().noneMatch(k -> k.startsWith("orphaned-lock")), found.toString());
    }

    @Test
    void aDeadlockReportCutInsideAnEntryIsCutOff() throws Exception {
        String report = new String(TestDumps.bytes("pasted/traccar-1428.txt"), StandardCharsets.UTF_8);
        // cut after "New I/O worker #7"'s wait, before its "which is held by"
        String text = report.substring(0, report.indexOf("  which is held by \"Hashed wheel timer #1\""));
        ThreadDump d = readOne("t", text);
        assertTrue(d.cutOff().contains("the JVM's deadlock report stops inside the entry of \"New I/O worker #7\""), d.cutOff());
        List<String> found = kinds(Analyzer.analyze(List.of(d)));
        assertTrue(found.stream().noneMatch(k -> k.startsWith("orphaned-lock")), found.toString());
    }

    @Test
    void theCutOwnerIsNotCalledAnOrphan() throws Exception {
        // A-mon-1 waits for the monitor A-mon-2 holds; cut A-mon-2 off right after its state line, before "- locked"
        String whole = new String(TestDumps.bytes("jdk/jdk25-jstack-l.txt"), StandardCharsets.UTF_8);
        int a2 = whole.indexOf("\"A-mon-2\" #");
        String text = whole.substring(0, whole.indexOf('\n', whole.indexOf("java.lang.Thread.State", a2)) + 1);
        ThreadDump cut = readOne("cut.txt", text);
        assertTrue(cut.mayBeCutOff());
        assertTrue(cut.cutOff().contains("counts 25 Java threads, 12 are in the input"), cut.cutOff());
        assertTrue(cut.cutOff().contains("no \"JNI global refs\" line ends the thread list"), cut.cutOff());
        List<String> found = kinds(Analyzer.analyze(List.of(cut)));
        assertTrue(found.stream().noneMatch(k -> k.startsWith("orphaned-lock")), found.toString());

        // the same threads without the mark: the rule would call A-mon-1's monitor orphaned (what the mark prevents)
        ThreadDump unmarked = new ThreadDump(cut.source(), cut.format(), cut.time(), cut.processId(), cut.jvmVersion(),
                cut.threads(), cut.jdkDeadlocks(), List.of(), cut.facts(), "");
        List<String> without = kinds(Analyzer.analyze(List.of(unmarked)));
        assertTrue(without.stream().anyMatch(k -> k.startsWith("orphaned-lock") && k.contains("A-mon-1")), without.toString());
    }

    @Test
    void whatIsMissingIsSaid() throws Exception {
        String whole = new String(TestDumps.bytes("jdk/jdk25-jstack-l.txt"), StandardCharsets.UTF_8);
        int b1 = whole.indexOf("\"B-rl-1\" #");
        // mid-line
        ThreadDump mid = readOne("m", whole.substring(0, whole.indexOf("ReentrantLock.lock", b1) + 10));
        assertTrue(mid.cutOff().contains("the input stops in the middle of a line of the last thread, \"B-rl-1\""), mid.cutOff());
        // after the header, before the state line
        ThreadDump header = readOne("h", whole.substring(0, whole.indexOf('\n', b1) + 1));
        assertTrue(header.cutOff().contains("the last thread, \"B-rl-1\", stops before its java.lang.Thread.State line"),
                header.cutOff());
        // after the frames, before "Locked ownable synchronizers" (jstack -l)
        ThreadDump frames = readOne("f", whole.substring(0, whole.indexOf("   Locked ownable synchronizers", b1)));
        assertTrue(frames.cutOff().contains("the last thread, \"B-rl-1\", stops before its \"Locked ownable synchronizers\""),
                frames.cutOff());
        // the thread list whole, the trailer and the deadlock report cut: nothing is missing, no warning
        ThreadDump listWhole = readOne("w", whole.substring(0, whole.indexOf("Found one Java-level deadlock") + 10));
        assertFalse(listWhole.mayBeCutOff(), listWhole.cutOff());
    }

    @Test
    void aDumpCutBeforeItsFirstThreadSaysSo() {
        String whole = new String(TestDumps.bytes("jdk/jdk25-jstack-l.txt"), StandardCharsets.UTF_8);
        String text = whole.substring(0, whole.indexOf("0x00007fb0280b9990"));
        UnreadableInputException e = assertThrows(UnreadableInputException.class, () -> readOne("early", text));
        assertTrue(e.getMessage().startsWith("early: not a thread dump: "), e.getMessage());
        assertTrue(e.getMessage().contains("cut off before its first thread"), e.getMessage());
    }

    @Test
    void jsonEndingEarlyIsCutOff() throws Exception {
        for (String f : List.of("jdk/jdk25-thread-dump-to-file.json", "jdk/tizoo-jdk25-actuator.json")) {
            byte[] json = TestDumps.bytes(f);
            ThreadDump d = DumpReader.read(f, new ByteArrayInputStream(Arrays.copyOf(json, json.length * 2 / 3))).get(0);
            assertTrue(d.mayBeCutOff(), f);
            assertTrue(d.cutOff().startsWith("truncated JSON at line "), d.cutOff());
            Report r = Analyzer.analyze(List.of(d));
            for (Finding x : r.findings()) assertNotEquals("orphaned-lock", x.kind().jsonName(), f);
            assertFalse(DumpReader.read(f, new ByteArrayInputStream(json)).get(0).mayBeCutOff(), f);
        }
    }
}
