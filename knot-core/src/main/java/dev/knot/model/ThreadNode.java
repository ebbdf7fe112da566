package dev.knot.model;

import dev.knot.sites.Frames;
import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.StackFrame;
import dev.knot.snapshot.ThreadState;
import java.util.List;

/**
 * A thread in the wait-for model.
 *
 * @param key     unique within a snapshot (Java id when printed, else name and position)
 * @param name    display name; unnamed virtual threads read {@code virtual thread #41}
 * @param pool    the pool this thread works for ({@code pool-3-thread-}, a JSON container), or empty
 * @param dumped  everything the input said about it
 */
public record ThreadNode(String key, String name, Role role, String pool, DumpedThread dumped) {

    public boolean virtual() {
        return dumped.virtual();
    }

    public ThreadState state() {
        return dumped.state();
    }

    public List<StackFrame> frames() {
        return dumped.frames();
    }

    /** The innermost frame in application code: where a user should look first. */
    public StackFrame site() {
        return Frames.applicationSite(dumped.frames());
    }

    /** Identity: a node is one thread of one snapshot (hashing the whole stack would cost more than the analysis). */
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    /** The blocking socket call this thread is in (the catalogue's reading), or null. */
    public SocketCall socketCall() {
        dev.knot.sites.WaitSites.Io io = Blockers.io(dumped.frames());
        return io == null ? null : new SocketCall(io.frame(), io.timed());
    }

    /**
     * A blocking socket read or connect.
     *
     * @param frame the JDK frame of the call
     * @param timed TRUE with a timeout, FALSE without, null when the JDK does not show it (before 13)
     */
    public record SocketCall(StackFrame frame, Boolean timed) {
    }

    /** A virtual thread mounted on a carrier (the input names the carrier). */
    public boolean mounted() {
        return dumped.virtual() && !dumped.carrierId().isEmpty();
    }

    /**
     * A mounted virtual thread that waits without unmounting: it pins its carrier, which no other virtual thread can use
     * meanwhile. Null if not pinned, else why (the catalogue's reading of its frames).
     */
    public String pinnedBecause() {
        if (!mounted()) return null;
        ThreadState s = dumped.state();
        if (s != ThreadState.WAITING && s != ThreadState.TIMED_WAITING && s != ThreadState.BLOCKED) return null;
        return dev.knot.sites.WaitSites.pinReason(dumped.frames());
    }

    /** A virtual thread ready to run but on no carrier: it waits for the scheduler to give it one. */
    public boolean waitsForACarrier() {
        return dumped.virtual() && dumped.carrierId().isEmpty() && dumped.state() == ThreadState.RUNNABLE;
    }

    /** Running a submitted task (a FutureTask, a CompletableFuture's async step), by the catalogue. */
    public boolean runsTask() {
        return dev.knot.sites.WaitSites.runsTask(dumped.frames());
    }

    /** Producing the very dump being read (a JVM service for the rules, not part of any hang). */
    public boolean takesThisDump() {
        return Roles.takingThisDump(dumped.frames());
    }

    /** Sleeping in Thread.sleep: not waiting for anyone, but doing nothing either. */
    public boolean sleeping() {
        List<StackFrame> f = dumped.frames();
        for (int i = 0; i < Math.min(4, f.size()); i++) {
            if (f.get(i).className().equals("java.lang.Thread") && f.get(i).method().startsWith("sleep")) return true;
        }
        return false;
    }
}
