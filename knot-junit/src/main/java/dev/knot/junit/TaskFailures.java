package dev.knot.junit;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Task failures nobody read ({@code submit()}'s FutureTask, a CompletableFuture), as recorded by the Knot agent's
 * tracking (kind {@code failures}, on by default). Reached by reflection on the boot-path log the agent installs
 * ({@code dev.knot.agent.shaded.knot.track.boot.FailureLog}, or an unrelocated copy), so knot-junit needs no
 * dependency on the agent; without the agent {@link #available()} is false and nothing is reported.
 */
final class TaskFailures {
    private TaskFailures() {
    }

    private static final String[] LOGS = {"dev.knot.agent.shaded.knot.track.boot.FailureLog", "dev.knot.track.boot.FailureLog"};
    private static final Method SINCE;
    private static final Method DISMISS;

    static {
        Method since = null;
        Method dismiss = null;
        for (String name : LOGS) {
            try {
                Class<?> log = Class.forName(name, false, null); // the boot loader's copy: the one the hooks use
                String tracker = name.substring(0, name.lastIndexOf('.') + 1) + "KnotTracker";
                Class<?> t = Class.forName(tracker, false, null);
                if (!t.getField("installed").getBoolean(null) || !t.getField("failures").getBoolean(null)) continue;
                since = log.getMethod("since", long.class);
                dismiss = log.getMethod("dismiss", long.class);
                log.getMethod("useMarker", ThreadLocal.class).invoke(null, Marks.MARK);
                break;
            } catch (Throwable e) {
                since = null;
                dismiss = null;
            }
        }
        SINCE = since;
        DISMISS = dismiss;
    }

    /** One unobserved failure of a test's task. */
    record Failure(long seq, String task, Throwable error, String errorClass, String thread, Lineage lineage) {
    }

    static boolean available() {
        return SINCE != null;
    }

    /** Unobserved failures recorded on threads that carry this scope's marker. */
    static List<Failure> of(TestMark mark) {
        List<Failure> out = new ArrayList<>();
        if (SINCE == null) return out;
        try {
            for (Object[] r : (Object[][]) SINCE.invoke(null, 0L)) {
                if (r[5] instanceof Lineage l && l.mark == mark) {
                    out.add(new Failure((Long) r[0], (String) r[1], (Throwable) r[2], (String) r[3], (String) r[4], l));
                }
            }
        } catch (Throwable e) {
            KnotExtension.internal("could not read task failures", e);
        }
        return out;
    }

    /** Waits up to the grace period for the scope's failures to be observed; returns those still unobserved. */
    static List<Failure> unobserved(TestMark mark, long graceNanos) {
        List<Failure> left = of(mark);
        long end = System.nanoTime() + graceNanos;
        while (!left.isEmpty() && System.nanoTime() < end) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = of(mark);
        }
        return left;
    }

    static void dismiss(Failure f) {
        try {
            if (DISMISS != null) DISMISS.invoke(null, f.seq());
        } catch (Throwable e) {
            KnotExtension.internal("could not dismiss a task failure", e);
        }
    }
}
