package dev.knot.track;

import java.lang.instrument.ClassFileTransformer;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Inserts calls to the boot-path tracker into java.util.concurrent. Body-only changes: straight-line code at
 * method entry or before a return/throw, no new branches, locals, fields or methods, so the class's stack map
 * frames stay valid and only max stack is recomputed (no class loading from inside the transformer).
 */
final class TrackTransformer implements ClassFileTransformer {

    /** Where a hook goes and what it passes. */
    enum Hook {
        ACQUIRED_1, ACQUIRED_ARG, TRY_1, TRY_ARG, DRAINED, RELEASE_1, RELEASE_ARG,
        PRODUCES, CONSUMES, WAITS, RUNS,
        /** FutureTask.setException: entry taskFailing(this, t, state), exit taskFailDone(this, state) */
        FT_FAIL,
        /** FutureTask.report(int s): entry taskReported(this, s) */
        FT_REPORT,
        /** CompletableFuture.completeThrowable/completeExceptionally: entry futureFailing, return futureFailDone */
        CF_FAIL,
        /** entry observed(arg 0): this, or the source of the static uniCopyStage */
        OBSERVES,
        /** entry observed2(this, arg 2): bi/or stages (arg 1 is the executor) */
        OBSERVES2,
        /** entry observedAll(arg 0): allOf/anyOf */
        OBSERVES_ALL,
        /** every exit observed(this): the end of a wait, a pushed dependent */
        OBSERVES_EXIT,
        /** a pool's constructor, at its return: poolCreated(this) */
        POOL_CREATED,
        /** a borrow, at a normal return: poolBorrowed(the returned object, this) */
        POOL_BORROW,
        /** a return or invalidation, at entry: poolReturned(this, arg 1) */
        POOL_RETURN,
        /** a removal that may also take idle objects, at entry: poolRemoved(this, arg 1) */
        POOL_REMOVE
    }

    /** commons-pool2's pool (loaded by the application's class loader, like every library class here). */
    static final String GOP = "org/apache/commons/pool2/impl/GenericObjectPool";
    /** HikariCP's bag of connections: borrow, requite, remove. */
    static final String BAG = "com/zaxxer/hikari/util/ConcurrentBag";
    /** The library classes tracked with {@code track=pools}, as binary names. */
    static final java.util.List<String> POOL_CLASSES = java.util.List.of(GOP.replace('/', '.'), BAG.replace('/', '.'));

    static final String SEMAPHORE = "java/util/concurrent/Semaphore";
    static final String ABQ = "java/util/concurrent/ArrayBlockingQueue";
    static final String LBQ = "java/util/concurrent/LinkedBlockingQueue";
    static final String LBD = "java/util/concurrent/LinkedBlockingDeque";
    static final String CF = "java/util/concurrent/CompletableFuture";
    static final String ASYNC_SUPPLY = "java/util/concurrent/CompletableFuture$AsyncSupply";
    static final String ASYNC_RUN = "java/util/concurrent/CompletableFuture$AsyncRun";
    static final String FUTURE_TASK = "java/util/concurrent/FutureTask";

    private static final String O = "Ljava/lang/Object;";
    private static final String TU = "Ljava/util/concurrent/TimeUnit;";

    private final String tracker; // internal name of the boot KnotTracker
    private final Map<String, Map<String, List<Hook>>> plan;
    /** class → methods (name+desc) that got their hook in the last transformation. */
    final Map<String, Set<String>> done = new ConcurrentHashMap<>();
    /** class → why it could not be transformed. */
    final Map<String, String> failures = new ConcurrentHashMap<>();
    private final boolean pools;
    /** Library classes ("name in loader"), each with "tracked" or why it was left as it was. */
    final Map<String, String> libraries = new ConcurrentHashMap<>();

    TrackTransformer(String trackerInternalName, Options o) {
        this.tracker = trackerInternalName;
        this.plan = plan(o);
        this.pools = o.pools();
    }

    /** The classes (internal names) this transformer changes. */
    Set<String> classes() {
        return plan.keySet();
    }

    Map<String, List<Hook>> planFor(String cls) {
        return plan.get(cls);
    }

