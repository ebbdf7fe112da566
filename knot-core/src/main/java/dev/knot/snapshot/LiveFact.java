package dev.knot.snapshot;

/**
 * Something a live snapshot proves that no thread dump prints: who holds a permit or a read lock, who runs
 * a task, which pool's queue holds the task a thread waits for. Dumps have none; the Knot agent adds them.
 *
 * @param kind     what is proved
 * @param objectId the resource, as the snapshot names it in lock lines ({@code Class@identityHash})
 * @param threadId the thread concerned ({@link DumpedThread#id()}), empty if none
 * @param detail   human-readable proof, e.g. {@code permits available: 0 of 1}, {@code acquired at Foo.bar(Foo.java:12)}
 */
public record LiveFact(Kind kind, String objectId, String threadId, String detail) {

    /** Object id of STATE facts about the whole JVM. */
    public static final String JVM = "jvm";
    /** STATE detail recorded when the snapshot listed every virtual thread (or the JVM cannot have any). */
    public static final String ALL_VIRTUAL_THREADS_LISTED = "all virtual threads listed";

    /**
     * STATE detail recorded when no object of a class outside the JDK's boot loader awaits finalization: the
     * Finalizer thread, while idle, cannot run application code.
     */
    public static final String NO_APPLICATION_FINALIZERS = "no object of an application class awaits finalization";

    public LiveFact {
        threadId = threadId == null ? "" : threadId;
        detail = detail == null ? "" : detail;
    }

    public enum Kind {
        /** The thread holds the object: a Semaphore permit, a read lock, a pooled object (from tracking or reflection). */
        HOLDS,
        /** The thread is running the task / will complete the future. */
        RUNS,
        /**
         * The awaited task sits in the queue of an executor, and only that executor's workers can run it;
         * one fact per worker of that executor (threadId = the worker).
         */
        QUEUED_FOR,
        /** State of the object, for the story (no thread): permits, counts, queue depth and capacity. */
        STATE,
        /** The set of HOLDS facts for this object is complete (tracking saw every acquire since start). */
        HOLDERS_COMPLETE,
        /**
         * The thread can give what the object's waiters wait for, without holding anything: a tracked consumer of
         * the full queue they put into, a tracked producer of the empty one they take from.
         */
        RELEASES,
        /**
         * The RELEASES facts for this object name every live thread that ever did what releases its waiters
         * (tracking saw every such operation since the JVM started); the detail says exactly what was tracked.
         */
        RELEASERS_COMPLETE,
        /**
         * The object is this thread's {@code Thread} (those waiting on it in {@code join} wait for its end). Not a
         * graph edge, so findings about joins do not change; used where Knot must show a joiner can never move.
         */
        THREAD_OBJECT
    }
}
