package dev.knot.model;

import dev.knot.sites.WaitSites;
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
                if (!WaitSites.bookkeepingLock(o.className())) return true;
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

    /** The thread producing the dump in-process: busy with the dump itself, not with the application's locks. */
    static boolean takingThisDump(List<StackFrame> f) {
        return Blockers.takesDump(f);
    }

    /** Waiting for work: pool workers without a task, schedulers, timers, selectors, consumers on empty queues. */
    static boolean idle(List<StackFrame> f) {
        return Blockers.idle(f);
    }
}