    static Map<String, Map<String, List<Hook>>> plan(Options o) {
        Map<String, Map<String, Hook>> p = new LinkedHashMap<>();
        if (o.semaphores()) {
            Map<String, Hook> m = new LinkedHashMap<>();
            m.put("acquire()V", Hook.ACQUIRED_1);
            m.put("acquireUninterruptibly()V", Hook.ACQUIRED_1);
            m.put("acquire(I)V", Hook.ACQUIRED_ARG);
            m.put("acquireUninterruptibly(I)V", Hook.ACQUIRED_ARG);
            m.put("tryAcquire()Z", Hook.TRY_1);
            m.put("tryAcquire(J" + TU + ")Z", Hook.TRY_1);
            m.put("tryAcquire(I)Z", Hook.TRY_ARG);
            m.put("tryAcquire(IJ" + TU + ")Z", Hook.TRY_ARG);
            m.put("drainPermits()I", Hook.DRAINED);
            m.put("release()V", Hook.RELEASE_1);
            m.put("release(I)V", Hook.RELEASE_ARG);
            p.put(SEMAPHORE, m);
        }
        if (o.queues()) {
            for (String q : new String[] {ABQ, LBQ}) {
                Map<String, Hook> m = new LinkedHashMap<>();
                m.put("put(" + O + ")V", Hook.PRODUCES);
                m.put("offer(" + O + ")Z", Hook.PRODUCES);
                m.put("offer(" + O + "J" + TU + ")Z", Hook.PRODUCES);
                m.put("take()" + O, Hook.CONSUMES);
                m.put("poll()" + O, Hook.CONSUMES);
                m.put("poll(J" + TU + ")" + O, Hook.CONSUMES);
                m.put("drainTo(Ljava/util/Collection;I)I", Hook.CONSUMES);
                removals(m, q);
                p.put(q, m);
            }
            Map<String, Hook> m = new LinkedHashMap<>();
            for (String end : new String[] {"First", "Last"}) {
                m.put("put" + end + "(" + O + ")V", Hook.PRODUCES);
                m.put("offer" + end + "(" + O + ")Z", Hook.PRODUCES);
                m.put("offer" + end + "(" + O + "J" + TU + ")Z", Hook.PRODUCES);
                m.put("take" + end + "()" + O, Hook.CONSUMES);
                m.put("poll" + end + "()" + O, Hook.CONSUMES);
                m.put("poll" + end + "(J" + TU + ")" + O, Hook.CONSUMES);
            }
            m.put("drainTo(Ljava/util/Collection;I)I", Hook.CONSUMES);
            removals(m, LBD);
            p.put(LBD, m);
        }
        if (o.futures()) {
            Map<String, Hook> m = new LinkedHashMap<>();
            m.put("waitingGet(Z)" + O, Hook.WAITS);
            m.put("timedGet(J)" + O, Hook.WAITS);
            p.put(CF, m);
            p.put(ASYNC_SUPPLY, Map.of("run()V", Hook.RUNS));
            p.put(ASYNC_RUN, Map.of("run()V", Hook.RUNS));
        }
        Map<String, Map<String, List<Hook>>> out = new LinkedHashMap<>();
        p.forEach((cls, m) -> m.forEach((meth, h) -> add(out, cls, meth, h)));
        if (o.failures()) {
            boolean jdk19 = Runtime.version().feature() >= 19;
            add(out, FUTURE_TASK, "setException(Ljava/lang/Throwable;)V", Hook.FT_FAIL);
            add(out, FUTURE_TASK, "report(I)" + O, Hook.FT_REPORT);
            if (jdk19) {
                for (String m : new String[] {"resultNow()" + O, "exceptionNow()Ljava/lang/Throwable;",
                        "state()Ljava/util/concurrent/Future$State;"}) {
                    add(out, FUTURE_TASK, m, Hook.OBSERVES);
                    add(out, CF, m, Hook.OBSERVES);
                }
            }
            add(out, CF, "completeThrowable(Ljava/lang/Throwable;)Z", Hook.CF_FAIL);
            // not completeThrowable(Throwable, Object): it relays a source's failure to a dependent (whenComplete
            // relays the exception its action saw), and the source had that dependent, so it counts as observed
            add(out, CF, "completeExceptionally(Ljava/lang/Throwable;)Z", Hook.CF_FAIL);
            String ex = "Ljava/util/concurrent/Executor;";
            String cf = "L" + CF + ";";
            for (String m : new String[] {"get()" + O, "get(J" + TU + ")" + O, "join()" + O, "getNow(" + O + ")" + O,
                    "isCompletedExceptionally()Z",
                    "uniApplyStage(" + ex + "Ljava/util/function/Function;)" + cf,
                    "uniAcceptStage(" + ex + "Ljava/util/function/Consumer;)" + cf,
                    "uniRunStage(" + ex + "Ljava/lang/Runnable;)" + cf,
                    "uniWhenCompleteStage(" + ex + "Ljava/util/function/BiConsumer;)" + cf,
                    "uniHandleStage(" + ex + "Ljava/util/function/BiFunction;)" + cf,
                    "uniExceptionallyStage(" + ex + "Ljava/util/function/Function;)" + cf,
                    "uniComposeExceptionallyStage(" + ex + "Ljava/util/function/Function;)" + cf,
                    "uniComposeStage(" + ex + "Ljava/util/function/Function;)" + cf,
                    "uniCopyStage(" + cf + ")" + cf,
                    "uniAsMinimalStage()Ljava/util/concurrent/CompletableFuture$MinimalStage;"}) {
                add(out, CF, m, Hook.OBSERVES);
            }
            String cs = "Ljava/util/concurrent/CompletionStage;";
            for (String m : new String[] {"biApplyStage(" + ex + cs + "Ljava/util/function/BiFunction;)" + cf,
                    "biAcceptStage(" + ex + cs + "Ljava/util/function/BiConsumer;)" + cf,
                    "biRunStage(" + ex + cs + "Ljava/lang/Runnable;)" + cf,
                    "orApplyStage(" + ex + cs + "Ljava/util/function/Function;)" + cf,
                    "orAcceptStage(" + ex + cs + "Ljava/util/function/Consumer;)" + cf,
                    "orRunStage(" + ex + cs + "Ljava/lang/Runnable;)" + cf}) {
                add(out, CF, m, Hook.OBSERVES2);
            }
            add(out, CF, "allOf([" + cf + ")" + cf, Hook.OBSERVES_ALL);
            add(out, CF, "anyOf([" + cf + ")" + cf, Hook.OBSERVES_ALL);
            add(out, CF, "waitingGet(Z)" + O, Hook.OBSERVES_EXIT);
            add(out, CF, "timedGet(J)" + O, Hook.OBSERVES_EXIT);
            add(out, CF, "unipush(L" + CF + "$Completion;)V", Hook.OBSERVES_EXIT);
        }
        return out;
    }

