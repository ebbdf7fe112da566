package dev.knot.model;

import dev.knot.input.DumpedThread;
import dev.knot.input.StackFrame;
import java.util.List;

/** Which pool a worker belongs to: the JSON container if the format has one, else the name family. */
final class Pools {
    private Pools() {
    }

    static String poolOf(DumpedThread d) {
        List<StackFrame> f = d.frames();
        boolean tpe = Frames.anywhere(f, "java.util.concurrent.ThreadPoolExecutor", "runWorker");
        boolean fjp = Frames.anywhere(f, "java.util.concurrent.ForkJoinWorkerThread", "run");
        if (!tpe && !fjp) return "";
        String c = d.container();
        if (!c.isEmpty() && !c.equals("<root>")) return c;
        return nameFamily(d.name());
    }

    /** {@code pool-3-thread-7} → {@code pool-3-thread-*}: workers of one factory share a prefix. */
    static String nameFamily(String name) {
        int end = name.length();
        while (end > 0 && Character.isDigit(name.charAt(end - 1))) end--;
        if (end == name.length()) return name;
        return name.substring(0, end) + "*";
    }
}
