package dev.knot.snapshot;

import java.util.List;

/**
 * One stack frame with the lock annotations printed under it.
 *
 * @param className  fully qualified class name, e.g. {@code java.util.concurrent.locks.ReentrantLock}
 * @param method     method name, e.g. {@code lock} or {@code <clinit>}
 * @param module     module (and version) prefix if printed, e.g. {@code java.base@25.0.3}, else empty
 * @param file       source file, empty if unknown ({@code Unknown Source}, {@code Native Method})
 * @param line       line number, or -1 if unknown
 * @param nativeMethod true for {@code Native Method}
 * @param locks      lock annotations printed under this frame, in input order
 * @param text       the frame line as it appeared in the input (evidence)
 */
public record StackFrame(String className, String method, String module, String file, int line,
                         boolean nativeMethod, List<LockLine> locks, String text) {

    public StackFrame {
        module = module == null ? "" : module;
        file = file == null ? "" : file;
        locks = locks == null ? List.of() : List.copyOf(locks);
    }

    /** {@code Class.method} */
    public String qualifiedMethod() {
        return className + "." + method;
    }

    /** What {@link #location} prints, as a key that needs no string built: grouping 10,000 waits by site. */
    public record Site(String className, String method, String file, int line, boolean nativeMethod) {
    }

    public Site site() {
        return new Site(className, method, file, line, nativeMethod);
    }

    /** {@code Class.method(File.java:12)} as a human would cite it. */
    public String location() {
        String where;
        if (nativeMethod) where = "Native Method";
        else if (file.isEmpty()) where = "Unknown Source";
        else if (line >= 0) where = file + ":" + line;
        else where = file;
        return qualifiedMethod() + "(" + where + ")";
    }

    public boolean is(String cls, String meth) {
        return className.equals(cls) && method.equals(meth);
    }
}
