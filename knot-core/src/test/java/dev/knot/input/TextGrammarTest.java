package dev.knot.input;

import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.LockLine.Action;
import dev.knot.snapshot.ObjectRef;
import dev.knot.snapshot.StackFrame;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The shared line grammar, one table per line kind. Rows marked "was:" pin a difference between the copies the
 * parsers used to carry (jstack: JstackTextParser; jcmd: JcmdTextParser; ThreadInfo: ThreadInfoTextParser and
 * ParseSupport, which the JSON parsers used too) and the behaviour chosen for all of them.
 */
class TextGrammarTest {

    private static StackFrame frame(String cls, String method, String module, String file, int line, boolean nat,
                                    String text) {
        return new StackFrame(cls, method, module, file, line, nat, List.of(), text);
    }

    /** Frame text without "at " → expected frame (its text is the row's, stripped), or null. */
    private static final Object[][] FRAMES = {
        {"HangZoo.lambda$main$0(HangZoo.java:46)", "HangZoo", "lambda$main$0", "", "HangZoo.java", 46, false},
        {"Foo.<init>(Foo.java:5)", "Foo", "<init>", "", "Foo.java", 5, false},
        {"java.lang.Object.wait0(java.base@25.0.3/Native Method)", "java.lang.Object", "wait0", "java.base@25.0.3", "", -1, true},
        {"java.util.concurrent.locks.LockSupport.park(java.base@25.0.3/Unknown Source)",
                "java.util.concurrent.locks.LockSupport", "park", "java.base@25.0.3", "", -1, false},
        {"java.lang.Thread.run(java.base@25.0.3/Thread.java:1583)", "java.lang.Thread", "run", "java.base@25.0.3", "Thread.java", 1583, false},
        // was: jstack took "java.base@25.0.3/java.lang.Object" for the class (StackTraceElement.toString puts the module first)
        {"java.base@25.0.3/java.lang.Object.wait0(Native Method)", "java.lang.Object", "wait0", "java.base@25.0.3", "", -1, true},
        {"java.base/java.lang.Thread.run(Thread.java:1583)", "java.lang.Thread", "run", "java.base", "Thread.java", 1583, false},
        // was: jstack kept loader prefixes in the class name
        {"app//com.example.Foo.bar(Foo.java:12)", "com.example.Foo", "bar", "", "Foo.java", 12, false},
        {"loader/mod@1/com.example.Foo.bar(Foo.java:12)", "com.example.Foo", "bar", "mod@1", "Foo.java", 12, false},
        {"HangZoo$$Lambda/0x000000000c040c00.run(Unknown Source)", "HangZoo$$Lambda/0x000000000c040c00", "run", "", "", -1, false},
        {"java.base@25.0.3/java.lang.invoke.LambdaForm$DMH/0x000000001d06c000.invokeStatic(LambdaForm$DMH)",
                "java.lang.invoke.LambdaForm$DMH/0x000000001d06c000", "invokeStatic", "java.base@25.0.3", "LambdaForm$DMH", -1, false},
        {"java.lang.invoke.LambdaForm$MH/0x000000001d175000.invoke(java.base@25.0.3/LambdaForm$MH)",
                "java.lang.invoke.LambdaForm$MH/0x000000001d175000", "invoke", "java.base@25.0.3", "LambdaForm$MH", -1, false},
        // was: ThreadInfo read a JDK 8 lambda "/1510467688" as module "Foo$$Lambda$14", class "1510467688"
        {"Foo$$Lambda$14/1510467688.run(Unknown Source)", "Foo$$Lambda$14/1510467688", "run", "", "", -1, false},
        // was: jstack kept the space in the method ("bar ")
        {"Foo.bar (Foo.java:3)", "Foo", "bar", "", "Foo.java", 3, false},
        // was: all copies kept the space in the file (" Foo.java")
        {"Foo.bar( Foo.java:4 )", "Foo", "bar", "", "Foo.java", 4, false},
        {"Foo.bar(Foo.java:x)", "Foo", "bar", "", "Foo.java", -1, false},
        {"Foo.bar(Foo.java:99999999999)", "Foo", "bar", "", "Foo.java", -1, false},
        {"Foo.bar(Foo.java)", "Foo", "bar", "", "Foo.java", -1, false},
        {"Foo.bar(Foo.java:12", "Foo", "bar", "", "Foo.java", 12, false},
        {"Foo.bar()", "Foo", "bar", "", "", -1, false},
        {"Foo.bar", "Foo", "bar", "", "", -1, false},
        {"com.example.MyTest.test something works(MyTest.kt:12)", "com.example.MyTest", "test something works", "", "MyTest.kt", 12, false},
        {"NoDotHere(Weird.java:1)", null},
        {".bar(X.java:1)", null},
        {"Foo.(X.java:1)", null},
        {"(Foo.java:1)", null},
        {"java.base/(Foo.java:1)", null},
        {"", null},
    };

