package dev.knot.track;

import dev.knot.live.FailureLogReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Task failures nobody observed (tracking kind {@code failures}): a {@code FutureTask} (what {@code submit()}
 * returns) that ended with an exception no {@code get()} read, a {@code CompletableFuture} completed exceptionally
 * with no dependent stage and no {@code join}/{@code get}/{@code getNow}/{@code isCompletedExceptionally}/…
 * (README: "Failures"). Works in the JVM where tracking is installed; without it every list is empty.
 *
 * <p>Reads the boot-path log through {@link FailureLogReader} (by reflection), so it works in a relocated copy of
 * Knot as well (the agent's); knot-junit reads it the same way.
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

    /** Is failure tracking active in this JVM? */
    public static boolean active() {
        Options o = Tracking.active();
        return o != null && o.failures();
    }

    /** The current position: failures recorded later have a higher {@link Failure#seq()}. */
    public static long mark() {
        return FailureLogReader.ownCopy().mark();
    }

    /** Failures recorded after {@code mark} whose outcome nobody has observed yet, oldest first. */
    public static List<Failure> unobservedSince(long mark) {
        List<Failure> out = new ArrayList<>();
        for (FailureLogReader.Row r : FailureLogReader.ownCopy().since(mark)) {
            out.add(new Failure(r.seq(), r.task(), r.error(), r.errorClass(), r.thread(), r.marker(), r.completableFuture()));
        }
        return out;
    }

    /** Forgets a failure (e.g. once reported). */
    public static void dismiss(Failure f) {
        FailureLogReader.ownCopy().dismiss(f.seq());
    }

    /** Tags every later failure with the value of this thread-local on the failing thread (e.g. a test's marker). */
    public static void useMarker(ThreadLocal<?> marker) {
        FailureLogReader.ownCopy().useMarker(marker);
    }
}
