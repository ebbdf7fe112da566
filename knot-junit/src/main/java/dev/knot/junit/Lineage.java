package dev.knot.junit;

import java.util.Arrays;

/**
 * What a thread inherits from the thread that created it (through {@link Marks#MARK}): the test that was running
 * when its first ancestor was created, and where and by whom it was created. A scope's own thread (JUnit's thread, or
 * Knot's runner) holds a root lineage without a creation site.
 */
final class Lineage {
    final TestMark mark;
    /** Creation stack, Knot and {@code Thread} constructor frames removed; null for a scope's own thread. */
    final StackTraceElement[] createdAt;
    final String createdBy;

    Lineage(TestMark mark, StackTraceElement[] createdAt, String createdBy) {
        this.mark = mark;
        this.createdAt = createdAt;
        this.createdBy = createdBy;
    }

    boolean root() {
        return createdAt == null;
    }

    /** Called inside {@code new Thread(...)}, on the creating thread. */
    Lineage child() {
        int n = mark.created.incrementAndGet();
        Lineage l = new Lineage(mark, creationStack(new Throwable().getStackTrace()), Thread.currentThread().getName());
        if (n <= 8) mark.sites.add(l.site() + " by \"" + l.createdBy + "\"");
        return l;
    }

    private static final int MAX_FRAMES = 48;

    static StackTraceElement[] creationStack(StackTraceElement[] st) {
        int from = 0; // skip Knot, thread-local and Thread constructor frames on top
        while (from < st.length) {
            String c = st[from].getClassName();
            if (!(Stacks.knot(c) || c.startsWith("java.lang.ThreadLocal") || c.equals("java.lang.InheritableThreadLocal")
                    || c.equals("java.lang.Thread") || c.equals("java.lang.VirtualThread") || c.equals("java.lang.BaseVirtualThread")
                    || c.startsWith("java.lang.ThreadBuilders") || c.equals("java.util.concurrent.ForkJoinWorkerThread"))) {
                break;
            }
            from++;
        }
        return Arrays.copyOfRange(st, Math.min(from, st.length), Math.min(st.length, from + MAX_FRAMES));
    }

    /** "Foo.bar(Foo.java:12) via ThreadPoolExecutor.execute", or the top frame if no application frame is known. */
    String site() {
        if (createdAt == null || createdAt.length == 0) return "an unknown place";
        return Stacks.siteWithApi(createdAt);
    }
}
