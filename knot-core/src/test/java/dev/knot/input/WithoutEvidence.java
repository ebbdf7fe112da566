package dev.knot.input;

import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.LiveFact;
import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.StackFrame;
import dev.knot.snapshot.ThreadDump;
import java.util.ArrayList;
import java.util.List;

/** An input with one kind of evidence taken out, as a format or a run that does not collect it would give it. */
public enum WithoutEvidence {
    /** "- locked" lines (and the JVM's own deadlock sections, which rest on them). */
    MONITOR_OWNERS,
    /** "Locked ownable synchronizers" (jstack without -l; a snapshot without reflection or ThreadMXBean owners). */
    LOCK_OWNERS,
    /** Everything a live snapshot proves beyond the stacks (no agent): the format stays live. */
    LIVE_FACTS,
    /** What knot-track adds: permit holders, who released a queue or signal, and that these lists are complete. */
    TRACKING;

    public ThreadDump strip(ThreadDump d) {
        List<DumpedThread> threads = new ArrayList<>();
        for (DumpedThread t : d.threads()) {
            List<StackFrame> frames = t.frames();
            if (this == MONITOR_OWNERS) {
                frames = new ArrayList<>();
                for (StackFrame f : t.frames()) {
                    List<LockLine> locks = f.locks().stream().filter(l -> l.action() != LockLine.Action.LOCKED).toList();
                    frames.add(new StackFrame(f.className(), f.method(), f.module(), f.file(), f.line(), f.nativeMethod(),
                            locks, f.text()));
                }
            }
            threads.add(new DumpedThread(t.name(), t.id(), t.nativeId(), t.virtual(), t.daemon(), t.state(), t.stateDetail(),
                    t.cpuMillis(), t.elapsedSeconds(), t.container(), t.carrierOf(), t.carrierId(), frames,
                    this == LOCK_OWNERS ? null : t.ownableSynchronizers(), t.headerLine(), t.lineNumber()));
        }
        List<LiveFact> facts = switch (this) {
            case LIVE_FACTS -> List.of();
            case TRACKING -> d.facts().stream().filter(f -> !tracked(f)).toList();
            default -> d.facts();
        };
        return new ThreadDump(d.source(), d.format(), d.time(), d.processId(), d.jvmVersion(), threads,
                this == MONITOR_OWNERS ? List.of() : d.jdkDeadlocks(), d.warnings(), facts);
    }

    /** Reflection proves read-lock holders only; every other holder, and every releaser, is tracking's. */
    private static boolean tracked(LiveFact f) {
        boolean readLock = f.objectId().startsWith("java.util.concurrent.locks.ReentrantReadWriteLock");
        return switch (f.kind()) {
            case HOLDS, HOLDERS_COMPLETE -> !readLock;
            case RELEASES, RELEASERS_COMPLETE -> true;
            default -> false;
        };
    }
}
