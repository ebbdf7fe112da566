package dev.knot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a user sees it: output, exit codes, errors. Runs {@link Main#run} with captured streams. */
class AnalyzeCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static synchronized Run knot(InputStream stdin, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        InputStream oldIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            if (stdin != null) System.setIn(stdin);
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
        }
    }

    static Run knot(String... args) {
        return knot(null, args);
    }

    Path resource(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    /** A big file analysed while the command line is parsed gives the same report as one analysed afterwards. */
    @Test
    void aBigInputAnalysedEarlyGivesTheSameReport() throws Exception {
        String one = Files.readString(resource("jdk25-jstack-l.txt"));
        int firstThread = one.indexOf("\n\"") + 1;
        StringBuilder big = new StringBuilder(one);
        for (int i = 0; big.length() <= AnalyzeCommand.PROGRESS_THRESHOLD_BYTES; i++) {
            big.append(one.substring(firstThread).replace("\"A-mon-", "\"A" + i + "-mon-"));
        }
        Path file = dir.resolve("big.txt");
        Files.writeString(file, big);
        String[] args = {"analyze", "--format", "json", file.toString()};
        Run late = knot(args);
        AnalyzeCommand.Early.start(args);
        Run early = knot(args);
        assertEquals(ExitCodes.HANG, late.exit(), late.err());
        assertEquals(late, early);
        assertEquals(null, AnalyzeCommand.Early.take(file.toString()), "handed out once");

        Path small = resource("jdk17-jstack-l.txt");
        AnalyzeCommand.Early.start(new String[] {"analyze", file.toString(), small.toString()});
        assertEquals(null, AnalyzeCommand.Early.take(file.toString()), "two inputs: analysed together, later");

        Files.writeString(file, "\u0000".repeat((int) AnalyzeCommand.PROGRESS_THRESHOLD_BYTES + 1));
        Run lateError = knot("analyze", file.toString());
        AnalyzeCommand.Early.start(new String[] {"analyze", file.toString()});
        Run earlyError = knot("analyze", file.toString());
        assertEquals(ExitCodes.UNREADABLE_INPUT, lateError.exit(), lateError.err());
        assertEquals(lateError, earlyError);
    }

    @Test
    void textReportOnAHungProcessExitsWithTheHangCode() throws IOException {
        Run r = knot("analyze", "--color", "never", resource("jdk25-jstack-l.txt").toString());
        assertEquals(ExitCodes.HANG, r.exit(), r.err());
        assertTrue(r.out().contains("DEADLOCK (certain)"), r.out());
        assertTrue(r.out().contains("\"A-mon-1\" holds HangZoo$MonA1 <0x000000069ed01ff0>"), r.out());
        assertTrue(r.out().contains("Fix:"), r.out());
        assertFalse(r.out().contains("\u001b["), "no colours when not asked and not a terminal");
    }

    @Test
    void colourOnlyWhenAsked() throws IOException {
        Run r = knot("analyze", "--color", "always", resource("jdk25-jstack-l.txt").toString());
        assertTrue(r.out().contains("\u001b[1;31m"), r.out());
    }

    @Test
    void jsonSchema() throws IOException {
        Run r = knot("analyze", "--format", "json", resource("jdk25-jstack-l.txt").toString());
        assertEquals(ExitCodes.HANG, r.exit(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals("knot-report", root.get("schema").asText());
        assertEquals(2, root.get("version").asInt());
        assertTrue(root.get("hang").asBoolean());
        assertEquals("jstack", root.get("inputs").get(0).get("format").asText());
        Set<String> kinds = new HashSet<>();
        for (JsonNode f : root.get("findings")) {
            kinds.add(f.get("kind").asText());
            assertTrue(Set.of("certain", "likely").contains(f.get("certainty").asText()));
            assertTrue(f.get("threads").size() > 0);
            assertFalse(f.get("summary").asText().isEmpty());
            for (JsonNode e : f.get("edges")) {
                assertTrue(Set.of("waits-for", "held-by", "can-be-released-by").contains(e.get("relation").asText()), e.toString());
                assertTrue(e.get("evidence").size() > 0, e.toString());
            }
        }
        assertTrue(Set.of("deadlock", "self-deadlock", "starvation", "orphaned-lock", "contention", "stall", "blocking-io").containsAll(kinds));
        assertTrue(kinds.containsAll(List.of("deadlock", "self-deadlock", "starvation", "orphaned-lock")), kinds.toString());
        JsonNode first = root.get("findings").get(0);
        assertEquals("deadlock", first.get("kind").asText());
        assertEquals("[\"A-mon-1\",\"A-mon-2\"]", first.get("threads").toString());
    }

    @Test
    void htmlIsOneEscapedPage() throws IOException {
        Run r = knot("analyze", "--format", "html", resource("jdk25-jstack-l.txt").toString());
        assertEquals(ExitCodes.HANG, r.exit(), r.err());
        assertTrue(r.out().startsWith("<!DOCTYPE html>"), r.out());
        assertTrue(r.out().strip().endsWith("</html>"));
        assertTrue(r.out().contains("HangZoo$MonA1 &lt;0x000000069ed01ff0&gt;"), "escaped");
        assertFalse(r.out().contains("<0x"), "nothing from the dump is interpreted as markup");
        assertFalse(r.out().contains("<script"), "self-contained and inert");
        assertEquals(6, r.out().split("class=\"f hang\"", -1).length - 1, "one block per hang finding");
    }

    @Test
    void healthyDumpExitsZero() throws IOException {
        String healthy = "2026-11-21 23:04:36\nFull thread dump OpenJDK 64-Bit Server VM (25.0.3+9-LTS mixed mode, sharing):\n\n"
                + "\"pool-1-thread-1\" #21 [7459] prio=5 os_prio=0 cpu=0.30ms elapsed=2.35s tid=0x1 nid=7459 waiting on condition  [0x1]\n"
                + "   java.lang.Thread.State: WAITING (parking)\n"
                + "\tat jdk.internal.misc.Unsafe.park(java.base@25.0.3/Native Method)\n"
                + "\t- parking to wait for  <0x000000069ed1bbe0> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)\n"
                + "\tat java.util.concurrent.locks.LockSupport.park(java.base@25.0.3/LockSupport.java:223)\n"
                + "\tat java.util.concurrent.LinkedBlockingQueue.take(java.base@25.0.3/LinkedBlockingQueue.java:435)\n"
                + "\tat java.util.concurrent.ThreadPoolExecutor.getTask(java.base@25.0.3/ThreadPoolExecutor.java:1070)\n"
                + "\tat java.util.concurrent.ThreadPoolExecutor.runWorker(java.base@25.0.3/ThreadPoolExecutor.java:1130)\n\n";
        Path p = Files.writeString(dir.resolve("healthy.txt"), healthy);
        Run r = knot("analyze", p.toString());
        assertEquals(ExitCodes.OK, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("No hang found."), r.out());
    }

    @Test
    void readsStandardInputAndGzip() throws IOException {
        byte[] text = Files.readAllBytes(resource("jdk17-jstack-l.txt"));
        Run fromStdin = knot(new ByteArrayInputStream(text), "analyze", "-");
        assertEquals(ExitCodes.HANG, fromStdin.exit(), fromStdin.err());
        assertTrue(fromStdin.out().contains("<stdin>"), fromStdin.out());

        Path gz = dir.resolve("dump.txt.gz");
        try (GZIPOutputStream z = new GZIPOutputStream(Files.newOutputStream(gz))) {
            z.write(text);
        }
        Run fromGzip = knot("analyze", gz.toString());
        assertEquals(ExitCodes.HANG, fromGzip.exit(), fromGzip.err());
        assertEquals(fromStdin.out().replace("<stdin>", gz.toString()), fromGzip.out());
    }

    @Test
    void severalFilesOfOneProcessAreComparedForStalls() throws IOException {
        Path a = resource("jdk25-jstack-l.txt");
        // the same process a minute later: bump the timestamp, nothing moved
        String later = Files.readString(a).replaceFirst("2026-11-21 23:04:36", "2026-11-21 23:05:36");
        Path b = Files.writeString(dir.resolve("later.txt"), later);
        Run r = knot("analyze", "--format", "json", b.toString(), a.toString());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(2, root.get("inputs").size());
        assertEquals(a.toString(), root.get("inputs").get(0).get("source").asText(), "ordered by time, not by argument");
        Set<String> stalled = new HashSet<>();
        for (JsonNode f : root.get("findings")) {
            if (f.get("kind").asText().equals("stall")) f.get("threads").forEach(t -> stalled.add(t.asText()));
        }
        // HangZoo (d) and (f): a producer on a full queue, its consumer on a latch, a join on a future nobody completes
        assertEquals(Set.of("D-producer", "D-consumer", "F-cf-join"), stalled, r.out());
    }

    @Test
    void badInputGetsOneLineErrorsAndTheUnreadableCode() throws IOException {
        Path empty = Files.write(dir.resolve("empty.txt"), new byte[0]);
        Path binary = Files.write(dir.resolve("core.bin"), new byte[] {0x7f, 'E', 'L', 'F', 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 9, 9});
        Path prose = Files.writeString(dir.resolve("notes.txt"), "this is not a thread dump\njust some notes\n");
        for (Path p : List.of(empty, binary, prose, dir.resolve("missing.txt"), dir)) {
            Run r = knot("analyze", p.toString());
            assertEquals(ExitCodes.UNREADABLE_INPUT, r.exit(), p + ": " + r.err());
            String err = r.err().strip();
            assertFalse(err.contains("\n"), "one line: " + err);
            assertTrue(err.startsWith("knot: " + p), err);
            assertFalse(err.contains("Exception") || err.contains("\tat "), err);
            assertEquals("", r.out());
        }
    }

    @Test
    void dumpsOfDifferentProcessesAreAnalysedApartWithAWarning() throws IOException {
        Path a = resource("jdk17-jstack-l.txt");
        Path b = resource("jdk25-jstack-l.txt");
        Run r = knot("analyze", "--format", "json", a.toString(), b.toString());
        assertEquals(ExitCodes.HANG, r.exit(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(2, root.get("inputs").size());
        String first = root.get("warnings").get(0).asText();
        assertTrue(first.startsWith("the inputs come from 2 different processes") && first.contains("[" + a + "]")
                && first.contains("[" + b + "]"), first);
        Run alone17 = knot("analyze", "--format", "json", a.toString());
        Run alone25 = knot("analyze", "--format", "json", b.toString());
        int apart = new ObjectMapper().readTree(alone17.out()).get("findings").size()
                + new ObjectMapper().readTree(alone25.out()).get("findings").size();
        assertEquals(apart, root.get("findings").size(), "each process's findings, as if analysed alone");
        for (JsonNode f : root.get("findings")) assertFalse(f.get("kind").asText().equals("stall"), "no stall across processes");

        Path again = Files.copy(b, dir.resolve("again.txt"));
        Run same = knot("analyze", "--format", "json", b.toString(), again.toString());
        for (JsonNode w : new ObjectMapper().readTree(same.out()).get("warnings")) {
            assertFalse(w.asText().contains("different processes"), w.asText());
        }
    }

    @Test
    void jsonConsumersGetADocumentEvenWhenNothingCouldBeRead() throws IOException {
        Path prose = Files.writeString(dir.resolve("notes.txt"), "this is not a thread dump\njust some notes\n");
        Run r = knot("analyze", "--format", "json", prose.toString(), dir.resolve("missing.txt").toString());
        assertEquals(ExitCodes.UNREADABLE_INPUT, r.exit(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals("knot-report", root.get("schema").asText());
        assertFalse(root.get("hang").asBoolean());
        assertEquals(0, root.get("inputs").size());
        assertEquals(0, root.get("findings").size());
        List<String> warnings = new ArrayList<>();
        root.get("warnings").forEach(w -> warnings.add(w.asText()));
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith(prose.toString()) && warnings.get(1).contains("no such file"), warnings.toString());
        assertEquals(2, r.err().strip().split("\n").length, "still one line per input on stderr: " + r.err());

        Run partial = knot("analyze", "--format", "json", resource("jdk17-jstack-l.txt").toString(), prose.toString());
        assertEquals(ExitCodes.HANG, partial.exit());
        JsonNode p = new ObjectMapper().readTree(partial.out());
        assertEquals(1, p.get("inputs").size());
        assertTrue(p.get("warnings").get(0).asText().startsWith(prose.toString()), partial.out());
    }

    @Test
    void aBadFileAmongGoodOnesIsReportedAndTheRestAnalysed() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.txt"), "garbage\n");
        Run r = knot("analyze", resource("jdk17-jstack-l.txt").toString(), bad.toString());
        assertEquals(ExitCodes.HANG, r.exit());
        assertTrue(r.err().startsWith("knot: " + bad), r.err());
        assertTrue(r.out().contains("DEADLOCK"), r.out());
    }

    @Test
    void usageErrors() {
        assertEquals(ExitCodes.USAGE, knot("analyze").exit());
        assertEquals(ExitCodes.USAGE, knot("analyze", "--format", "xml", "x").exit());
        assertEquals(ExitCodes.USAGE, knot("frobnicate").exit());
        Run help = knot("analyze", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("Exit codes"), help.out());
    }
}