    @Test
    void frames() {
        List<Executable> checks = new ArrayList<>();
        for (Object[] row : FRAMES) {
            String in = (String) row[0];
            StackFrame expected = row[1] == null ? null : frame((String) row[1], (String) row[2], (String) row[3],
                    (String) row[4], (int) row[5], (boolean) row[6], in);
            checks.add(() -> assertEquals(expected, TextGrammar.frame(in, List.of()), in));
            // jstack's form: the line after its indentation, "at " included in the evidence
            StackFrame jstack = expected == null ? null : frame(expected.className(), expected.method(), expected.module(),
                    expected.file(), expected.line(), expected.nativeMethod(), "at " + in);
            checks.add(() -> assertEquals(jstack, JstackTextParser.parseFrame("at " + in, List.of()), "at " + in));
            // a range inside a longer line
            String line = "\tat  " + in + " \r";
            checks.add(() -> assertEquals(jstack, TextGrammar.frame(line, 4, line.length(), List.of(), "at " + in), line));
        }
        assertAll(checks);
    }

    @Test
    void framesKeepTheirLocks() {
        List<LockLine> locks = List.of(new LockLine(Action.LOCKED, new ObjectRef("0x1", "A"), "- locked <0x1> (a A)"));
        assertEquals(locks, TextGrammar.frame("Foo.bar(Foo.java:1)", locks).locks());
    }

