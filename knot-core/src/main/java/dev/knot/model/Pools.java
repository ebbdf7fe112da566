package dev.knot.model;

import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.StackFrame;
import java.util.List;

/** Which pool a worker belongs to: the JSON container if the format has one, else the name family. */
final class Pools {
    private Pools() {
    }

    static String poolOf(DumpedThread d) {
        List<StackFrame> f = d.frames();
        if (!poolWorker(f)) return "";
        String c = d.container();
        if (!c.isEmpty() && !c.equals("<root>")) return c;
        return nameFamily(d.name());
    }

    private static boolean poolWorker(List<StackFrame> frames) {
        return Blockers.poolWorker(frames);
    }

    /** {@code pool-3-thread-7} → {@code pool-3-thread-*}: workers of one factory share a prefix. */
    static String nameFamily(String name) {
        int end = name.length();
        while (end > 0 && Character.isDigit(name.charAt(end - 1))) end--;
        if (end == name.length()) return name;
        return name.substring(0, end) + "*";
    }
}
