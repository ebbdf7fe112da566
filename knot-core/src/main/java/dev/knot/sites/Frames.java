package dev.knot.sites;

import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.ObjectRef;
import dev.knot.snapshot.StackFrame;
import java.util.List;

/** Stack-frame helpers shared by the model builder and the rules. */
public final class Frames {
    private Frames() {
    }

    /** JDK, JVM-generated, test-framework and build-tool code ({@link PlatformCode}): never where the bug is. */
    public static boolean isPlatform(StackFrame f) {
        return PlatformCode.isPlatform(f.className());
    }

    /**
     * Innermost frame of the caller's own code: neither platform code nor a method or package of a library the
     * catalogue of wait sites knows (a borrow from a HikariCP pool is looked for where the application asked for the
     * connection); the top frame if the stack has none.
     */
    public static StackFrame applicationSite(List<StackFrame> frames) {
        for (int i = 0; i < frames.size(); i++) {
            StackFrame f = frames.get(i);
            if (!isPlatform(f) && WaitSites.entryFor(f.className(), f.method()) == null
                    && !WaitSites.inCataloguedLibrary(f.className())) {
                return f;
            }
        }
        return frames.isEmpty() ? null : frames.get(0);
    }

    /** True if any of the first {@code depth} frames is {@code cls.method}. */
    public static boolean near(List<StackFrame> frames, int depth, String cls, String method) {
        for (int i = 0; i < Math.min(depth, frames.size()); i++) {
            if (frames.get(i).is(cls, method)) return true;
        }
        return false;
    }

    /** True if some frame's class starts with {@code classPrefix} and its method is {@code method} (null: any). */
    public static boolean anywhere(List<StackFrame> frames, String classPrefix, String method) {
        for (int i = 0; i < frames.size(); i++) {
            StackFrame f = frames.get(i);
            if (f.className().startsWith(classPrefix) && (method == null || f.method().equals(method))) return true;
        }
        return false;
    }

    /**
     * The Thread object a thread in {@code Thread.join} waits for: its {@code - waiting on <…> (a java.lang.Thread)},
     * or, where jstack printed {@code <no object reference available>} instead (a compiled frame), the thread object
     * the {@code join} frame holds (join waits on the monitor it holds). Null if the top frames are not a join.
     */
    public static ObjectRef joinedThread(List<StackFrame> frames) {
        ObjectRef unnamed = null;
        for (int i = 0; i < Math.min(4, frames.size()); i++) {
            StackFrame f = frames.get(i);
            for (LockLine l : f.locks()) {
                if (l.action() == LockLine.Action.WAITING_ON) {
                    if (!l.object().id().equals("?")) {
                        return l.object().className().equals("java.lang.Thread") ? l.object() : null;
                    }
                    unnamed = l.object();
                }
                if (unnamed != null && l.action() == LockLine.Action.LOCKED && f.is("java.lang.Thread", "join")
                        && l.object().className().equals("java.lang.Thread")) {
                    return l.object();
                }
            }
        }
        return null;
    }

    public static String describe(StackFrame f) {
        return f == null ? "an unknown place" : f.location();
    }
}
