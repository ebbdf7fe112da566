package dev.knot.input;

import dev.knot.snapshot.DumpFormat;
import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.ObjectRef;
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

class JcmdJsonParserTest {

    private static final String FJP = "ForkJoinPool-1/jdk.internal.vm.SharedThreadContainer@3e1eeef9";

    @Test
    void hangZooJdk25() throws Exception {
        ThreadDump d = TestDumps.readOne("jdk/jdk25-thread-dump-to-file.json");
        assertEquals(DumpFormat.JCMD_JSON, d.format());
        assertEquals(28, d.threads().size());
        assertEquals("7437", d.processId());
        assertEquals("25.0.3+9-LTS", d.jvmVersion());
        assertEquals(Instant.parse("2026-11-21T23:04:36.918021344Z"), d.time());
        assertFalse(d.listsOwnableSynchronizers(), "the JSON format has no ownable synchronizers");
        assertTrue(d.warnings().isEmpty(), d.warnings().toString());
        assertEquals(7, d.threads().stream().filter(DumpedThread::virtual).count());
        assertTrue(d.threads().stream().filter(DumpedThread::virtual).allMatch(t -> t.name().startsWith("G-vt-")));

        DumpedThread main = thread(d, "main");
        assertEquals("3", main.id());
        assertEquals(ThreadState.TIMED_WAITING, main.state());
        assertEquals("<root>", main.container());
        StackFrame sleep = main.frames().get(2);
        assertEquals("java.lang.Thread", sleep.className());
        assertEquals("sleep", sleep.method());
        assertEquals("java.base", sleep.module());
        assertEquals("Thread.java", sleep.file());
        assertEquals(540, sleep.line());
        assertTrue(main.frames().get(0).nativeMethod());
        assertEquals("HangZoo.main(HangZoo.java:125)", main.frames().get(3).location());
    }

    @Test
    void hangZooLocks() throws Exception {
        ThreadDump d = TestDumps.readOne("jdk/jdk25-thread-dump-to-file.json");

        DumpedThread a1 = thread(d, "A-mon-1");
        assertEquals(ThreadState.BLOCKED, a1.state());
        TestDumps.Found enter = lock(a1, LockLine.Action.WAITING_TO_LOCK);
        assertEquals(0, enter.frame());
        assertEquals(new ObjectRef("HangZoo$MonA2@c4437c4", "HangZoo$MonA2"), enter.line().object());
        TestDumps.Found held = lock(a1, LockLine.Action.LOCKED);
        assertEquals(0, held.frame());
        assertEquals("HangZoo$MonA1@1a6c5a9e", held.line().object().id());

        // waitingOn goes on the top frame (Object.wait0); monitorsOwned depth 4 is the 5th frame
        DumpedThread fin = thread(d, "Finalizer");
        TestDumps.Found on = lock(fin, LockLine.Action.WAITING_ON);
        assertEquals(0, on.frame());
        assertEquals("wait0", fin.frames().get(0).method());
        TestDumps.Found finHeld = lock(fin, LockLine.Action.LOCKED);
        assertEquals(4, finHeld.frame());
        assertEquals("java.lang.ref.ReferenceQueue.remove(ReferenceQueue.java:215)", fin.frames().get(4).location());
        assertEquals(on.line().object(), finHeld.line().object());

        DumpedThread b1 = thread(d, "B-rl-1");
        TestDumps.Found park = lock(b1, LockLine.Action.PARKING);
        assertEquals(0, park.frame());
        assertEquals("java.util.concurrent.locks.ReentrantLock$NonfairSync@37bba400", park.line().object().id());
        assertEquals("ReentrantLock$NonfairSync", park.line().object().simpleClassName());
        assertNull(b1.ownableSynchronizers());

        DumpedThread pinned = thread(d, "G-vt-sync-block");
        assertTrue(pinned.virtual());
        TestDumps.Found pin = lock(pinned, LockLine.Action.LOCKED);
        assertEquals(6, pin.frame());
        assertEquals("HangZoo.lambda$main$13", pinned.frames().get(6).qualifiedMethod());
        assertEquals("HangZoo$PinMon@2e5d6d97", pin.line().object().id());
        assertEquals("java.util.concurrent.Semaphore$NonfairSync@621be5d1",
                lock(pinned, LockLine.Action.PARKING).line().object().id());
    }

