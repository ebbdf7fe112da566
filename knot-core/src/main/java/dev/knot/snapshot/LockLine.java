package dev.knot.snapshot;

/**
 * One lock annotation printed under a stack frame, e.g. {@code - waiting to lock <0x…> (a Foo)}.
 *
 * @param action what the frame does with the object
 * @param object the object (for {@link Action#CLASS_INIT} the class being initialised, id = class name)
 * @param text   the line as it appeared in the input, kept as evidence
 */
public record LockLine(Action action, ObjectRef object, String text) {

    public enum Action {
        /** BLOCKED entering a synchronized block or method. */
        WAITING_TO_LOCK,
        /** Notified in Object.wait() and blocked re-acquiring the monitor (JDK 21+ prints this). */
        WAITING_TO_RELOCK,
        /** Holds the monitor (entered synchronized in this frame). */
        LOCKED,
        /** Inside Object.wait() on this monitor (the monitor is released while waiting). */
        WAITING_ON,
        /** LockSupport.park with this blocker (j.u.c locks, semaphores, latches, queues, futures). */
        PARKING,
        /** Waiting for another thread to finish initialising a class. */
        CLASS_INIT,
        /** Lock elided by the JIT; never a real hold. */
        ELIMINATED
    }
}
