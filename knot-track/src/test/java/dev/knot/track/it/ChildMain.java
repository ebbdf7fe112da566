package dev.knot.track.it;

import dev.knot.snapshot.LiveFact;
import dev.knot.snapshot.ThreadDump;
import dev.knot.live.LiveSnapshot;
import dev.knot.track.Tracking;
import dev.knot.track.boot.KnotTracker;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

/** A program the child-JVM tests start with the tracking agent; prints what it sees, one fact per line. */
public final class ChildMain {
    private ChildMain() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "untransformed" -> untransformed();
            case "count" -> count();
            case "late" -> late(args[1]);
            case "late-pools" -> latePools(args[1]);
            case "semaphore-facts" -> semaphoreFacts();
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.flush();
    }

    /** After a failed install: the hooks are gone even when the tracker is switched on by hand. */
    static void untransformed() {
        System.out.println("active=" + Tracking.active());
        System.out.println("reason=" + Tracking.disabledReason());
        System.out.println("enabled=" + KnotTracker.enabled);
        KnotTracker.enabled = true;
        Semaphore s = new Semaphore(1);
        s.acquireUninterruptibly();
        ArrayBlockingQueue<String> q = new ArrayBlockingQueue<>(1);
        q.offer("x");
        boolean seen = KnotTracker.current().holdings().length > 0 || KnotTracker.current().producedQueues().length > 0;
        KnotTracker.enabled = false;
        System.out.println(seen ? "TRANSFORMED" : "UNTRANSFORMED");
    }

    /** One acquire counts once, however often the agent was loaded. */
    static void count() {
        Semaphore s = new Semaphore(2);
        s.acquireUninterruptibly();
        Object[][] h = KnotTracker.current().holdings();
        System.out.println("holdings=" + h.length + " count=" + (h.length == 1 ? h[0][1] : "-"));
        System.out.println("active=" + (Tracking.active() == null ? null : Tracking.active().kinds()));
    }

    /** A semaphore taken twice: the facts tracking adds about it (none when semaphores are not tracked). */
    static void semaphoreFacts() {
        Semaphore s = new Semaphore(1);
        Thread t = new Thread(() -> {
            s.acquireUninterruptibly();
            s.acquireUninterruptibly();
        }, "sem-twice");
        t.setDaemon(true);
        t.start();
        while (LockSupport.getBlocker(t) == null) Thread.onSpinWait();
        printFacts(LiveSnapshot.take("child"), LockSupport.getBlocker(t));
        System.out.println("active=" + (Tracking.active() == null ? null : Tracking.active().kinds()));
    }

    static void printFacts(ThreadDump d, Object o) {
        String id = o.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(o));
        for (LiveFact f : d.facts()) {
            if (f.objectId().equals(id)) System.out.println("fact " + f.kind() + " " + f.detail());
        }
    }

    /** Tracking attached to a running JVM: holders are known, completeness is not claimed. */
    static void late(String agentJar) throws Exception {
        Semaphore s = new Semaphore(1);
        s.acquireUninterruptibly(); // before tracking: invisible to it
        s.release();
        attach(agentJar, "track=semaphores,track.sites=true");
        attach(agentJar, "track=semaphores,track.sites=true"); // twice: no second instrumentation, no output
        Thread t = new Thread(() -> {
            s.acquireUninterruptibly();
            s.acquireUninterruptibly();
        }, "late-sem-twice");
        t.setDaemon(true);
        t.start();
        while (LockSupport.getBlocker(t) == null) Thread.onSpinWait();
        printFacts(LiveSnapshot.take("child"), LockSupport.getBlocker(t));
    }

    static org.apache.commons.pool2.impl.GenericObjectPool<Object> pool(int max) {
        org.apache.commons.pool2.impl.GenericObjectPoolConfig<Object> c = new org.apache.commons.pool2.impl.GenericObjectPoolConfig<>();
        c.setMaxTotal(max);
        c.setJmxEnabled(false);
        return new org.apache.commons.pool2.impl.GenericObjectPool<>(new org.apache.commons.pool2.BasePooledObjectFactory<Object>() {
            @Override
            public Object create() {
                return new Object();
            }

            @Override
            public org.apache.commons.pool2.PooledObject<Object> wrap(Object o) {
                return new org.apache.commons.pool2.impl.DefaultPooledObject<>(o);
            }
        }, c);
    }

    /** A daemon that borrows one object and then waits for a second. Returns once it waits. */
    static Thread borrowTwice(org.apache.commons.pool2.impl.GenericObjectPool<Object> pool, String name) {
        Thread t = new Thread(() -> {
            try {
                pool.borrowObject();
                pool.borrowObject();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        while (LockSupport.getBlocker(t) == null) Thread.onSpinWait();
        return t;
    }

    /**
     * Tracking attached after GenericObjectPool was loaded and one pool made: the class is instrumented now; the
     * old pool's holders are named without a claim to know them all, a pool made afterwards is completely known.
     */
    static void latePools(String agentJar) throws Exception {
        org.apache.commons.pool2.impl.GenericObjectPool<Object> before = pool(2);
        before.borrowObject(); // before tracking: invisible to it
        attach(agentJar, "track=pools,track.sites=true");
        org.apache.commons.pool2.impl.GenericObjectPool<Object> after = pool(1);
        Thread a = borrowTwice(before, "late-pool-before");
        Thread b = borrowTwice(after, "late-pool-after");
        ThreadDump d = LiveSnapshot.take("child");
        System.out.println("before:");
        printFacts(d, LockSupport.getBlocker(a));
        System.out.println("after:");
        printFacts(d, LockSupport.getBlocker(b));
        for (LiveFact f : d.facts()) {
            if (f.objectId().equals(LiveFact.JVM) && f.detail().contains("pool")) System.out.println("jvm " + f.detail());
        }
    }

    static void attach(String jar, String options) throws Exception {
        Class<?> vm = Class.forName("com.sun.tools.attach.VirtualMachine");
        Object m = vm.getMethod("attach", String.class).invoke(null, Long.toString(ProcessHandle.current().pid()));
        try {
            vm.getMethod("loadAgent", String.class, String.class).invoke(m, jar, options);
        } finally {
            vm.getMethod("detach").invoke(m);
        }
    }
}
