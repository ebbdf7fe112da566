package dev.knot.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.util.CheckClassAdapter;

/** The transformer on this JDK's own class files: every planned method hooked, and the result verifies. */
class TrackTransformerTest {
    static final String TRACKER = "dev/knot/track/boot/KnotTracker";

    static byte[] jdkClass(String internal) throws Exception {
        try (InputStream in = Object.class.getResourceAsStream("/" + internal + ".class")) {
            assertNotNull(in, internal);
            return in.readAllBytes();
        }
    }

    @Test
    void everyPlannedMethodIsHookedAndTheClassesVerify() throws Exception {
        TrackTransformer t = new TrackTransformer(TRACKER, Options.of(Options.ALL_KINDS, true));
        for (String cls : t.classes()) {
            byte[] out = t.transform(null, cls, null, null, jdkClass(cls));
            assertNotNull(out, cls + ": " + t.failures.get(cls));
            assertEquals(Set.of(), t.missing(cls), cls);
            StringWriter problems = new StringWriter();
            CheckClassAdapter.verify(new ClassReader(out), false, new PrintWriter(problems));
            assertEquals("", problems.toString(), cls);
            Map<String, Integer> calls = hookCalls(out);
            assertEquals(t.planFor(cls).keySet(), calls.keySet(), cls);
        }
    }

    @Test
    void hookCallsPerMethodMatchTheExits() throws Exception {
        TrackTransformer t = new TrackTransformer(TRACKER, Options.of(Options.ALL_KINDS, false));
        Map<String, Integer> sem = hookCalls(t.transform(null, TrackTransformer.SEMAPHORE, null, null,
                jdkClass(TrackTransformer.SEMAPHORE)));
        assertEquals(1, sem.get("acquire()V"));
        assertEquals(1, sem.get("release(I)V"));
        Map<String, Integer> cf = hookCalls(t.transform(null, TrackTransformer.CF, null, null, jdkClass(TrackTransformer.CF)));
        assertTrue(cf.get("waitingGet(Z)Ljava/lang/Object;") >= 2, cf.toString()); // entry and every exit
    }

    @Test
    void aClassAlreadyHookedIsLeftAlone() throws Exception {
        TrackTransformer t = new TrackTransformer(TRACKER, Options.of(Options.ALL_KINDS, false));
        byte[] once = t.transform(null, TrackTransformer.SEMAPHORE, null, null, jdkClass(TrackTransformer.SEMAPHORE));
        assertNull(t.transform(null, TrackTransformer.SEMAPHORE, null, null, once));
        assertTrue(t.failures.get(TrackTransformer.SEMAPHORE).contains("already instrumented"));
    }

    @Test
    void otherClassesAndLoadersAreNotTouched() throws Exception {
        TrackTransformer t = new TrackTransformer(TRACKER, Options.of(Set.of("semaphores"), false));
        assertNull(t.transform(null, TrackTransformer.CF, null, null, jdkClass(TrackTransformer.CF)));
        assertNull(t.transform(getClass().getClassLoader(), TrackTransformer.SEMAPHORE, null, null,
                jdkClass(TrackTransformer.SEMAPHORE)));
    }

    static byte[] libraryClass(String internal) throws Exception {
        try (InputStream in = TrackTransformerTest.class.getClassLoader().getResourceAsStream(internal + ".class")) {
            assertNotNull(in, internal);
            return in.readAllBytes();
        }
    }

