package dev.knot.model;

import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.StackFrame;
import java.util.List;
import java.util.Set;

/** Tells JVM-internal and idle threads from application threads; only the latter can be part of a hang. */
final class Roles {
    private Roles() {
    }

    private static final Set<String> SYSTEM_NAMES = Set.of(
            "Reference Handler", "Finalizer", "Signal Dispatcher", "Service Thread", "Monitor Deflation Thread",
            "Notification Thread", "Common-Cleaner", "Attach Listener", "VirtualThread-unblocker",
            "Sweeper thread", "DestroyJavaVM", "process reaper", "Java2D Disposer", "Read-Poller", "Write-Poller",
            "JFR Recorder Thread", "JFR Periodic Tasks", "JFR Shutdown Hook", "Surrogate Locker Thread (Concurrent GC)",
            "Low Memory Detector", "RMI Reaper", "GC Daemon", "Keep-Alive-Timer");

    static Role classify(DumpedThread d) {
        String name = d.name();
        if (d.id().isEmpty() && !d.virtual() && d.frames().isEmpty()) return Role.SYSTEM; // VM thread, GC, JIT
        if (SYSTEM_NAMES.contains(name) || name.contains("CompilerThread") || name.startsWith("JVMCI")
                || name.startsWith("JFR ") || name.endsWith("-Poller") && d.frames().isEmpty()) {
            return Role.SYSTEM;
        }
        // A carrier's work is its mounted virtual thread, which the dump lists separately.
        if (!d.carrierOf().isEmpty()) return Role.IDLE;
        List<StackFrame> f = d.frames();
        if (f.isEmpty()) return d.virtual() ? Role.APPLICATION : Role.SYSTEM;
        if (takingThisDump(f)) return Role.SYSTEM;
        if (holdsSomething(d)) return Role.APPLICATION; // a thread holding a lock is never merely idle
        if (idle(f)) return Role.IDLE;
        return Role.APPLICATION;
    }

    private static boolean holdsSomething(DumpedThread d) {
        if (d.ownableSynchronizers() != null) {
            for (var o : d.ownableSynchronizers()) {
                if (!o.className().endsWith("ThreadPoolExecutor$Worker")) return true;
            }
        }
        // indexed loops: the quick compiler a short run relies on allocates an iterator for every for-each
        List<StackFrame> frames = d.frames();
        for (int i = 0; i < frames.size(); i++) {
            List<LockLine> locks = frames.get(i).locks();
            for (int j = 0; j < locks.size(); j++) {
                LockLine l = locks.get(j);
                if (l.action() == LockLine.Action.LOCKED && !waitsOn(frames, l.object().id())) return true;
            }
        }
        return false;
    }

    /** The monitor a thread waits on in Object.wait() is released while it waits. */
    private static boolean waitsOn(List<StackFrame> frames, String id) {
        for (int i = 0; i < frames.size(); i++) {
            List<LockLine> locks = frames.get(i).locks();
            for (int j = 0; j < locks.size(); j++) {
                LockLine m = locks.get(j);
                if (m.action() == LockLine.Action.WAITING_ON && m.object().id().equals(id)) return true;
            }
        }
        return false;
    }

    private static final StackMemo<Boolean> TAKING_THIS_DUMP = new StackMemo<>((x, f) -> walkTakingThisDump(f));
    private static final StackMemo<Boolean> IDLE = new StackMemo<>((x, f) -> walkIdle(f));

    /**
     * The thread that is producing the dump in-process (an actuator endpoint, a watchdog, ThreadMXBean or
     * DiagnosticCommand callers): busy with the dump itself, not with the application's locks.
     */
    static boolean takingThisDump(List<StackFrame> f) {
        return TAKING_THIS_DUMP.get(f);
    }

    /** Waiting for work: pool workers without a task, schedulers, timers, selectors, acceptors, consumers on empty queues. */
    static boolean idle(List<StackFrame> f) {
        return IDLE.get(f);
    }

    private static boolean walkTakingThisDump(List<StackFrame> f) {
        for (int i = 0; i < Math.min(f.size(), 12); i++) {
            StackFrame s = f.get(i);
            String c = s.className();
            String m = s.method();
            if (c.equals("sun.management.ThreadImpl") && (m.startsWith("dumpThreads") || m.startsWith("getThreadInfo"))) return true;
            if (c.equals("com.sun.management.internal.DiagnosticCommandImpl") || c.equals("jdk.internal.vm.ThreadDumper")) return true;
            if (c.equals("java.lang.Thread") && (m.equals("dumpThreads") || m.equals("getAllStackTraces"))) return true;
        }
        return false;
    }

    private static boolean walkIdle(List<StackFrame> f) {
        int depth = Math.min(f.size(), 16);
        for (int i = 0; i < depth; i++) {
            StackFrame s = f.get(i);
            String c = s.className();
            String m = s.method();
            if (c.equals("java.util.concurrent.ThreadPoolExecutor") && m.equals("getTask")) return true;
            if (c.equals("java.util.concurrent.ForkJoinPool") && (m.equals("awaitWork") || m.equals("awaitQuiescence"))) return true;
            if (c.equals("java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue") && m.equals("take")) return true;
            if (c.equals("java.util.TimerThread") && m.equals("mainLoop")) return true;
            if (c.startsWith("sun.nio.ch.") && (m.equals("wait") || m.startsWith("doSelect") || m.equals("poll")
                    || m.equals("accept") || m.equals("accept0") || m.equals("epollWait") || m.equals("kqueueWait"))) return true;
            if (c.equals("java.net.ServerSocket") && m.startsWith("accept")) return true;
            if (c.startsWith("java.net.PlainSocketImpl") && m.startsWith("socketAccept")) return true;
            if (c.startsWith("io.netty.channel") && (m.equals("epollWait") || m.equals("select") || m.equals("epollWaitNoTimeout"))) return true;
            if (c.equals("java.lang.ref.ReferenceQueue") && m.startsWith("remove")) return true;
            if (c.equals("jdk.internal.misc.InnocuousThread")) return true;
            if (c.equals("java.lang.VirtualThread") && m.equals("takeVirtualThreadListToUnblock")) return true;
            if ((c.endsWith("BlockingQueue") || c.endsWith("BlockingDeque") || c.equals("java.util.concurrent.SynchronousQueue")
                    || c.equals("java.util.concurrent.LinkedTransferQueue")) && (m.startsWith("take") || m.startsWith("poll"))) {
                return true; // a consumer waiting for messages is healthy unless it holds a lock (checked by the caller)
            }
        }
        return false;
    }
}
