package dev.knot.track;

import java.util.ArrayList;
import java.util.List;

/**
 * Task failures nobody observed (tracking kind {@code failures}): a {@code FutureTask} (what {@code submit()}
 * returns) that ended with an exception no {@code get()} read, a {@code CompletableFuture} completed exceptionally
 * with no dependent stage and no {@code join}/{@code get}/{@code getNow}/{@code isCompletedExceptionally}/…
 * (README: "Failures"). Works in the JVM where tracking is installed; without it every list is empty.
 *
 * <p>Reads the boot-path log by reflection, so it works with a relocated copy of Knot as well (the agent's), and
 * callers without a compile-time dependency can use the boot class {@code …track.boot.FailureLog} the same way.
 */
public final class Failures {
    private Failures() {
    }

    /**
     * One failure.
     *
     * @param seq        order of recording (compare with {@link #mark()})
     * @param task       "java.util.concurrent.FutureTask@1b2c"
     * @param error      the exception the task failed with
     * @param errorClass its class name
     * @param thread     the thread it failed on
     * @param marker     the value of the marker thread-local ({@link #useMarker}) on that thread, or null
     * @param completableFuture a CompletableFuture (else a FutureTask)
     */
    public record Failure(long seq, String task, Throwable error, String errorClass, String thread, Object marker,
                          boolean completableFuture) {
        /** "java.lang.IllegalStateException: row 7 has no id" (first line of the message). */
        public String summary() {
            String m = null;
            try {
                m = error == null ? null : error.getMessage();
            } catch (Throwable ignored) {
                // an exception whose getMessage throws
            }
            if (m != null) {
                int nl = m.indexOf('\n');
                if (nl >= 0) m = m.substring(0, nl).strip();
            }
            return errorClass + (m == null || m.isBlank() ? "" : ": " + m);
        }
    }

    private static Class<?> log() {
        try {
            return Class.forName(Tracking.class.getPackageName() + ".boot.FailureLog", false, null);
        } catch (Throwable e) {
            return null; // tracking never installed
        }
    }

    /** Is failure tracking active in this JVM? */
    public static boolean active() {
        Options o = Tracking.active();
        return o != null && o.failures();
    }

    /** The current position: failures recorded later have a higher {@link Failure#seq()}. */
    public static long mark() {
        Class<?> c = log();
        try {
            return c == null ? 0 : (Long) c.getMethod("mark").invoke(null);
        } catch (ReflectiveOperationException e) {
            return 0;
        }
    }

    /** Failures recorded after {@code mark} whose outcome nobody has observed yet, oldest first. */
    public static List<Failure> unobservedSince(long mark) {
        List<Failure> out = new ArrayList<>();
        Class<?> c = log();
        if (c == null) return out;
        try {
            for (Object[] r : (Object[][]) c.getMethod("since", long.class).invoke(null, mark)) {
                out.add(new Failure((Long) r[0], (String) r[1], (Throwable) r[2], (String) r[3], (String) r[4], r[5],
                        (Boolean) r[6]));
            }
        } catch (ReflectiveOperationException | ClassCastException e) {
            // a different version of the boot class: nothing known
        }
        return out;
    }

    /** Forgets a failure (e.g. once reported). */
    public static void dismiss(Failure f) {
        Class<?> c = log();
        if (c == null) return;
        try {
            c.getMethod("dismiss", long.class).invoke(null, f.seq());
        } catch (ReflectiveOperationException e) {
            // nothing to forget
        }
    }

    /** Tags every later failure with the value of this thread-local on the failing thread (e.g. a test's marker). */
    public static void useMarker(ThreadLocal<?> marker) {
        Class<?> c = log();
        if (c == null) return;
        try {
            c.getMethod("useMarker", ThreadLocal.class).invoke(null, marker);
        } catch (ReflectiveOperationException e) {
            // tracking not installed
        }
    }
}
