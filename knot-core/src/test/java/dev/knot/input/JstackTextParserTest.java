package dev.knot.input;

import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.ObjectRef;
import dev.knot.snapshot.StackFrame;
import dev.knot.snapshot.ThreadDump;
import dev.knot.snapshot.ThreadState;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JstackTextParserTest {

    static String resource(String path) throws IOException {
        try (InputStream in = JstackTextParserTest.class.getResourceAsStream("/dumps/" + path)) {
            assertNotNull(in, path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static DumpedThread thread(ThreadDump d, String name) {
        return d.threads().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no thread " + name));
    }

    private static String parked(String name, int tid, String lockedAt) {
        return "\"" + name + "\" #" + tid + " prio=5 os_prio=0 tid=0x" + tid + " nid=0x" + tid + " waiting on condition\n"
                + "   java.lang.Thread.State: WAITING (parking)\n"
                + "\tat jdk.internal.misc.Unsafe.park(java.base@17/Native Method)\n"
                + "\tat java.util.concurrent.locks.LockSupport.park(java.base@17/LockSupport.java:341)\n"
                + "\tat com.example.Worker.loop(Worker.java:12)\n"
                + (lockedAt == null ? "" : "\t- locked <" + lockedAt + "> (a java.lang.Object)\n")
                + "\tat java.lang.Thread.run(java.base@17/Thread.java:840)\n\n";
    }

    @Test
    void threadsWithTheSameFramesShareOneStack() {
        String text = "Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode):\n\n"
                + parked("a", 11, null) + parked("b", 12, null) + parked("c", 13, "0x00000006a0000000")
                + parked("d", 14, "0x00000006a0000000");
        ThreadDump d = JstackTextParser.parse("x", text).get(0);
        List<StackFrame> a = thread(d, "a").frames();
        assertEquals(4, a.size());
        assertSame(a, thread(d, "b").frames(), "same frames, one list");
        assertNotSame(a, thread(d, "c").frames(), "a frame with a lock line is another stack");
        assertEquals("0x00000006a0000000", thread(d, "c").frames().get(2).locks().get(0).object().id());
        assertEquals(thread(d, "c").frames(), thread(d, "d").frames());
        assertThrows(UnsupportedOperationException.class, () -> a.add(a.get(0)));
    }

    @Test
    void jdk25JstackL() throws IOException {
        List<ThreadDump> dumps = JstackTextParser.parse("x", resource("jdk/jdk25-jstack-l.txt"));
        assertEquals(1, dumps.size());
        ThreadDump d = dumps.get(0);
        assertEquals("25.0.3+9-LTS", d.jvmVersion());
        assertNotNull(d.time());
        assertTrue(d.listsOwnableSynchronizers());
        assertEquals(List.of(List.of("A-mon-1", "A-mon-2"), List.of("B-rl-1", "B-rl-2")), d.jdkDeadlocks());

        DumpedThread a1 = thread(d, "A-mon-1");
        assertEquals(ThreadState.BLOCKED, a1.state());
        assertEquals("21", a1.id());
        assertTrue(a1.daemon());
        assertEquals(0.30, a1.cpuMillis(), 1e-9);
        StackFrame top = a1.frames().get(0);
        assertEquals("HangZoo", top.className());
        assertEquals("lambda$main$0", top.method());
        assertEquals(46, top.line());
        assertEquals(LockLine.Action.WAITING_TO_LOCK, top.locks().get(0).action());
        assertEquals(new ObjectRef("0x000000069ed02828", "HangZoo$MonA2"), top.locks().get(0).object());
        assertEquals(LockLine.Action.LOCKED, top.locks().get(1).action());
        // frames of the JDK's own deadlock report must not be appended to any thread
        assertEquals(4, a1.frames().size());

        DumpedThread b1 = thread(d, "B-rl-1");
        assertEquals(ThreadState.WAITING, b1.state());
        assertEquals("parking", b1.stateDetail());
        assertEquals(LockLine.Action.PARKING, b1.frames().get(0).locks().get(0).action());
        assertEquals("0x000000069ed1bbe0", b1.frames().get(0).locks().get(0).object().id());
        assertEquals("java.base@25.0.3", b1.frames().get(0).module());
        assertTrue(b1.frames().get(0).nativeMethod());
        assertEquals(List.of(new ObjectRef("0x000000069ed1bbb0", "java.util.concurrent.locks.ReentrantLock$NonfairSync")),
                b1.ownableSynchronizers());

        DumpedThread carrier = thread(d, "ForkJoinPool-1-worker-1");
        assertEquals("41", carrier.carrierOf());
        DumpedThread vt = d.threads().stream().filter(t -> t.virtual() && t.id().equals("41")).findFirst().orElseThrow();
        assertEquals("33", vt.carrierId());
        assertEquals(ThreadState.WAITING, vt.state());
        assertTrue(vt.frames().stream().anyMatch(f -> f.method().equals("<clinit>")));

        DumpedThread gc = thread(d, "GC Thread#0");
        assertEquals("", gc.id());
        assertTrue(gc.frames().isEmpty());
    }

    @Test
    void jdk17WithHexNids() throws IOException {
        ThreadDump d = JstackTextParser.parse("x", resource("jdk/jdk17-jstack-l.txt")).get(0);
        assertTrue(d.jvmVersion().startsWith("17.0.15"));
        DumpedThread c = thread(d, "C-sem-self");
        assertEquals(ThreadState.WAITING, c.state());
        assertTrue(c.nativeId().startsWith("0x"));
        assertEquals("java.util.concurrent.Semaphore$NonfairSync",
                c.frames().get(0).locks().get(0).object().className());
    }

    @Test
    void versionIsTheParenthesisedNumberNotTheTrademark() {
        String text = "Full thread dump Java HotSpot(TM) Client VM (1.5.0_06-b05 mixed mode):\n\n"
                + "\"main\" prio=5 tid=0x1 nid=0x2 runnable [0x3..0x4]\n\tat app.Main.main(Main.java:1)\n";
        assertEquals("1.5.0_06-b05", JstackTextParser.parse("x", text).get(0).jvmVersion());
    }

    @Test
    void lambdaAndUnknownSourceFrames() {
        StackFrame f = JstackTextParser.parseFrame("at HangZoo$$Lambda/0x000000000c040c00.run(Unknown Source)", List.of());
        assertEquals("HangZoo$$Lambda/0x000000000c040c00", f.className());
        assertEquals("run", f.method());
        assertEquals(-1, f.line());
        assertEquals("", f.file());
        StackFrame g = JstackTextParser.parseFrame("at java.util.concurrent.locks.LockSupport.park(java.base@25.0.3/Unknown Source)", List.of());
        assertEquals("java.base@25.0.3", g.module());
        assertEquals("park", g.method());
    }

    /** Thread sections of the sample dump repeated (renamed) until the text is {@code size} characters. */
    private static String bigDump(int size, String prefix) throws IOException {
        String one = resource("jdk/jdk25-jstack-l.txt");
        int firstThread = one.indexOf("\n\"") + 1;
        int deadlockSection = one.indexOf("JNI global refs");
        String threads = one.substring(firstThread, deadlockSection);
        StringBuilder big = new StringBuilder(one.substring(0, firstThread));
        for (int i = 0; big.length() < size; i++) {
            big.append(threads.replace("\"A-mon-", "\"" + prefix + i + "-mon-"));
        }
        big.append(one.substring(deadlockSection));
        return big.toString();
    }

    private static void assertSameDumps(List<ThreadDump> expected, List<ThreadDump> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).threads(), actual.get(i).threads(), "threads, line numbers included");
            assertEquals(expected.get(i).jdkDeadlocks(), actual.get(i).jdkDeadlocks());
            assertEquals(expected.get(i).jvmVersion(), actual.get(i).jvmVersion());
            assertEquals(expected.get(i).time(), actual.get(i).time());
            assertEquals(expected.get(i).warnings(), actual.get(i).warnings());
        }
    }

    private static List<ThreadDump> inTwo(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertTrue(JstackTextParser.splitPoint(bytes) > 0);
        List<ThreadDump> dumps = JstackTextParser.parseInTwo("x", bytes, DumpReader::decodeStrictUtf8);
        assertNotNull(dumps);
        return dumps;
    }

    @Test
    void aBigDumpParsedInTwoHalvesEqualsTheSequentialParse() throws IOException {
        String text = bigDump(JstackTextParser.PARALLEL_THRESHOLD_BYTES + 100_000, "A");
        List<ThreadDump> parallel = inTwo(text);
        assertEquals(1, parallel.size());
        assertSameDumps(JstackTextParser.parse("x", text), parallel);
    }

    @Test
    void severalBigDumpsAndSkippedLinesSurviveTheCut() throws IOException {
        // three dumps; the cut falls inside the second, after lines the parser skips in both halves
        String a = bigDump(1_000_000, "A");
        String b = bigDump(3_000_000, "B");
        int mid = b.length() / 2;
        int before = b.indexOf("\tat ", mid - 200_000);
        int after = b.indexOf("\tat ", mid + 200_000);
        b = b.substring(0, before) + "\t?? garbage one\n" + b.substring(before, after) + "\t?? garbage two\n" + b.substring(after);
        String text = "log line\n" + a + "\n" + b + "\nmore log\n" + bigDump(200_000, "C");
        List<ThreadDump> parallel = inTwo(text);
        assertEquals(3, parallel.size());
        assertSameDumps(JstackTextParser.parse("x", text), parallel);
        assertTrue(parallel.get(1).warnings().stream().anyMatch(w -> w.startsWith("2 unrecognised line(s)")), parallel.get(1).warnings().toString());
    }

    @Test
    void bigInputsGoThroughTheReaderInTwoHalves() throws Exception {
        String text = bigDump(JstackTextParser.PARALLEL_THRESHOLD_BYTES + 100_000, "A");
        // a long preamble before the first thread, as "Threads class SMR info" lists 10,000 threads
        int first = text.indexOf("\n\"") + 1;
        text = text.substring(0, first) + "0x00007fb02802aad0, 0x00007fb0280b4cd0,\n".repeat(6000) + "}\n\n" + text.substring(first);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<ThreadDump> expected = JstackTextParser.parse("big.txt", text);
        assertSameDumps(expected, DumpReader.parseBigText("big.txt", bytes, new java.util.ArrayList<>()));
        assertSameDumps(expected, DumpReader.read("big.txt", new java.io.ByteArrayInputStream(bytes)));
    }

    @Test
    void concatenatedDumpsAreSplit() throws IOException {
        String one = resource("jdk/jdk25-jstack-l.txt");
        List<ThreadDump> dumps = JstackTextParser.parse("x", "some log line\n" + one + "\nmore log\n" + one);
        assertEquals(2, dumps.size());
        assertEquals(dumps.get(0).threads().size(), dumps.get(1).threads().size());
    }

    @Test
    void cpuAndElapsedTimesAreReadExactly() {
        java.util.Random r = new java.util.Random(7);
        StringBuilder text = new StringBuilder("Full thread dump OpenJDK 64-Bit Server VM (25.0.3+9-LTS mixed mode, sharing):\n\n");
        List<String[]> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String cpu = r.nextInt(100_000) + "." + String.format("%02d", r.nextInt(100));
            String elapsed = r.nextInt(10_000) + "." + String.format("%02d", r.nextInt(100));
            expected.add(new String[] {cpu, elapsed});
            text.append("\"t").append(i).append("\" #").append(i + 1).append(" [1] prio=5 os_prio=0 cpu=").append(cpu)
                    .append("ms elapsed=").append(elapsed).append("s tid=0x1 nid=1 waiting on condition  [0x2]\n")
                    .append("   java.lang.Thread.State: WAITING (parking)\n\tat java.lang.Object.wait0(java.base@25.0.3/Native Method)\n\n");
        }
        List<DumpedThread> threads = JstackTextParser.parse("x", text.toString()).get(0).threads();
        for (int i = 0; i < 500; i++) {
            assertEquals(Double.parseDouble(expected.get(i)[0]), threads.get(i).cpuMillis());
            assertEquals(Double.parseDouble(expected.get(i)[1]) * 1000 / 1000.0, threads.get(i).elapsedSeconds());
        }
    }

    /** A compiled join frame: jstack names no object in "waiting on"; the joined thread is the one join holds. */
    @Test
    void aJoinWithoutObjectReferenceWaitsForTheLockedThread() {
        String text = "Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode):\n\n"
                + "\"joiner\" #20 prio=5 os_prio=0 cpu=1.00ms elapsed=2.00s tid=0x1 nid=0x2 in Object.wait()  [0x3]\n"
                + "   java.lang.Thread.State: WAITING (on object monitor)\n"
                + "\tat java.lang.Object.wait(java.base@17.0.15/Native Method)\n"
                + "\t- waiting on <no object reference available>\n"
                + "\tat java.lang.Thread.join(java.base@17.0.15/Thread.java:1313)\n"
                + "\t- locked <0x00000000cafe0001> (a java.lang.Thread)\n"
                + "\tat app.Main.main(Main.java:5)\n\n";
        ThreadDump d = JstackTextParser.parse("x", text).get(0);
        dev.knot.snapshot.ObjectRef joined = dev.knot.sites.Frames.joinedThread(d.threads().get(0).frames());
        assertNotNull(joined);
        assertEquals("0x00000000cafe0001", joined.id());
        dev.knot.model.WaitGraph g = dev.knot.model.GraphBuilder.build(d);
        dev.knot.model.ThreadNode t = g.threads().get(0);
        assertEquals("0x00000000cafe0001", g.waitOf(t).resource().objectId());
        assertEquals(dev.knot.sites.ResourceKind.THREAD_EXIT, g.waitOf(t).resource().kind());
        assertTrue(g.holdsOf(t).isEmpty(), "join releases the monitor it waits on: " + g.holdsOf(t));
    }
}
