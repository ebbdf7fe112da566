package dev.knot.junit;

import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.ThreadDump;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * For a hung test no rule explains: knot-core's wait chain of the test's threads, with the thread at the end of each
 * chain looked at again, so that a holder sleeping in a loop is told from one that sleeps once.
 */
final class WaitChain {
    private WaitChain() {
    }

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    /** How long a holder in a timed wait is watched for waking up and waiting again (a loop). */
    static final long LOOP_WATCH_MILLIS = 100;

    /**
     * @param waitedCounts each test thread's {@link ThreadInfo#getWaitedCount()} when the snapshot was taken, by id
     * @return the chain's lines, empty if none of the test's threads waits for anything in this JVM
     */
    static List<String> explain(ThreadDump dump, List<Thread> testThreads, Map<Long, Long> waitedCounts, long countedAtNanos) {
        Map<String, Thread> live = new HashMap<>();
        List<String> ids = new ArrayList<>();
        for (Thread t : testThreads) {
            live.put(Long.toString(t.getId()), t);
            ids.add(Long.toString(t.getId()));
        }
        return dev.knot.rules.WaitChain.explain(dump, ids, "the test", d -> now(d, live, waitedCounts, countedAtNanos));
    }

    /** The waited counts of these threads now (one ThreadMXBean call, no stacks). */
    static Map<Long, Long> waitedCounts(List<Thread> threads) {
        Map<Long, Long> out = new HashMap<>();
        long[] ids = new long[threads.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = threads.get(i).getId();
        for (ThreadInfo ti : MX.getThreadInfo(ids)) {
            if (ti != null) out.put(ti.getThreadId(), ti.getWaitedCount());
        }
        return out;
    }

    /** The holder as it is now, looked at again: a timed wait it keeps re-entering is a loop. */
    private static String now(DumpedThread u, Map<String, Thread> live, Map<Long, Long> counts, long countedAt) {
        Thread t = live.get(u.id());
        if (t == null) return dev.knot.rules.WaitChain.asDumped(u);
        Long before = counts.get(t.getId());
        if (before != null && t.getState() == Thread.State.TIMED_WAITING) {
            long left = LOOP_WATCH_MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - countedAt);
            if (left > 0) {
                try {
                    Thread.sleep(left); // Knot's own thread: the test has already timed out
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        StackTraceElement[] st = Threads.stack(t);
        Thread.State state = Threads.state(t);
        String doing = Stacks.doing(state, st);
        ThreadInfo ti = MX.getThreadInfo(t.getId());
        long watched = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - countedAt);
        if (before != null && ti != null && state == Thread.State.TIMED_WAITING && ti.getWaitedCount() > before) {
            boolean sleeping = st.length > 0 && st[0].getClassName().equals("java.lang.Thread")
                    && st[0].getMethodName().startsWith("sleep");
            long again = ti.getWaitedCount() - before;
            doing += ": " + (sleeping ? "sleeping" : "waiting") + " in a loop (it woke and " + (sleeping ? "slept" : "waited")
                    + " again " + again + (again == 1 ? " time" : " times") + " in " + watched + " ms, keeping what it holds)";
        }
        return doing;
    }
}