    /** Line → action, object id, object class (text: the line stripped), or null when it is no lock line. */
    private static final Object[][] LOCKS = {
        {"- locked <0x000000069ed02828> (a HangZoo$MonA2)", Action.LOCKED, "0x000000069ed02828", "HangZoo$MonA2"},
        {"- waiting to lock <0x000000069ed02828> (a HangZoo$MonA2)", Action.WAITING_TO_LOCK, "0x000000069ed02828", "HangZoo$MonA2"},
        {"- waiting on <0x3> (a java.lang.Object)", Action.WAITING_ON, "0x3", "java.lang.Object"},
        {"- parking to wait for  <0x000000069ed1bbe0> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)",
                Action.PARKING, "0x000000069ed1bbe0", "java.util.concurrent.locks.ReentrantLock$NonfairSync"},
        {"- waiting to re-lock in wait() <0x000000069c9b11b8> (a ThreadInfoZoo$RelockMon)",
                Action.WAITING_TO_RELOCK, "0x000000069c9b11b8", "ThreadInfoZoo$RelockMon"},
        {"- waiting on the Class initialization monitor for ThreadInfoZoo$SlowInit",
                Action.CLASS_INIT, "ThreadInfoZoo$SlowInit", "ThreadInfoZoo$SlowInit"},
        {"- locked <0x1> (a java.lang.Class for Foo)", Action.LOCKED, "0x1", "java.lang.Class for Foo"},
        {"- locked <9fffffff058ff790> (a java.lang.Object)", Action.LOCKED, "9fffffff058ff790", "java.lang.Object"},
        {"- locked <0x6>", Action.LOCKED, "0x6", ""},
        // was: jcmd dropped the class of "(a Cls)"
        {"- waiting to lock <1ed6388a> (a java.util.concurrent.locks.ReentrantLock$NonfairSync) owned by \"rl-2\" t@15",
                Action.WAITING_TO_LOCK, "1ed6388a", "java.util.concurrent.locks.ReentrantLock$NonfairSync"},
        // was: jstack read the class up to the last ')' ("X) owned by \"t (x")
        {"- waiting to lock <0x2> (a X) owned by \"t (x)\" t@15", Action.WAITING_TO_LOCK, "0x2", "X"},
        // jcmd's form; was: ThreadInfo refused <Cls@hash>
        {"- locked <HangZoo$MonA1@1a6c5a9e>", Action.LOCKED, "HangZoo$MonA1@1a6c5a9e", "HangZoo$MonA1"},
        {"- parking to wait for <java.util.concurrent.locks.ReentrantLock$NonfairSync@46ee7fe8>", Action.PARKING,
                "java.util.concurrent.locks.ReentrantLock$NonfairSync@46ee7fe8", "java.util.concurrent.locks.ReentrantLock$NonfairSync"},
        // VisualVM's form; was: jcmd skipped it
        {"- locked java.io.BufferedInputStream@5284339c", Action.LOCKED, "java.io.BufferedInputStream@5284339c", "java.io.BufferedInputStream"},
        // was: jstack took it for an object without identity ("?")
        {"- locked java.io.X@5b owned by y", Action.LOCKED, "java.io.X@5b", "java.io.X"},
        {"- locked java.lang.Object@xyz", Action.LOCKED, "?", ""},
        // ThreadInfo.toString's forms; was: jstack and jcmd skipped them
        {"-  blocked on java.lang.Object@1f", Action.WAITING_TO_LOCK, "java.lang.Object@1f", "java.lang.Object"},
        {"-  waiting on java.lang.ref.ReferenceQueue$Lock@3d", Action.WAITING_ON, "java.lang.ref.ReferenceQueue$Lock@3d", "java.lang.ref.ReferenceQueue$Lock"},
        {"-  locked java.lang.Object@2e", Action.LOCKED, "java.lang.Object@2e", "java.lang.Object"},
        {"-locked <0x8> (a Y)", Action.LOCKED, "0x8", "Y"},
        // named without identity; was: jcmd took the words for the id, ThreadInfo skipped the line
        {"- waiting on <no object reference available>", Action.WAITING_ON, "?", ""},
        // was: jstack "" as the id, jcmd and ThreadInfo skipped
        {"- locked <>", Action.LOCKED, "?", ""},
        // was: jstack needed a space after the verb, jcmd and ThreadInfo skipped
        {"- locked", Action.LOCKED, "?", ""},
        // was: jcmd dropped the object, ThreadInfo skipped
        {"- eliminated <0x6> (a Elim)", Action.ELIMINATED, "0x6", "Elim"},
        // was: jstack dropped the line, jcmd dropped the class, ThreadInfo skipped
        {"- eliminated <owner is scalar replaced> (a Scal)", Action.ELIMINATED, "", "Scal"},
        // jcmd's form; was: jstack and ThreadInfo skipped it
        {"- lock is eliminated", Action.ELIMINATED, "", ""},
        {"- something new", null},
        {"- lockedx <0x1>", null},
        {"- waiting on the Class initialization monitor for", null},
        {"- None", null},
        {"locked <0x1>", null},
        {"-", null},
        {"", null},
    };

    @Test
    void lockLines() {
        List<Executable> checks = new ArrayList<>();
        for (Object[] row : LOCKS) {
            String in = (String) row[0];
            LockLine expected = row[1] == null ? null
                    : new LockLine((Action) row[1], new ObjectRef((String) row[2], (String) row[3]), in);
            checks.add(() -> assertEquals(expected, TextGrammar.lock(in, 0, in.length()), in));
            // indented, with trailing spaces and CR; was: jstack kept trailing spaces in the evidence
            String line = "\t" + in + "  \r";
            checks.add(() -> assertEquals(expected, TextGrammar.lock(line, 1, line.length()), line));
        }
        assertAll(checks);
    }

    /** Entry under "Locked ownable synchronizers:" → object, or null. */
    private static final Object[][] OWNABLE = {
        {"- <0x000000069ed1bbb0> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)",
                "0x000000069ed1bbb0", "java.util.concurrent.locks.ReentrantLock$NonfairSync"},
        // JConsole's form; was: jstack dropped it
        {"- Locked <0x11> (a B)", "0x11", "B"},
        {"- locked java.util.concurrent.locks.ReentrantLock$NonfairSync@166fba",
                "java.util.concurrent.locks.ReentrantLock$NonfairSync@166fba", "java.util.concurrent.locks.ReentrantLock$NonfairSync"},
        {"- java.lang.Object@12", "java.lang.Object@12", "java.lang.Object"},
        {"- None", null},
        {"-x", null},
        {"- <no object reference available>", null},
    };

