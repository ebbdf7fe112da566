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

import java.util.List;
import org.junit.jupiter.api.Test;

class ActuatorJsonParserTest {

    @Test
    void jdk25ThreadInfoJson() throws Exception {
        ThreadDump d = TestDumps.readOne("jdk/tizoo-jdk25-actuator.json");
        assertEquals(DumpFormat.ACTUATOR_JSON, d.format());
        assertEquals(16, d.threads().size());
        assertTrue(d.listsOwnableSynchronizers());
        assertTrue(d.warnings().isEmpty(), d.warnings().toString());
        assertTrue(d.threads().stream().noneMatch(DumpedThread::virtual));

        DumpedThread rl1 = thread(d, "rl-1");
        assertEquals("24", rl1.id());
        assertTrue(rl1.daemon());
        assertEquals(ThreadState.WAITING, rl1.state());
        TestDumps.Found park = lock(rl1, LockLine.Action.PARKING);
        assertEquals(0, park.frame());
        // identityHashCode 1916700921 = 0x723e88f9
        assertEquals(new ObjectRef("java.util.concurrent.locks.ReentrantLock$NonfairSync@723e88f9",
                "java.util.concurrent.locks.ReentrantLock$NonfairSync"), park.line().object());
        assertTrue(park.line().text().contains("owned by \"rl-2\" t@25"), park.line().text());
        assertEquals(List.of("java.util.concurrent.locks.ReentrantLock$NonfairSync@4f4c4b1a"),
                rl1.ownableSynchronizers().stream().map(ObjectRef::id).toList());
        // the other side of the deadlock owns what rl-1 waits for
        assertEquals(List.of(park.line().object()), thread(d, "rl-2").ownableSynchronizers());

        StackFrame top = rl1.frames().get(0);
        assertEquals("jdk.internal.misc.Unsafe", top.className());
        assertEquals("park", top.method());
        assertEquals("java.base@25.0.3", top.module());
        assertTrue(top.nativeMethod());

        DumpedThread m1 = thread(d, "mon-1");
        assertEquals(ThreadState.BLOCKED, m1.state());
        assertEquals("ThreadInfoZoo$MonY@2cb2fc20", lock(m1, LockLine.Action.WAITING_TO_LOCK).line().object().id());
        TestDumps.Found held = lock(m1, LockLine.Action.LOCKED);
        assertEquals(0, held.frame());
        assertEquals("ThreadInfoZoo$MonX@2a7ed1f", held.line().object().id());
        assertEquals(List.of(), m1.ownableSynchronizers());
    }

    @Test
    void waitAndRelockAreToldApartByStateAndTopFrame() throws Exception {
        for (String file : List.of("jdk/tizoo-jdk17-actuator.json", "jdk/tizoo-jdk25-actuator.json")) {
            ThreadDump d = TestDumps.readOne(file);
            DumpedThread waiter = thread(d, "waiter");
            assertEquals(0, lock(waiter, LockLine.Action.WAITING_ON).frame(), file);
            assertEquals("ThreadInfoZoo$WaitMon", lock(waiter, LockLine.Action.WAITING_ON).line().object().simpleClassName());
            DumpedThread relock = thread(d, "relock-waiter");
            assertEquals(ThreadState.BLOCKED, relock.state(), file);
            assertEquals("ThreadInfoZoo$RelockMon",
                    lock(relock, LockLine.Action.WAITING_TO_RELOCK).line().object().className(), file);
            // monitors released by wait() are not listed as held
            assertEquals(1, TestDumps.lockCount(relock), file);
            DumpedThread init = thread(d, "init-waiter");
            assertEquals(ThreadState.RUNNABLE, init.state(), file);
            assertEquals(0, TestDumps.lockCount(init), file);
            assertEquals(List.of("java.util.concurrent.ThreadPoolExecutor$Worker"),
                    thread(d, "pool-worker").ownableSynchronizers().stream().map(ObjectRef::className).toList());
        }
    }

    @Test
    void bareArrayJniMonitorAndOddValues() throws Exception {
        String json = """
                [ {"threadName": "jni", "threadId": 5, "threadState": "RUNNABLE", "daemon": false, "inNative": true,
                   "lockedMonitors": [{"className": "java.lang.Object", "identityHashCode": 255, "lockedStackDepth": -1},
                                      {"className": "Foo", "identityHashCode": "16", "lockedStackDepth": 1}],
                   "stackTrace": [{"className": "Foo", "methodName": "n", "nativeMethod": true, "lineNumber": -2},
                                  {"className": "Foo", "methodName": "m", "fileName": "Foo.java", "lineNumber": 3,
                                   "moduleName": null, "classLoaderName": "app"}]},
                  {"threadName": "parked", "threadId": 6, "threadState": "TIMED_WAITING",
                   "lockName": "java.util.concurrent.Semaphore$NonfairSync@1a",
                   "stackTrace": [{"className": "jdk.internal.misc.Unsafe", "methodName": "park", "nativeMethod": true}]},
                  {"threadId": 7},
                  "junk"
                ]
                """;
        List<ThreadDump> dumps = ActuatorJsonParser.parse("a", json);
        assertEquals(1, dumps.size());
        ThreadDump d = dumps.get(0);
        assertEquals(2, d.threads().size());
        assertTrue(d.warnings().stream().anyMatch(w -> w.contains("without threadName")), d.warnings().toString());
        DumpedThread jni = thread(d, "jni");
        assertEquals("in native", jni.stateDetail());
        assertNull(jni.ownableSynchronizers(), "not listed");
        assertEquals("java.lang.Object@ff", jni.frames().get(0).locks().get(0).object().id());
        assertTrue(jni.frames().get(0).locks().get(0).text().contains("JNI"));
        assertEquals("Foo@10", jni.frames().get(1).locks().get(0).object().id());
        assertTrue(jni.frames().get(0).nativeMethod());
        assertEquals("Foo.m(Foo.java:3)", jni.frames().get(1).location());
        DumpedThread parked = thread(d, "parked");
        assertEquals(new ObjectRef("java.util.concurrent.Semaphore$NonfairSync@1a", "java.util.concurrent.Semaphore$NonfairSync"),
                lock(parked, LockLine.Action.PARKING).line().object());
    }

    @Test
    void truncated() {
        String json = "{\"threads\":[{\"threadName\":\"a\",\"threadId\":1,\"threadState\":\"RUNNABLE\",\"stackTrace\":[]},"
                + "{\"threadName\":\"b\",\"threadId\":2,\"threadSt";
        assertDoesNotThrow(() -> {
            ThreadDump d = ActuatorJsonParser.parse("t", json).get(0);
            assertEquals(List.of("a"), d.threads().stream().map(DumpedThread::name).toList());
            assertTrue(d.warnings().get(0).startsWith("truncated JSON at line 1"), d.warnings().get(0));
        });
        UnreadableInputException e = assertThrows(UnreadableInputException.class,
                () -> ActuatorJsonParser.parse("t", "{\"threads\":[{\"threadName\":\"a\""));
        assertEquals("t: truncated JSON at line 1", e.getMessage());
    }
}
