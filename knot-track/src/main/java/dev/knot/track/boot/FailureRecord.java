package dev.knot.track.boot;

import java.lang.ref.WeakReference;

/** One unobserved task failure (see {@link FailureLog}). Immutable. */
final class FailureRecord {
    final long seq;
    final WeakReference<Object> task;
    final String description;
    final Throwable error;
    final String errorClass;
    final String thread;
    final Object marker;
    final boolean future;

    FailureRecord(long seq, WeakReference<Object> task, String description, Throwable error, String errorClass,
                  String thread, Object marker, boolean future) {
        this.seq = seq;
        this.task = task;
        this.description = description;
        this.error = error;
        this.errorClass = errorClass;
        this.thread = thread;
        this.marker = marker;
        this.future = future;
    }
}
