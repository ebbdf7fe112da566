package dev.knot.model;

import dev.knot.sites.WaitSites;
import dev.knot.snapshot.StackFrame;
import java.util.List;

/**
 * The catalogue's reading of a stack ({@link WaitSites}), remembered per shared stack: a pool of 10,000 parked
 * workers has one stack, read once.
 */
final class Blockers {
    private Blockers() {
    }

    private static final StackMemo<WaitSites.Wait> CLASSIFIED = new StackMemo<>(WaitSites::classify);
    private static final StackMemo<Boolean> IDLE = new StackMemo<>((x, f) -> WaitSites.idle(f) || WaitSites.consumerWaiting(f));
    private static final StackMemo<Boolean> TAKES_DUMP = new StackMemo<>((x, f) -> WaitSites.takesDump(f));
    private static final StackMemo<Boolean> POOL_WORKER = new StackMemo<>((x, f) -> WaitSites.poolWorker(f));

    private static final StackMemo<WaitSites.Io> IO = new StackMemo<>((x, f) -> WaitSites.io(f));

    /** The blocking socket call a stack is in, or null. */
    static WaitSites.Io io(List<StackFrame> frames) {
        return IO.get(frames);
    }

    /** @return what the thread waits for, or null when the park is a pool or scheduler waiting for work */
    static WaitSites.Wait classify(String blockerClass, List<StackFrame> frames) {
        return CLASSIFIED.get(blockerClass, frames);
    }

    /** Waiting for work: pool workers without a task, schedulers, timers, selectors, consumers on empty queues. */
    static boolean idle(List<StackFrame> frames) {
        return IDLE.get(frames);
    }

    /** Producing the dump being read (an actuator endpoint, a watchdog, ThreadMXBean callers, Knot's live snapshot). */
    static boolean takesDump(List<StackFrame> frames) {
        return TAKES_DUMP.get(frames);
    }

    /** A ThreadPoolExecutor or ForkJoinPool worker. */
    static boolean poolWorker(List<StackFrame> frames) {
        return POOL_WORKER.get(frames);
    }

    /** JDK 17 does not name the class being initialised; the frame that touched it is the best clue. */
    static String classBeingInitialised(List<StackFrame> frames) {
        StackFrame top = frames.get(0);
        return top.method().equals("<clinit>") ? top.className() : "(a class used at " + top.location() + ")";
    }
}