    @Test
    void hangZooVirtualThreadsContainersAndCarriers() throws Exception {
        ThreadDump d = TestDumps.readOne("jdk/jdk25-thread-dump-to-file.json");
        for (String name : List.of("G-vt-rl-1", "G-vt-rl-2", "G-vt-mon-1", "G-vt-clinit")) {
            DumpedThread t = thread(d, name);
            assertTrue(t.virtual(), name);
            assertEquals("<root>", t.container(), name);
        }
        DumpedThread vt1 = thread(d, "G-vt-rl-1");
        assertEquals("32", vt1.id());
        assertEquals(ThreadState.WAITING, vt1.state());
        assertEquals("java.util.concurrent.locks.ReentrantLock$NonfairSync@4629104a",
                lock(vt1, LockLine.Action.PARKING).line().object().id());
        assertEquals("", vt1.carrierId(), "unmounted");

        DumpedThread clinit = thread(d, "G-vt-clinit");
        assertEquals("33", clinit.carrierId());
        assertTrue(clinit.frames().stream().anyMatch(f -> f.is("HangZoo$StuckInit", "<clinit>")));
        DumpedThread carrier = thread(d, "ForkJoinPool-1-worker-1");
        assertFalse(carrier.virtual());
        assertEquals("41", carrier.carrierOf(), "linked from the virtual thread's carrier field");
        assertEquals(FJP, carrier.container());
        assertEquals("", thread(d, "ForkJoinPool-1-worker-2").carrierOf());

        assertEquals("java.util.concurrent.ThreadPoolExecutor@2ff4acd0", thread(d, "E-pool-worker-1").container());
        assertEquals("java.util.concurrent.FutureTask@69663380",
                lock(thread(d, "E-pool-worker-1"), LockLine.Action.PARKING).line().object().id());
    }

    @Test
    void intellijJdk21JsonHasNoStates() throws Exception {
        ThreadDump d = TestDumps.readOne("wild/intellij_dump.json");
        assertEquals(DumpFormat.JCMD_JSON, d.format());
        assertEquals(8, d.threads().size());
        assertEquals("21.0.10+7-LTS", d.jvmVersion());
        assertEquals("3862", d.processId());
        assertTrue(d.threads().stream().allMatch(t -> t.state() == ThreadState.UNKNOWN), "JDK 21 prints no state");
        assertTrue(d.threads().stream().allMatch(t -> TestDumps.lockCount(t) == 0), "JDK 21 prints no locks");
        DumpedThread loop = thread(d, "JPS event loop");
        assertEquals("21", loop.id());
        assertEquals(11, loop.frames().size());
        StackFrame netty = loop.frames().get(4);
        assertEquals("io.netty.channel.nio.NioIoHandler", netty.className());
        assertEquals("", netty.module());
        assertEquals(646, netty.line());
        assertEquals(0, thread(d, "Signal Dispatcher").frames().size());
    }

    @Test
    void relockAfterNotifyIsInferred() throws Exception {
        ThreadDump d = TestDumps.readOne("jdk/tizoo-jdk25-thread-dump-to-file.json");
        DumpedThread w = thread(d, "relock-waiter");
        assertEquals(ThreadState.BLOCKED, w.state());
        TestDumps.Found relock = lock(w, LockLine.Action.WAITING_TO_RELOCK);
        assertEquals(0, relock.frame());
        assertEquals("ThreadInfoZoo$RelockMon@64e7619d", relock.line().object().id());
        assertTrue(relock.line().text().contains("inferred"), relock.line().text());
        // the holder of the same monitor
        assertEquals("ThreadInfoZoo$RelockMon@64e7619d",
                lock(thread(d, "relock-holder"), LockLine.Action.LOCKED).line().object().id());
        // a class-initialisation wait shows as RUNNABLE with no lock at all in this format
        DumpedThread init = thread(d, "init-waiter");
        assertEquals(ThreadState.RUNNABLE, init.state());
        assertEquals(0, TestDumps.lockCount(init));
    }

