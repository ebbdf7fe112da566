package dev.knot.junit;

import dev.knot.live.FailureLogReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Task failures nobody read ({@code submit()}'s FutureTask, a CompletableFuture), as recorded by the Knot agent's
 * tracking (kind {@code failures}, on by default). Read from the boot-path log the agent installs (or an
 * unrelocated copy's) through {@link FailureLogReader}, so knot-junit needs no dependency on the agent; without
 * the agent {@link #available()} is false and nothing is reported.
 */
final class TaskFailures {
    private TaskFailures() {
    }

    private static final FailureLogReader LOG = FailureLogReader.firstRecording();
    private static final boolean AVAILABLE = LOG.useMarker(Marks.MARK);

    /** One unobserved failure of a test's task. */
    record Failure(long seq, String task, Throwable error, String errorClass, String thread, Lineage lineage) {
    }

    static boolean available() {
        return AVAILABLE;
    }

    /** Unobserved failures recorded on threads that carry this scope's marker. */
    static List<Failure> of(TestMark mark) {
        List<Failure> out = new ArrayList<>();
        if (!AVAILABLE) return out;
        for (FailureLogReader.Row r : LOG.since(0L, e -> KnotExtension.internal("could not read task failures", e))) {
            if (r.marker() instanceof Lineage l && l.mark == mark) {
                out.add(new Failure(r.seq(), r.task(), r.error(), r.errorClass(), r.thread(), l));
            }
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
        if (AVAILABLE) LOG.dismiss(f.seq(), e -> KnotExtension.internal("could not dismiss a task failure", e));
    }
}