    /** commons-pool2 2.13.1 and HikariCP 7.1.0 (test dependencies): the hooks a complete record needs, and it verifies. */
    @Test
    void thePoolClassesOfTheRealLibrariesAreHookedAndVerify() throws Exception {
        TrackTransformer t = new TrackTransformer(TRACKER, Options.of(Options.ALL_KINDS, false));
        ClassLoader app = getClass().getClassLoader();
        String obj = "Ljava/lang/Object;";
        Map<String, Map<String, Integer>> want = Map.of(
                TrackTransformer.GOP, Map.of(
                        "borrowObject(Ljava/time/Duration;)" + obj, 1, // one per areturn
                        "borrowObject(J)" + obj, 1,
                        "returnObject(" + obj + ")V", 1,
                        "invalidateObject(" + obj + "Lorg/apache/commons/pool2/DestroyMode;)V", 1),
                TrackTransformer.BAG, Map.of(
                        "requite(Lcom/zaxxer/hikari/util/ConcurrentBag$IConcurrentBagEntry;)V", 1,
                        "remove(Lcom/zaxxer/hikari/util/ConcurrentBag$IConcurrentBagEntry;)Z", 1));
        for (String cls : want.keySet()) {
            byte[] out = t.transform(app, cls, null, null, libraryClass(cls));
            assertNotNull(out, cls + ": " + t.libraries);
            StringWriter problems = new StringWriter();
            CheckClassAdapter.verify(new ClassReader(out), app, false, new PrintWriter(problems));
            assertEquals("", problems.toString(), cls);
            Map<String, Integer> calls = hookCalls(out);
            want.get(cls).forEach((m, n) -> assertEquals(n, calls.get(m), cls + "." + m + ": " + calls));
            assertTrue(calls.keySet().stream().anyMatch(m -> m.startsWith("<init>(")), "constructors: " + calls);
            assertEquals(null, calls.get("invalidateObject(" + obj + ")V"), "it delegates: hooked once, inside");
            assertEquals(null, calls.get("borrowObject()" + obj), "it delegates");
        }
        Map<String, Integer> bag = hookCalls(t.transform(app, TrackTransformer.BAG, null, null, libraryClass(TrackTransformer.BAG)));
        assertTrue(bag.get("borrow(JLjava/util/concurrent/TimeUnit;)Lcom/zaxxer/hikari/util/ConcurrentBag$IConcurrentBagEntry;") >= 2,
                "every areturn of borrow: " + bag);
        assertTrue(t.libraries.values().stream().allMatch(TrackTransformer.TRACKED::equals), t.libraries.toString());
    }

    @Test
    void aPoolClassWithoutEveryMethodARecordNeedsIsLeftAsItWas() throws Exception {
        Set<String> methods = new java.util.LinkedHashSet<>(TrackTransformer.methodsOf(libraryClass(TrackTransformer.GOP)));
        assertNotNull(TrackTransformer.poolPlan(TrackTransformer.GOP, methods));
        methods.remove("returnObject(Ljava/lang/Object;)V");
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> TrackTransformer.poolPlan(TrackTransformer.GOP, methods));
        assertTrue(e.getMessage().contains("returnObject"), e.getMessage());
    }

    @Test
    void poolClassesAreTouchedOnlyWithTrackPoolsAndNeverFromTheBootLoader() throws Exception {
        ClassLoader app = getClass().getClassLoader();
        TrackTransformer off = new TrackTransformer(TRACKER, Options.of(Set.of("semaphores"), false));
        assertNull(off.transform(app, TrackTransformer.GOP, null, null, libraryClass(TrackTransformer.GOP)));
        TrackTransformer on = new TrackTransformer(TRACKER, Options.of(Set.of("pools"), false));
        assertNull(on.transform(null, TrackTransformer.GOP, null, null, libraryClass(TrackTransformer.GOP)));
        assertEquals(Set.of(), on.classes(), "no JDK class is planned for pools");
        byte[] once = on.transform(app, TrackTransformer.GOP, null, null, libraryClass(TrackTransformer.GOP));
        assertNull(on.transform(app, TrackTransformer.GOP, null, null, once));
        assertTrue(on.libraries.values().stream().anyMatch(v -> v.contains("already instrumented")), on.libraries.toString());
    }

    /** method name+desc → number of calls into the tracker. */
    static Map<String, Integer> hookCalls(byte[] bytes) {
        Map<String, Integer> calls = new TreeMap<>();
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                String key = name + desc;
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int op, String owner, String n, String d, boolean itf) {
                        if (owner.equals(TRACKER)) calls.merge(key, 1, Integer::sum);
                    }
                };
            }
        }, 0);
        return calls;
    }
}
