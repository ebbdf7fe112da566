package dev.knot.input;

import dev.knot.snapshot.DumpFormat;
import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.StackFrame;
import dev.knot.snapshot.ThreadDump;
import dev.knot.snapshot.ThreadState;
import static dev.knot.input.TestDumps.lock;
import static dev.knot.input.TestDumps.thread;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JcmdTextParserTest {

    @Test
    void hangZooJdk25() throws Exception {
        ThreadDump d = TestDumps.readOne("jdk/jdk25-thread-dump-to-file.txt");
        assertEquals(DumpFormat.JCMD_TEXT, d.format());
        assertEquals(28, d.threads().size());
        assertEquals("7437", d.processId());
        assertEquals("25.0.3+9-LTS", d.jvmVersion());
        assertEquals(Instant.parse("2026-11-21T23:04:37.151500177Z"), d.time());
        assertTrue(d.warnings().isEmpty(), d.warnings().toString());
        assertFalse(d.listsOwnableSynchronizers());
        assertEquals(7, d.threads().stream().filter(DumpedThread::virtual).count());

        DumpedThread a1 = thread(d, "A-mon-1");
        assertEquals("21", a1.id());
        assertEquals(ThreadState.BLOCKED, a1.state());
        assertEquals(41, a1.lineNumber());
        assertTrue(a1.headerLine().startsWith("#21 \"A-mon-1\" BLOCKED "));
        assertEquals("HangZoo$MonA2@c4437c4", lock(a1, LockLine.Action.WAITING_TO_LOCK).line().object().id());
        assertEquals("HangZoo$MonA1@1a6c5a9e", lock(a1, LockLine.Action.LOCKED).line().object().id());
        assertEquals("    - waiting to lock <HangZoo$MonA2@c4437c4>".strip(),
                lock(a1, LockLine.Action.WAITING_TO_LOCK).line().text());

        DumpedThread vt = thread(d, "G-vt-rl-2");
        assertTrue(vt.virtual());
        assertEquals(ThreadState.WAITING, vt.state());
        TestDumps.Found park = lock(vt, LockLine.Action.PARKING);
        assertEquals(0, park.frame());
        assertEquals("java.util.concurrent.locks.ReentrantLock$NonfairSync@46ee7fe8", park.line().object().id());
        assertEquals("java.lang.VirtualThread.park(VirtualThread.java:742)", vt.frames().get(0).location());
        assertEquals("java.base", vt.frames().get(0).module());

        DumpedThread pinned = thread(d, "G-vt-sync-block");
        TestDumps.Found held = lock(pinned, LockLine.Action.LOCKED);
        assertEquals(6, held.frame(), "same frame as monitorsOwned depth 6 in the JSON dump");

        DumpedThread fin = thread(d, "Finalizer");
        assertEquals(0, lock(fin, LockLine.Action.WAITING_ON).frame());
        assertEquals(4, lock(fin, LockLine.Action.LOCKED).frame());
        assertEquals("", thread(d, "ForkJoinPool-1-worker-1").container(), "containers are not printed");
        assertEquals(0, thread(d, "Signal Dispatcher").frames().size());
    }

    @Test
    void sameThreadsAsTheJsonDumpOfTheSameMoment() throws Exception {
        ThreadDump text = TestDumps.readOne("jdk/jdk25-thread-dump-to-file.txt");
        ThreadDump json = TestDumps.readOne("jdk/jdk25-thread-dump-to-file.json");
        assertEquals(json.threads().stream().map(DumpedThread::name).sorted().toList(),
                text.threads().stream().map(DumpedThread::name).sorted().toList());
        for (DumpedThread j : json.threads()) {
            if (j.name().equals("Attach Listener")) continue; // the dumper itself, at different moments
            DumpedThread t = thread(text, j.name());
            assertEquals(j.id(), t.id(), j.name());
            assertEquals(j.virtual(), t.virtual(), j.name());
            assertEquals(j.frames().size(), t.frames().size(), j.name());
            // lock lines agree frame by frame (as sets: the two formats order them differently)
            for (int i = 0; i < j.frames().size(); i++) {
                assertEquals(j.frames().get(i).location(), t.frames().get(i).location());
                assertEquals(
                        j.frames().get(i).locks().stream().map(l -> l.action() + " " + l.object().id()).sorted().toList(),
                        t.frames().get(i).locks().stream().map(l -> l.action() + " " + l.object().id()).sorted().toList(),
                        j.name() + " frame " + i);
            }
        }
    }

    @Test
    void jdk21Layout() throws Exception {
        ThreadDump d = TestDumps.readOne("jdk/constructed-jdk21-thread-dump-to-file.txt");
        assertEquals(DumpFormat.JCMD_TEXT, d.format());
        assertEquals("21.0.2+13-LTS", d.jvmVersion());
        assertEquals(28, d.threads().size());
        assertTrue(d.warnings().isEmpty(), d.warnings().toString());
        DumpedThread vt = thread(d, "G-vt-clinit");
        assertTrue(vt.virtual());
        assertEquals(ThreadState.UNKNOWN, vt.state());
        assertEquals(10, vt.frames().size());
        assertEquals("HangZoo$StuckInit.<clinit>(HangZoo.java:37)", vt.frames().get(8).location());
        assertFalse(thread(d, "main").virtual());
    }

    @Test
    void relockInferredAndClassInitInvisible() throws Exception {
        ThreadDump d = TestDumps.readOne("jdk/tizoo-jdk25-thread-dump-to-file.txt");
        DumpedThread w = thread(d, "relock-waiter");
        TestDumps.Found relock = lock(w, LockLine.Action.WAITING_TO_RELOCK);
        assertEquals(0, relock.frame());
        assertEquals("ThreadInfoZoo$RelockMon@64e7619d", relock.line().object().id());
        DumpedThread init = thread(d, "init-waiter");
        assertEquals(ThreadState.RUNNABLE, init.state());
        assertEquals(List.of("java.lang.Thread.run"), init.frames().stream().map(StackFrame::qualifiedMethod).toList());
    }

    @Test
    void concatenatedDumpsAndOddLines() throws Exception {
        String one = new String(TestDumps.bytes("jdk/jdk25-thread-dump-to-file.txt"), StandardCharsets.UTF_8);
        String second = """
                7438
                2026-11-21T23:05:00Z
                25.0.3+9-LTS

                #1 "a \\"quoted\\" name" virtual TIMED_WAITING 2026-11-21T23:05:00Z
                    at Foo.bar(Foo.java:1)
                    - lock is eliminated
                    - waiting on the Class initialization monitor for Baz
                    - something new
                this line is noise

                """;
        List<ThreadDump> dumps = JcmdTextParser.parse("two", one + "\n" + second);
        assertEquals(2, dumps.size());
        assertEquals("7437", dumps.get(0).processId());
        ThreadDump d = dumps.get(1);
        assertEquals("7438", d.processId());
        assertEquals(Instant.parse("2026-11-21T23:05:00Z"), d.time());
        DumpedThread t = d.threads().get(0);
        assertEquals("a \\\"quoted\\\" name", t.name());
        assertTrue(t.virtual());
        assertEquals(ThreadState.TIMED_WAITING, t.state());
        List<LockLine> locks = t.frames().get(0).locks();
        assertEquals(LockLine.Action.ELIMINATED, locks.get(0).action());
        assertEquals(LockLine.Action.CLASS_INIT, locks.get(1).action());
        assertEquals("Baz", locks.get(1).object().id());
        assertEquals(2, d.warnings().size(), d.warnings().toString());
        int lineOfNew = (one + "\n").split("\n", -1).length - 1 + 9;
        assertEquals("line " + lineOfNew + ": skipped: - something new", d.warnings().get(0));
        assertTrue(d.warnings().get(1).endsWith("skipped: this line is noise"), d.warnings().get(1));
    }

    @Test
    void unusualFramesKeepTheirPlaceAndLocks() {
        String text = """
                1
                2026-11-21T23:05:00Z
                25

                #5 "k" BLOCKED 2026-11-21T23:05:00Z
                    at com.example.MyTest.test something works(MyTest.kt:12)
                    - waiting to lock <java.lang.Object@1>
                    at NoDotHere(Weird.java:1)
                    - locked <java.lang.Object@2>
                    at Main.main(Main.java:3)

                """;
        ThreadDump d = JcmdTextParser.parse("u", text).get(0);
        DumpedThread t = d.threads().get(0);
        assertEquals(3, t.frames().size());
        assertEquals("test something works", t.frames().get(0).method());
        assertEquals("MyTest.kt", t.frames().get(0).file());
        assertEquals("NoDotHere(Weird.java:1)", t.frames().get(1).className());
        assertEquals("java.lang.Object@2", lock(t, LockLine.Action.LOCKED).line().object().id());
        assertEquals(1, lock(t, LockLine.Action.LOCKED).frame());
        assertEquals(1, d.warnings().size(), d.warnings().toString());
    }
}