    static final String SMALL = """
            {"threadDump": {"processId": 42, "time": "2026-01-01T00:00:00Z", "runtimeVersion": "26-ea",
              "extra": {"nested": [1, 2, {"x": null}]},
              "threadContainers": [
                {"threads": [
                   {"tid": "7", "name": "has \\"quotes\\"", "state": "WAITING", "futureField": [1, 2],
                    "parkBlocker": {"object": "java.util.concurrent.locks.ReentrantLock$NonfairSync@1f", "owner": "8"},
                    "stack": ["java.base/jdk.internal.misc.Unsafe.park(Native Method)",
                              "app//com.example.Foo$$Lambda/0x0000000801001000.run(Unknown Source)",
                              "custom/mod@1.2/com.example.Bar.baz(Bar.java:12)"],
                    "monitorsOwned": [{"depth": 2, "locks": [null, "com.example.Lock@2a"]},
                                      {"depth": 9, "locks": ["com.example.Far@3b"]}]},
                   {"tid": "8", "name": "no-frames", "state": "BLOCKED", "blockedOn": "java.lang.Object@4c", "stack": []}
                 ], "container": "named-after-threads", "threadCount": "2"}
              ]}}
            {"threadDump": {"processId": "43", "threadContainers": [{"container": "<root>", "threads": [
               {"tid": "1", "name": "second", "stack": ["Main.main(Main.java:1)"]}]}]}}
            """;

    @Test
    void fieldsOrderNumbersAndSeveralDocuments() throws Exception {
        List<ThreadDump> dumps = JcmdJsonParser.parse("s", SMALL);
        assertEquals(2, dumps.size());
        ThreadDump d = dumps.get(0);
        assertEquals("42", d.processId());
        assertEquals("26-ea", d.jvmVersion());
        DumpedThread t = thread(d, "has \"quotes\"");
        assertEquals("named-after-threads", t.container());
        TestDumps.Found park = lock(t, LockLine.Action.PARKING);
        assertTrue(park.line().text().contains("owned by #8"), park.line().text());
        assertEquals(LockLine.Action.ELIMINATED, t.frames().get(2).locks().get(0).action());
        assertEquals("com.example.Lock@2a", t.frames().get(2).locks().get(1).object().id());
        StackFrame hidden = t.frames().get(1);
        assertEquals("com.example.Foo$$Lambda/0x0000000801001000", hidden.className());
        assertEquals("run", hidden.method());
        assertEquals("", hidden.module());
        assertEquals("mod@1.2", t.frames().get(2).module());
        assertEquals("com.example.Bar", t.frames().get(2).className());
        assertTrue(d.warnings().stream().anyMatch(w -> w.contains("depth 9")), d.warnings().toString());
        assertTrue(d.warnings().stream().anyMatch(w -> w.contains("no-frames")), d.warnings().toString());
        assertEquals(ThreadState.BLOCKED, thread(d, "no-frames").state());

        ThreadDump second = dumps.get(1);
        assertEquals("43", second.processId());
        assertNull(second.time());
        assertEquals(ThreadState.UNKNOWN, thread(second, "second").state());
    }

    @Test
    void truncatedFileKeepsCompleteThreads() throws Exception {
        byte[] all = TestDumps.bytes("jdk/jdk25-thread-dump-to-file.json");
        String text = new String(all, StandardCharsets.UTF_8);
        int cut = text.indexOf("\"name\": \"G-vt-rl-1\"");
        List<ThreadDump> dumps = JcmdJsonParser.parse("cut.json", text.substring(0, cut));
        assertEquals(1, dumps.size());
        ThreadDump d = dumps.get(0);
        assertEquals(17, d.threads().size(), "the 17 platform threads before G-vt-rl-1");
        assertEquals("Attach Listener", d.threads().get(16).name());
        assertEquals(1, d.warnings().size());
        assertTrue(d.warnings().get(0).startsWith("truncated JSON at line "), d.warnings().get(0));

        UnreadableInputException e = assertThrows(UnreadableInputException.class,
                () -> JcmdJsonParser.parse("cut.json", text.substring(0, 200)));
        assertTrue(e.getMessage().matches("cut\\.json: truncated JSON at line \\d+"), e.getMessage());
    }

    @Test
    void syntaxErrorIsOneLine() {
        UnreadableInputException e = assertThrows(UnreadableInputException.class,
                () -> JcmdJsonParser.parse("bad.json", "{\"threadDump\": {\"processId\": \"1\",,}}"));
        assertTrue(e.getMessage().startsWith("bad.json: malformed JSON at line 1"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