    /**
     * Every other way to make space (remove(Object) and iterator removal go through removeAt/unlink): a thread that
     * frees space only through these counts as a consumer, so a complete consumer set can be claimed.
     */
    private static void removals(Map<String, Hook> m, String q) {
        String node = "L" + q + "$Node;";
        m.put(q.equals(ABQ) ? "removeAt(I)V" : q.equals(LBQ) ? "unlink(" + node + node + ")V" : "unlink(" + node + ")V",
                Hook.CONSUMES);
        m.put("clear()V", Hook.CONSUMES);
        m.put("bulkRemove(Ljava/util/function/Predicate;)Z", Hook.CONSUMES);
    }

    private static void add(Map<String, Map<String, List<Hook>>> p, String cls, String method, Hook h) {
        p.computeIfAbsent(cls, k -> new LinkedHashMap<>()).computeIfAbsent(method, k -> new ArrayList<>()).add(h);
    }

    /**
     * The hooks of a pool class, by method (name + descriptor), chosen from the methods the class has; throws when
     * a method a complete record needs is missing (then the class is left as it was: half the hooks would count
     * borrows without their returns).
     */
    static Map<String, List<Hook>> poolPlan(String cls, Set<String> methods) {
        Map<String, List<Hook>> m = new LinkedHashMap<>();
        for (String md : methods) {
            if (md.startsWith("<init>(")) add(m, md, Hook.POOL_CREATED);
        }
        if (cls.equals(GOP)) {
            // borrowObject() and one of these delegate to the other: the same loan is recorded once
            boolean borrow = false;
            for (String md : new String[] {"borrowObject(Ljava/time/Duration;)" + O, "borrowObject(J)" + O}) {
                if (methods.contains(md)) {
                    add(m, md, Hook.POOL_BORROW);
                    borrow = true;
                }
            }
            require(borrow, cls, "borrowObject(Duration) or borrowObject(long)");
            String ret = "returnObject(" + O + ")V";
            require(methods.contains(ret), cls, "returnObject(Object)");
            add(m, ret, Hook.POOL_RETURN);
            // invalidateObject(T) delegates to invalidateObject(T, DestroyMode) where that exists: hook only the inner one
            String inv2 = "invalidateObject(" + O + "Lorg/apache/commons/pool2/DestroyMode;)V";
            String inv1 = "invalidateObject(" + O + ")V";
            require(methods.contains(inv2) || methods.contains(inv1), cls, "invalidateObject(Object)");
            add(m, methods.contains(inv2) ? inv2 : inv1, Hook.POOL_RETURN);
        } else if (cls.equals(BAG)) {
            String entry = "Lcom/zaxxer/hikari/util/ConcurrentBag$IConcurrentBagEntry;";
            String borrow = "borrow(J" + TU + ")" + entry;
            String requite = "requite(" + entry + ")V";
            String remove = "remove(" + entry + ")Z";
            require(methods.contains(borrow), cls, "borrow(long, TimeUnit)");
            require(methods.contains(requite), cls, "requite(entry)");
            require(methods.contains(remove), cls, "remove(entry)");
            add(m, borrow, Hook.POOL_BORROW);
            add(m, requite, Hook.POOL_RETURN);
            add(m, remove, Hook.POOL_REMOVE);
        } else {
            throw new IllegalArgumentException("not a pool class: " + cls);
        }
        require(m.keySet().stream().anyMatch(k -> k.startsWith("<init>(")), cls, "a constructor");
        return m;
    }