    @Test
    void ownableSynchronizers() {
        List<Executable> checks = new ArrayList<>();
        for (Object[] row : OWNABLE) {
            String in = "\t" + row[0];
            ObjectRef expected = row[1] == null ? null : new ObjectRef((String) row[1], (String) row[2]);
            checks.add(() -> assertEquals(expected, TextGrammar.ownable(in, 0, in.length()), in));
        }
        assertAll(checks);
    }

    /** ThreadInfo text names objects by class and identity hash: every printed form gets one id. */
    @Test
    void threadInfoObjectsByHash() {
        ObjectRef expected = new ObjectRef("ThreadInfoZoo$MonY@2cb2fc20", "ThreadInfoZoo$MonY");
        for (String s : List.of("<2cb2fc20> (a ThreadInfoZoo$MonY)", "<0x000000002cb2fc20> (a ThreadInfoZoo$MonY)",
                "ThreadInfoZoo$MonY@2cb2fc20", "<ThreadInfoZoo$MonY@2CB2FC20>")) {
            assertEquals(expected, ThreadInfoTextParser.byHash(TextGrammar.object(s, 0, s.length())), s);
        }
        assertEquals(new ObjectRef("?", ""), ThreadInfoTextParser.byHash(new ObjectRef("?", "")));
    }

    /** Line → instant, or null. */
    private static final Object[][] TIMESTAMPS = {
        {"2026-11-21 23:04:36", "2026-11-21T23:04:36Z"},
        {"   2026-11-21 23:04:36  ", "2026-11-21T23:04:36Z"},
        {"2026-11-21 23:04:36.123 INFO x", "2026-11-21T23:04:36Z"},
        {"2026-11-21 23:04:36,123", "2026-11-21T23:04:36Z"},
        // was: jstack read the first 19 characters
        {"2026-11-21 23:04:366", null},
        {"2026-02-30 10:00:00", null},
        {"2026-11-21 24:00:00", null},
        {"2026-11-21 23:60:00", null},
        {"2026-1-21 23:04:36", null},
        {"2026-11-21 23:04", null},
        // jcmd's; was: jstack and ThreadInfo did not read them
        {"2026-11-21T23:04:37.151500177Z", "2026-11-21T23:04:37.151500177Z"},
        {"2026-11-21T23:04:37Z", "2026-11-21T23:04:37Z"},
        {"2026-11-21T23:04:37+01:00", "2026-11-21T22:04:37Z"},
        {"2026-11-21T23:04Z", "2026-11-21T23:04:00Z"},
        {"2026-11-21T23:04:37", null},
        {"2026-11-21T23:04:37Z trailing", null},
        {"[2006-05-03:12:00:00.000] dummy log line", null},
        {"Full thread dump", null},
        {"12345", null},
        {"", null},
    };

    @Test
    void timestamps() {
        List<Executable> checks = new ArrayList<>();
        for (Object[] row : TIMESTAMPS) {
            String in = (String) row[0];
            Instant expected = row[1] == null ? null : Instant.parse((String) row[1]);
            checks.add(() -> assertEquals(expected, TextGrammar.timestamp(in), in));
            String line = "x" + in + "\r";
            checks.add(() -> assertEquals(expected, TextGrammar.timestamp(line, 1, line.length()), line));
        }
        assertAll(checks);
        assertNull(TextGrammar.timestamp(null));
    }

    @Test
    void ints() {
        assertEquals(12, TextGrammar.parseInt("x 12 ", 1, 5, -1));
        assertEquals(-3, TextGrammar.parseInt("-3", 0, 2, 0));
        assertEquals(Integer.MIN_VALUE, TextGrammar.parseInt("-2147483648", 0, 11, 0));
        assertEquals(-1, TextGrammar.parseInt("2147483648", 0, 10, -1));
        assertEquals(-1, TextGrammar.parseInt("+", 0, 1, -1));
        assertEquals(-1, TextGrammar.parseInt("1a", 0, 2, -1));
    }
}
