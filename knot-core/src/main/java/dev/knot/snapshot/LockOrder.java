package dev.knot.snapshot;

import java.util.List;

/**
 * The orders in which threads took locks, as the Knot agent in lock-order mode ({@code -javaagent:…=locks})
 * recorded them: every cycle it found in the graph of "took lock B while holding lock A" edges, each once. No
 * thread dump has this; {@link #NONE} stands for "not recorded".
 *
 * @param recorded   the agent ran in lock-order mode; false: nothing was recorded and the rest is empty
 * @param sinceStart the agent started with the JVM; false: it attached later and saw only the orders taken since
 * @param cycles     the inversions found, in the order their closing edge appeared
 * @param locks      how many lock instances were seen taken while another was held (the graph's nodes)
 * @param orders     how many distinct held→taken pairs were seen (the graph's edges)
 * @param notes      limits reached and what they mean, e.g. the graph's cap; empty when none
 */
public record LockOrder(boolean recorded, boolean sinceStart, List<Cycle> cycles, long locks, long orders,
                        List<String> notes) {

    /** Nothing recorded (a dump, or a JVM not in lock-order mode). */
    public static final LockOrder NONE = new LockOrder(false, false, List.of(), 0, 0, List.of());

    public LockOrder {
        cycles = cycles == null ? List.of() : List.copyOf(cycles);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /**
     * One lock instance.
     *
     * @param kind      {@code monitor}, {@code exclusive-lock}, {@code read-write-lock} (also a StampedLock) or
     *                  {@code semaphore}: the report's resource kinds
     * @param className the lock object's class ({@code java.util.concurrent.locks.ReentrantLock}); for a
     *                  ReentrantReadWriteLock its sync, as {@code jstack -l} names it
     * @param id        its identity hash, hex ({@code 1b6d3586}); unique among the live locks of one JVM
     * @param name      what a reader recognises it by: the field that holds it where Knot could tell
     *                  ({@code Account.lock}), else the class; the same for every instance of one lock class
     */
    public record Lock(String kind, String className, String id, String name) {
        public Lock {
            kind = kind == null ? "" : kind;
            className = className == null ? "" : className;
            id = id == null ? "" : id;
            name = name == null || name.isEmpty() ? className : name;
        }

        /** {@code ReentrantLock <1b6d3586>}: short class name and id, as the report labels a resource. */
        public String label() {
            int dot = className.lastIndexOf('.');
            String simple = dot < 0 ? className : className.substring(dot + 1);
            return id.isEmpty() ? simple : simple + " <" + id + ">";
        }
    }

    /**
     * One edge of a cycle: {@code thread} took {@code taken} while it held {@code held}.
     *
     * @param held      the lock it held
     * @param heldMode  how it held it: {@code lock}, {@code read-lock}, {@code write-lock}, {@code acquire}
     * @param taken     the lock it took next
     * @param takenMode how it took it (the same words)
     * @param thread    the thread's name then
     * @param threadId  its id
     * @param virtual   a virtual thread
     * @param heldAt    where it took {@code held}, innermost first; empty if unknown
     * @param takenAt   where it took {@code taken} (the first time this edge was seen), innermost first
     * @param times     how often this edge was seen (at least 1; counting stops at {@link Long#MAX_VALUE})
     */
    public record Step(Lock held, String heldMode, Lock taken, String takenMode, String thread, String threadId,
                       boolean virtual, List<StackFrame> heldAt, List<StackFrame> takenAt, long times) {
        public Step {
            heldMode = heldMode == null ? "lock" : heldMode;
            takenMode = takenMode == null ? "lock" : takenMode;
            thread = thread == null ? "" : thread;
            threadId = threadId == null ? "" : threadId;
            heldAt = heldAt == null ? List.of() : List.copyOf(heldAt);
            takenAt = takenAt == null ? List.of() : List.copyOf(takenAt);
        }
    }

    /**
     * A cycle in the order graph: {@code steps.get(i).taken()} is {@code steps.get(i + 1).held()}, and the last
     * step's taken lock is the first step's held lock. Threads running these steps at the same time can deadlock.
     *
     * @param steps  the edges, starting with the oldest
     * @param closed when the closing edge appeared (epoch milliseconds), or 0 if unknown
     * @param closedBy the thread whose new edge closed the cycle (its name)
     */
    public record Cycle(List<Step> steps, long closed, String closedBy) {
        public Cycle {
            steps = List.copyOf(steps);
            closedBy = closedBy == null ? "" : closedBy;
        }
    }
}
