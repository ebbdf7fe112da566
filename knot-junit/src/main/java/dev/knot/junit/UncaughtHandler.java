package dev.knot.junit;

/**
 * The JVM's default uncaught-exception handler while Knot runs: records an exception that killed a thread of a
 * test, then hands it on unchanged to the handler that was installed before (or prints it as the JVM would).
 * Installed once for all tests (a default handler is global; per-test swapping would race in parallel runs) and
 * attributed through the dying thread's own marker, which needs no reflection.
 */
final class UncaughtHandler implements Thread.UncaughtExceptionHandler {
    private static final Object LOCK = new Object();
    private static int users;
    private static UncaughtHandler installed;

    private final Thread.UncaughtExceptionHandler previous;

    private UncaughtHandler(Thread.UncaughtExceptionHandler previous) {
        this.previous = previous;
    }

    /** One engine run begins using Knot (runs can nest, e.g. EngineTestKit inside a test). */
    static void acquire() {
        synchronized (LOCK) {
            if (users++ == 0 && !(Thread.getDefaultUncaughtExceptionHandler() instanceof UncaughtHandler)) {
                installed = new UncaughtHandler(Thread.getDefaultUncaughtExceptionHandler());
                Thread.setDefaultUncaughtExceptionHandler(installed);
            }
        }
    }

    /** The last run ended: restore the previous handler unless someone replaced ours meanwhile. */
    static void release() {
        synchronized (LOCK) {
            if (users > 0 && --users == 0 && installed != null) {
                if (Thread.getDefaultUncaughtExceptionHandler() == installed) {
                    Thread.setDefaultUncaughtExceptionHandler(installed.previous);
                }
                installed = null;
            }
        }
    }

    @Override
    public void uncaughtException(Thread t, Throwable e) {
        try {
            Lineage l = t == Thread.currentThread() ? Marks.MARK.get() : Threads.lineage(t);
            if (l != null && !l.root() && !Threads.infrastructure(t)) {
                if (l.mark.open) {
                    l.mark.uncaught.add(new TestMark.Uncaught(t.getName(), Threads.isVirtual(t), e, l));
                } else {
                    System.err.println("knot: thread \"" + t.getName() + "\", started by " + l.mark.display
                            + " (already finished), died of " + Stacks.oneLine(e));
                }
            }
        } catch (Throwable ignored) {
            // recording is best effort; the exception still goes on below
        }
        if (previous != null) {
            previous.uncaughtException(t, e);
        } else {
            System.err.print("Exception in thread \"" + t.getName() + "\" "); // what ThreadGroup prints without a handler
            e.printStackTrace(System.err);
        }
    }
}
