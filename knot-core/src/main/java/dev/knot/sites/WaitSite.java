package dev.knot.sites;

/**
 * One entry of the catalogue ({@link WaitSites}): a method of the JDK or of a library, and what a thread whose stack
 * passes through it is doing.
 *
 * @param library      who wrote the code ({@code JDK}, {@code commons-pool2}, {@code HikariCP}, …)
 * @param where        {@code class.method}; the class may end in {@code *} (prefix) or start with {@code *} (suffix),
 *                     the method may end in {@code *} (prefix) or be {@code *} (any)
 * @param meaning      what the frame says about the thread
 * @param kind         for {@link Meaning#WAITS}: what it waits for
 * @param mode         for {@link Meaning#WAITS}: what it tries to do to it
 * @param naming       for {@link Meaning#WAITS}: which class names the resource in a report
 * @param ownerListed  for {@link Meaning#WAITS}: {@code jstack -l} lists the holder of this kind of resource (its
 *                     "Locked ownable synchronizers"), so a missing holder is a fact, not a gap in the dump
 */
public record WaitSite(String library, String where, Meaning meaning, ResourceKind kind, WaitMode mode, Naming naming,
                       boolean ownerListed) {

    /** What a frame of this method says. */
    public enum Meaning {
        /** The thread waits here for a resource another thread must release. */
        WAITS,
        /** The thread waits here for work (a pool worker without a task, a selector, a timer): no resource, no hang. */
        IDLE,
        /** Machinery between the park and the entry point (LockSupport, AQS internals, managed blockers): read past it. */
        INCIDENTAL,
        /** The loop of a pool's worker thread: the thread belongs to a pool. */
        POOL_LOOP,
        /** Runs one submitted task (the task a pool worker is busy with). */
        RUNS_TASK,
        /** Code that is taking the thread dump being read (in-process dumpers, Knot's live snapshot). */
        TAKES_DUMP,
        /** A blocking read or connect on a socket, waiting for the peer; whether it has a timeout, see the next two. */
        IO,
        /** Below an {@link #IO} frame: the read or connect has a timeout (it ends by itself). */
        IO_TIMED,
        /** Below an {@link #IO} frame: the read has no timeout (the JDK took the untimed path). */
        IO_UNTIMED
    }

    /** Which class a report names for the resource. */
    public enum Naming {
        /** The object the thread parked on, as printed ({@code Semaphore$NonfairSync}); the entry's class if none. */
        BLOCKER,
        /** The entry's class (the queue, barrier or pool users know, not the internal condition it parks on). */
        FRAME
    }

    /** True if this entry is about frames of {@code className.method}. */
    public boolean matches(String className, String method) {
        return matchesClass(className) && matchesMethod(method);
    }

    /** The class part of {@link #where}. */
    public String classPattern() {
        return where.substring(0, where.lastIndexOf('.'));
    }

    /** The class part matches (exactly, or as the prefix or suffix it names). */
    boolean matchesClass(String className) {
        int dot = where.lastIndexOf('.');
        if (where.charAt(0) == '*') return className.length() >= dot - 1 && className.regionMatches(className.length() - (dot - 1), where, 1, dot - 1);
        if (where.charAt(dot - 1) == '*') return className.regionMatches(0, where, 0, dot - 1);
        return className.length() == dot && className.regionMatches(0, where, 0, dot);
    }

    /** The method part matches (exactly, as a prefix, or {@code *}). */
    boolean matchesMethod(String method) {
        int dot = where.lastIndexOf('.');
        int len = where.length() - dot - 1;
        if (where.endsWith("*")) return method.regionMatches(0, where, dot + 1, len - 1);
        return method.length() == len && method.regionMatches(0, where, dot + 1, len);
    }
}