    private static void require(boolean ok, String cls, String what) {
        if (!ok) throw new IllegalStateException(cls.replace('/', '.') + " has no method " + what + " (another version?)");
    }

    private static void add(Map<String, List<Hook>> m, String method, Hook h) {
        m.computeIfAbsent(method, k -> new ArrayList<>()).add(h);
    }

    /** Methods (name + descriptor) of a class, non-abstract and non-native. */
    static Set<String> methodsOf(byte[] bytes) {
        Set<String> out = new LinkedHashSet<>();
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
                if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0) out.add(name + desc);
                return null;
            }
        }, ClassReader.SKIP_CODE);
        return out;
    }

    /** A library class: never a JDK one, never throws; what happened goes to {@link #libraries}. */
    private byte[] transformPool(ClassLoader loader, String className, byte[] bytes) {
        String where = className.replace('/', '.') + " in " + loaderName(loader);
        try {
            if (alreadyHooked(bytes)) {
                libraries.put(where, "already instrumented by another Knot tracker");
                return null;
            }
            Map<String, List<Hook>> methods = poolPlan(className, methodsOf(bytes));
            Set<String> hooked = ConcurrentHashMap.newKeySet();
            byte[] out = instrument(bytes, className, methods, hooked);
            if (!hooked.containsAll(methods.keySet())) throw new IllegalStateException("not every hook went in");
            libraries.put(where, TRACKED);
            return out;
        } catch (Throwable t) {
            libraries.put(where, Tracking.oneLine(t));
            return null;
        }
    }

    static final String TRACKED = "tracked";

    static String loaderName(ClassLoader l) {
        String n = l.getName();
        return (n != null ? n : l.getClass().getName()) + "@" + Integer.toHexString(System.identityHashCode(l));
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain pd, byte[] bytes) {
        if (className == null) return null;
        if (loader != null) {
            return pools && (className.equals(GOP) || className.equals(BAG)) ? transformPool(loader, className, bytes) : null;
        }
        Map<String, List<Hook>> methods = plan.get(className);
        if (methods == null) return null;
        try {
            if (alreadyHooked(bytes)) {
                failures.put(className, "already instrumented by another Knot tracker");
                return null;
            }
            Set<String> hooked = ConcurrentHashMap.newKeySet();
            byte[] out = instrument(bytes, className, methods, hooked);
            done.put(className, hooked);
            failures.remove(className);
            return out;
        } catch (Throwable t) {
            failures.put(className, t.toString());
            return null;
        }
    }

    /** Does the class already call a Knot tracker (from an earlier or a relocated copy of this agent)? */
    static boolean alreadyHooked(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1).contains("/track/boot/KnotTracker");
    }

    byte[] instrument(byte[] bytes, String className, Map<String, List<Hook>> methods, Set<String> hooked) {
        ClassReader r = new ClassReader(bytes);
        ClassWriter w = new ClassWriter(r, ClassWriter.COMPUTE_MAXS);
        boolean[] hasSync = {false};
        // first pass: the field the semaphore hooks read
        if (className.equals(SEMAPHORE)) {
            r.accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public FieldVisitor visitField(int access, String name, String desc, String sig, Object value) {
                    if (name.equals("sync") && desc.equals("L" + SEMAPHORE + "$Sync;")) hasSync[0] = true;
                    return null;
                }
            }, ClassReader.SKIP_CODE);
            if (!hasSync[0]) throw new IllegalStateException("Semaphore has no field 'sync' of type Semaphore$Sync");
        }
        r.accept(new ClassVisitor(Opcodes.ASM9, w) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, desc, sig, exceptions);
                List<Hook> h = methods.get(name + desc);
                if (h == null || mv == null || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) return mv;
                hooked.add(name + desc);
                return new HookAdapter(mv, className, h);
            }
        }, 0);
        return w.toByteArray();
    }

    private final class HookAdapter extends MethodVisitor {
        private final String owner;
        private final List<Hook> hooks;

        HookAdapter(MethodVisitor mv, String owner, List<Hook> hooks) {
            super(Opcodes.ASM9, mv);
            this.owner = owner;
            this.hooks = hooks;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            for (Hook hook : hooks) entry(hook);
        }

        private void entry(Hook hook) {
            switch (hook) {
                case PRODUCES -> thisCall("produces");
                case CONSUMES -> thisCall("consumes");
                case WAITS -> thisCall("waits");
                case RUNS -> {
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitFieldInsn(Opcodes.GETFIELD, owner, "dep", "L" + CF + ";");
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, tracker, "runs", "(" + O + ")V", false);
                }
                case FT_FAIL -> {
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitVarInsn(Opcodes.ALOAD, 1);
                    loadState();
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, tracker, "taskFailing", "(" + O + "Ljava/lang/Throwable;I)V", false);
                }
                case FT_REPORT -> {
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitVarInsn(Opcodes.ILOAD, 1);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, tracker, "taskReported", "(" + O + "I)V", false);
                }
                case CF_FAIL -> {
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitVarInsn(Opcodes.ALOAD, 1);
                    loadStack();
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, tracker, "futureFailing", "(" + O + "Ljava/lang/Throwable;" + O + ")V", false);
                }
                case OBSERVES -> thisCall("observed");
                case OBSERVES2 -> {
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitVarInsn(Opcodes.ALOAD, 2);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, tracker, "observed2", "(" + O + O + ")V", false);
                }
                case OBSERVES_ALL -> {
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, tracker, "observedAll", "([" + O + ")V", false);
                }
                case POOL_RETURN, POOL_REMOVE -> {
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitVarInsn(Opcodes.ALOAD, 1);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, tracker, hook == Hook.POOL_RETURN ? "poolReturned" : "poolRemoved",
                            "(" + O + O + ")V", false);
                }
                default -> { }
            }
        }

        private void loadState() {
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitFieldInsn(Opcodes.GETFIELD, FUTURE_TASK, "state", "I");
        }

        private void loadStack() {
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitFieldInsn(Opcodes.GETFIELD, CF, "stack", "L" + CF + "$Completion;");
        }

        @Override
        public void visitInsn(int opcode) {
            boolean exit = opcode == Opcodes.RETURN || opcode == Opcodes.IRETURN || opcode == Opcodes.ARETURN;
            if (exit || opcode == Opcodes.ATHROW) {
                for (Hook hook : hooks) exit(hook, opcode, exit);
            }
            super.visitInsn(opcode);
        }

        private void exit(Hook hook, int opcode, boolean exit) {
            {
                switch (hook) {
                    case ACQUIRED_1 -> { if (exit) semaphoreCall("acquired", Opcodes.ICONST_1); }
                    case ACQUIRED_ARG -> { if (exit) semaphoreCall("acquired", -1); }
                    case RELEASE_1 -> { if (exit) semaphoreCall("released", Opcodes.ICONST_1); }
                    case RELEASE_ARG -> { if (exit) semaphoreCall("released", -1); }
                    case TRY_1, TRY_ARG -> {
                        if (opcode == Opcodes.IRETURN) {
                            super.visitInsn(Opcodes.DUP); // the boolean result stays for the return
                            loadPermits(hook == Hook.TRY_1 ? Opcodes.ICONST_1 : -1);
                            loadSync();
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, tracker, "tryAcquired", "(ZI" + O + ")V", false);
                        }
                    }
                    case DRAINED -> {
                        if (opcode == Opcodes.IRETURN) {
                            super.visitInsn(Opcodes.DUP);
                            loadSync();
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, tracker, "acquired", "(I" + O + ")V", false);
                        }
                    }
                    case WAITS -> thisCall("waitDone");
                    case POOL_CREATED -> { if (opcode == Opcodes.RETURN) thisCall("poolCreated"); }
                    case POOL_BORROW -> {
                        if (opcode == Opcodes.ARETURN) {
                            super.visitInsn(Opcodes.DUP); // the borrowed object stays for the return
                            super.visitVarInsn(Opcodes.ALOAD, 0);
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, tracker, "poolBorrowed", "(" + O + O + ")V", false);
                        }
                    }
                    case OBSERVES_EXIT -> thisCall("observed");
                    case FT_FAIL -> {
                        if (opcode == Opcodes.RETURN) {
                            super.visitVarInsn(Opcodes.ALOAD, 0);
                            loadState();
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, tracker, "taskFailDone", "(" + O + "I)V", false);
                        }
                    }
                    case CF_FAIL -> {
                        if (opcode == Opcodes.IRETURN) {
                            super.visitInsn(Opcodes.DUP); // the boolean result stays for the return
                            super.visitVarInsn(Opcodes.ALOAD, 0);
                            loadStack();
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, tracker, "futureFailDone", "(Z" + O + O + ")V", false);
                        }
                    }
                    default -> { }
                }
            }
        }

        /** tracker.name(permits, this.sync) */
        private void semaphoreCall(String name, int constOrArg) {
            loadPermits(constOrArg);
            loadSync();
            super.visitMethodInsn(Opcodes.INVOKESTATIC, tracker, name, "(I" + O + ")V", false);
        }

        private void thisCall(String name) {
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, tracker, name, "(" + O + ")V", false);
        }

        private void loadPermits(int constOrArg) {
            if (constOrArg >= 0) super.visitInsn(constOrArg);
            else super.visitVarInsn(Opcodes.ILOAD, 1); // the int permits parameter
        }

        private void loadSync() {
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitFieldInsn(Opcodes.GETFIELD, SEMAPHORE, "sync", "L" + SEMAPHORE + "$Sync;");
        }
    }

    /** Methods of a class that the plan names but the class did not have (a JDK that renamed them). */
    Set<String> missing(String cls) {
        Set<String> want = new LinkedHashSet<>(plan.getOrDefault(cls, Map.of()).keySet());
        want.removeAll(done.getOrDefault(cls, Set.of()));
        return want;
    }
}
