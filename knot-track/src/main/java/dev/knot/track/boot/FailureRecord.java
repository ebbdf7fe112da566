package dev.knot.track.boot;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One unobserved task failure (see {@link FailureLog}): a weak reference to the task, plus what is reported. While
 * {@link #live} the task can still be observed and counts in the log's pending count; it stops being live when it
 * is observed, dismissed, overwritten, or collected (then it can never be observed, but is still reported).
 */
final class FailureRecord extends WeakReference<Object> {
    final long seq;
    final String description;
    final Throwable error;
    final String errorClass;
    final String thread;
    final Object marker;
    final boolean future;
    final AtomicBoolean live = new AtomicBoolean(true);

    FailureRecord(long seq, Object task, ReferenceQueue<Object> queue, String description, Throwable error,
                  String errorClass, String thread, Object marker, boolean future) {
        super(task, queue);
        this.seq = seq;
        this.description = description;
        this.error = error;
        this.errorClass = errorClass;
        this.thread = thread;
        this.marker = marker;
        this.future = future;
    }
}
