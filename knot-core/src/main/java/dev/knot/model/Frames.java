package dev.knot.model;

import dev.knot.input.StackFrame;
import java.util.List;

/** Stack-frame helpers shared by the model builder and the rules. */
public final class Frames {
    private Frames() {
    }

    /** JDK and JVM-generated code: never where the bug is. */
    public static boolean isPlatform(StackFrame f) {
        String c = f.className();
        return c.startsWith("java.") || c.startsWith("javax.") || c.startsWith("jdk.") || c.startsWith("sun.")
                || c.startsWith("com.sun.") || c.contains("$$Lambda") || c.startsWith("org.junit.");
    }

    /** Innermost non-platform frame, or the top frame if the stack is all JDK. */
    public static StackFrame applicationSite(List<StackFrame> frames) {
        for (int i = 0; i < frames.size(); i++) {
            if (!isPlatform(frames.get(i))) return frames.get(i);
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

    public static String describe(StackFrame f) {
        return f == null ? "an unknown place" : f.location();
    }
}
