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

    private static final StackMemo<Boolean> POOL_WORKER = new StackMemo<>((x, f) -> walkPoolWorker(f));

    /** A ThreadPoolExecutor or ForkJoinPool worker: its bottom frames run the pool's loop. */
    private static boolean poolWorker(List<StackFrame> frames) {
        return POOL_WORKER.get(frames);
    }

    private static boolean walkPoolWorker(List<StackFrame> frames) {
        for (int i = frames.size() - 1; i >= 0; i--) { // from the bottom, where the worker loop is
            StackFrame s = frames.get(i);
            String c = s.className();
            if (c.startsWith("java.util.concurrent.ThreadPoolExecutor") && s.method().equals("runWorker")
                    || c.startsWith("java.util.concurrent.ForkJoinWorkerThread") && s.method().equals("run")) {
                return true;
            }
        }
        return false;
    }

    /** {@code pool-3-thread-7} → {@code pool-3-thread-*}: workers of one factory share a prefix. */
    static String nameFamily(String name) {
        int end = name.length();
        while (end > 0 && Character.isDigit(name.charAt(end - 1))) end--;
        if (end == name.length()) return name;
        return name.substring(0, end) + "*";
    }
}
