package dev.knot.input;

import dev.knot.snapshot.DumpFormat;
import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.ObjectRef;
import dev.knot.snapshot.ThreadDump;
import dev.knot.snapshot.ThreadState;
import static dev.knot.input.TestDumps.lock;
import static dev.knot.input.TestDumps.thread;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ThreadInfoTextParserTest {

    @Test
    void threadInfoToStringJdk25() throws Exception {
        ThreadDump d = TestDumps.readOne("jdk/tizoo-jdk25-threadinfo-tostring.txt");
        assertEquals(DumpFormat.THREADINFO_TEXT, d.format());
        assertEquals(16, d.threads().size());
        assertNull(d.time());
        assertEquals(List.of("5 stacks cut after 8 frames by ThreadInfo.toString(); their outer frames are missing"),
                d.warnings());
        assertTrue(d.listsOwnableSynchronizers());

        DumpedThread main = thread(d, "main");
        assertEquals("3", main.id());
        assertFalse(main.daemon());
        assertEquals(8, main.frames().size());
        assertEquals("java.lang.invoke.LambdaForm$DMH/0x000000001d06c000", main.frames().get(4).className());
        assertEquals("java.base@25.0.3", main.frames().get(4).module());

        DumpedThread m1 = thread(d, "mon-1");
        assertEquals("22", m1.id());
        assertTrue(m1.daemon());
        assertEquals(ThreadState.BLOCKED, m1.state());
        TestDumps.Found enter = lock(m1, LockLine.Action.WAITING_TO_LOCK);
        assertEquals(0, enter.frame());
        assertEquals(new ObjectRef("ThreadInfoZoo$MonY@2cb2fc20", "ThreadInfoZoo$MonY"), enter.line().object());
        assertEquals("-  blocked on ThreadInfoZoo$MonY@2cb2fc20", enter.line().text());
        assertEquals("ThreadInfoZoo$MonX@2a7ed1f", lock(m1, LockLine.Action.LOCKED).line().object().id());
        assertEquals(List.of(), m1.ownableSynchronizers(), "section printed only for holders");

        DumpedThread rl1 = thread(d, "rl-1");
        assertEquals("java.util.concurrent.locks.ReentrantLock$NonfairSync@723e88f9",
                lock(rl1, LockLine.Action.PARKING).line().object().id());
        assertEquals(List.of("java.util.concurrent.locks.ReentrantLock$NonfairSync@4f4c4b1a"),
                rl1.ownableSynchronizers().stream().map(ObjectRef::id).toList());
        assertEquals(LockLine.Action.WAITING_TO_RELOCK,
                thread(d, "relock-waiter").frames().get(0).locks().get(0).action());
        assertEquals(LockLine.Action.WAITING_ON, thread(d, "waiter").frames().get(0).locks().get(0).action());
        assertEquals(0, TestDumps.lockCount(thread(d, "init-waiter")));
    }

    /** ThreadInfo.toString, actuator text and actuator JSON of one process must say the same. */
    @Test
    void threeRenderingsOfTheSameThreadInfosAgree() throws Exception {
        for (String jdk : List.of("jdk17", "jdk25")) {
            Map<String, String> toString = summary(TestDumps.readOne("jdk/tizoo-" + jdk + "-threadinfo-tostring.txt"));
            Map<String, String> text = summary(TestDumps.readOne("jdk/tizoo-" + jdk + "-actuator.txt"));
            Map<String, String> json = summary(TestDumps.readOne("jdk/tizoo-" + jdk + "-actuator.json"));
            assertEquals(json, text, jdk + " actuator text vs JSON");
            assertEquals(json, toString, jdk + " ThreadInfo.toString vs JSON");
        }
    }

    private static Map<String, String> summary(ThreadDump d) {
        Map<String, String> m = new TreeMap<>();
        for (DumpedThread t : d.threads()) {
            TreeSet<String> locks = new TreeSet<>();
            for (int i = 0; i < t.frames().size(); i++) {
                for (LockLine l : t.frames().get(i).locks()) locks.add(i + " " + l.action() + " " + l.object().id());
            }
            m.put(t.name(), t.id() + " " + t.state() + " " + locks + " owns "
                    + t.ownableSynchronizers().stream().map(ObjectRef::id).toList());
        }
        return m;
    }

    @Test
    void actuatorTextPrinterGuessesAreCorrected() throws Exception {
        // JDK 25: Object.wait shows wait0 on top, and Spring prints "parking to wait for"
        ThreadDump d25 = TestDumps.readOne("jdk/tizoo-jdk25-actuator.txt");
        assertEquals(Instant.parse("2026-11-22T00:14:26Z"), d25.time());
        assertEquals("25.0.3+9-LTS", d25.jvmVersion());
        LockLine wait = thread(d25, "waiter").frames().get(0).locks().get(0);
        assertEquals(LockLine.Action.WAITING_ON, wait.action());
        assertTrue(wait.text().startsWith("- parking to wait for"), wait.text());
        // a parked ReentrantLock waiter with an owner is printed as "waiting to lock ... owned by"
        LockLine rl = thread(d25, "rl-1").frames().get(0).locks().get(0);
        assertEquals(LockLine.Action.PARKING, rl.action());
        assertTrue(rl.text().contains("owned by \"rl-2\" t@25"), rl.text());
        // JDK 17: a notified thread blocked re-acquiring its monitor is printed as "waiting on"
        ThreadDump d17 = TestDumps.readOne("jdk/tizoo-jdk17-actuator.txt");
        LockLine relock = thread(d17, "relock-waiter").frames().get(0).locks().get(0);
        assertEquals(LockLine.Action.WAITING_TO_RELOCK, relock.action());
        assertEquals("ThreadInfoZoo$RelockMon@534a5a98", relock.object().id());
    }

    @Test
    void visualVm() throws Exception {
        ThreadDump d = TestDumps.readOne("wild/visualvmremote.log");
        assertEquals(DumpFormat.THREADINFO_TEXT, d.format());
        assertEquals(119, d.threads().size());
        assertEquals(Instant.parse("2008-11-20T09:28:02Z"), d.time());
        assertEquals("11.0-b15", d.jvmVersion());
        assertTrue(d.warnings().isEmpty(), d.warnings().toString());

        DumpedThread timer = thread(d, "Timer-180");
        assertEquals("332", timer.id());
        assertEquals(ThreadState.TIMED_WAITING, timer.state());
        assertEquals("java.util.TaskQueue@7311acb7", lock(timer, LockLine.Action.WAITING_ON).line().object().id());
        assertEquals(List.of(), timer.ownableSynchronizers());

        DumpedThread rmi = thread(d, "RMI TCP Connection(24)-192.18.126.254");
        assertEquals(ThreadState.RUNNABLE, rmi.state());
        TestDumps.Found held = lock(rmi, LockLine.Action.LOCKED);
        assertEquals(3, held.frame());
        assertEquals("java.io.BufferedInputStream@5284339c", held.line().object().id());
        assertEquals(List.of("java.util.concurrent.locks.ReentrantLock$NonfairSync@7a29682f"),
                rmi.ownableSynchronizers().stream().map(ObjectRef::id).toList());

        DumpedThread t12 = thread(d, "Thread-12");
        assertEquals("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject@4f9380c1",
                lock(t12, LockLine.Action.PARKING).line().object().id());
    }

    @Test
    void jconsoleLogWithThreeDumps() throws Exception {
        List<ThreadDump> dumps = TestDumps.read("wild/test.log");
        assertEquals(3, dumps.size());
        assertEquals(List.of(88, 86, 86), dumps.stream().map(d -> d.threads().size()).toList());
        assertEquals(List.of(Instant.parse("2007-11-06T10:30:41Z"), Instant.parse("2007-11-06T10:30:45Z"),
                Instant.parse("2007-11-06T10:30:46Z")), dumps.stream().map(ThreadDump::time).toList());
        for (ThreadDump d : dumps) {
            assertEquals(DumpFormat.THREADINFO_TEXT, d.format());
            assertEquals("1.6.0_03-b05", d.jvmVersion());
            assertTrue(d.warnings().isEmpty(), d.warnings().toString());
        }
        ThreadDump d = dumps.get(0);
        DumpedThread rmi = d.threads().get(0);
        assertEquals("RMI TCP Connection(23)-127.0.1.1", rmi.name());
        assertEquals("3149", rmi.id());
        assertEquals(ThreadState.RUNNABLE, rmi.state());
        assertEquals("running in native", rmi.stateDetail());
        assertEquals(List.of(new ObjectRef("java.util.concurrent.locks.ReentrantLock$NonfairSync@166fba",
                "java.util.concurrent.locks.ReentrantLock$NonfairSync")), rmi.ownableSynchronizers());

        // lock lines come before the frames; the awaited object is repeated as "locked" and is no hold
        DumpedThread pool = thread(d, "pool-2-thread-1");
        assertEquals(ThreadState.WAITING, pool.state());
        assertEquals(1, TestDumps.lockCount(pool));
        TestDumps.Found park = lock(pool, LockLine.Action.PARKING);
        assertEquals(0, park.frame());
        assertEquals("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject@bf6480",
                park.line().object().id());
        DumpedThread timer = thread(d, "Timer-2");
        assertEquals(1, TestDumps.lockCount(timer));
        assertEquals("java.util.TaskQueue@1470797", lock(timer, LockLine.Action.WAITING_ON).line().object().id());
    }

    @Test
    void concatenatedToStringOutputSplitsOnRepeatedIds() {
        String one = """
                "a" Id=1 RUNNABLE
                \tat Foo.run(Foo.java:1)

                "b" daemon prio=5 Id=2 BLOCKED on java.lang.Object@1f owned by "a (the \\"first\\")" Id=1
                \tat Foo.sync(Foo.java:2)
                \t-  blocked on java.lang.Object@1f

                """;
        List<ThreadDump> dumps = ThreadInfoTextParser.parse("x", one + one);
        assertEquals(2, dumps.size());
        for (ThreadDump d : dumps) {
            assertEquals(List.of("a", "b"), d.threads().stream().map(DumpedThread::name).toList());
            DumpedThread b = thread(d, "b");
            assertTrue(b.daemon());
            assertEquals("", b.stateDetail());
            assertNull(b.ownableSynchronizers(), "toString without any synchronizer section: unknown");
            assertEquals("java.lang.Object@1f", lock(b, LockLine.Action.WAITING_TO_LOCK).line().object().id());
        }
    }
}
