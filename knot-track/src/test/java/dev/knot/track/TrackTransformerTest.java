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
