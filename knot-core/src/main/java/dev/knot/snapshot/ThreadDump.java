package dev.knot.snapshot;

import java.time.Instant;
import java.util.List;

/**
 * One snapshot of one process's threads, as read from one input.
 *
 * @param source        where it came from (file name, {@code <stdin>}, {@code pid 1234}), for messages
 * @param format        the detected format, see {@link DumpFormat}
 * @param time          when the dump was taken, null if the input does not say
 * @param processId     pid if the input says, else empty
 * @param jvmVersion    JVM version line if printed, else empty
 * @param threads       every thread the input lists
 * @param jdkDeadlocks  the JVM's own "Found one Java-level deadlock" sections, as thread-name cycles
 * @param warnings      what was skipped or guessed while reading (partly readable input)
 * @param facts         what a live snapshot proved beyond the dump format (empty for dumps)
 * @param cutOff        empty when the input looks complete; else what shows that it was cut off (the thread count
 *                      of its header, a last thread cut short, a missing trailer, JSON ending early): threads, and
 *                      the locks they hold, may be missing
 * @param lockOrder     the lock orders the agent recorded in lock-order mode; {@link LockOrder#NONE} for dumps
 */
public record ThreadDump(String source, DumpFormat format, Instant time, String processId, String jvmVersion,
                         List<DumpedThread> threads, List<List<String>> jdkDeadlocks, List<String> warnings,
                         List<LiveFact> facts, String cutOff, LockOrder lockOrder) {

    public ThreadDump(String source, DumpFormat format, Instant time, String processId, String jvmVersion,
                      List<DumpedThread> threads, List<List<String>> jdkDeadlocks, List<String> warnings,
                      List<LiveFact> facts, String cutOff) {
        this(source, format, time, processId, jvmVersion, threads, jdkDeadlocks, warnings, facts, cutOff, LockOrder.NONE);
    }

    public ThreadDump(String source, DumpFormat format, Instant time, String processId, String jvmVersion,
                      List<DumpedThread> threads, List<List<String>> jdkDeadlocks, List<String> warnings) {
        this(source, format, time, processId, jvmVersion, threads, jdkDeadlocks, warnings, List.of(), "");
    }

    public ThreadDump(String source, DumpFormat format, Instant time, String processId, String jvmVersion,
                      List<DumpedThread> threads, List<List<String>> jdkDeadlocks, List<String> warnings,
                      List<LiveFact> facts) {
        this(source, format, time, processId, jvmVersion, threads, jdkDeadlocks, warnings, facts, "");
    }

    public ThreadDump {
        cutOff = cutOff == null ? "" : cutOff;
        lockOrder = lockOrder == null ? LockOrder.NONE : lockOrder;
        facts = facts == null ? List.of() : List.copyOf(facts);
        source = source == null ? "" : source;
        processId = processId == null ? "" : processId;
        jvmVersion = jvmVersion == null ? "" : jvmVersion;
        threads = List.copyOf(threads);
        jdkDeadlocks = jdkDeadlocks == null ? List.of() : List.copyOf(jdkDeadlocks);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** True when the input looks cut off ({@link #cutOff}): a lock's owner may be among the threads that are missing. */
    public boolean mayBeCutOff() {
        return !cutOff.isEmpty();
    }

    /** The same dump, said to be cut off for {@code why}, with a warning saying so and what it means. */
    public ThreadDump withCutOff(String why) {
        List<String> w = new java.util.ArrayList<>(warnings);
        w.add(why + "; the dump looks cut off: threads (and the locks they hold) may be missing, so no lock is called"
                + " orphaned (its owner may be in the missing part)");
        return new ThreadDump(source, format, time, processId, jvmVersion, threads, jdkDeadlocks, w, facts,
                cutOff.isEmpty() ? why : cutOff + "; " + why, lockOrder);
    }

    /** The same dump with the lock orders the agent recorded. */
    public ThreadDump withLockOrder(LockOrder order) {
        return new ThreadDump(source, format, time, processId, jvmVersion, threads, jdkDeadlocks, warnings, facts,
                cutOff, order);
    }

    /** True when the input listed lock owners of j.u.c locks (jstack -l, jcmd Thread.print -l, live snapshot). */
    public boolean listsOwnableSynchronizers() {
        for (DumpedThread t : threads) {
            if (t.ownableSynchronizers() != null) return true;
        }
        return false;
    }
}
