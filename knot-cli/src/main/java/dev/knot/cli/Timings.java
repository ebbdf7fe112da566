package dev.knot.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code knot analyze|attach --timings}: where the time of a run went, printed to stderr at the end. Marks are
 * {@link System#nanoTime()} values, which on one machine are comparable with those the agent records in the
 * target (both read the monotonic clock), so one time line shows both processes.
 */
final class Timings {
    private static volatile boolean enabled;
    private static final List<Object[]> MARKS = new ArrayList<>();

    private Timings() {
    }

    static void enable() {
        enabled = true;
    }

    static boolean enabled() {
        return enabled;
    }

    /** Records that the phase ending now was {@code what}. */
    static void mark(String what) {
        if (enabled) mark(what, System.nanoTime());
    }

    static void mark(String what, long nanoTime) {
        if (!enabled) return;
        synchronized (MARKS) {
            MARKS.add(new Object[] {what, nanoTime});
        }
    }

    /** Prints each mark in time order with the time since the previous one; the first line is JVM start-up. */
    static void print(PrintStream err) {
        if (!enabled) return;
        List<Object[]> marks;
        synchronized (MARKS) {
            marks = new ArrayList<>(MARKS);
        }
        marks.sort((a, b) -> Long.compare((Long) a[1], (Long) b[1]));
        long now = System.nanoTime();
        // the JVM's start (to the millisecond): the only point before main
        long start = now - java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
        long prev = start;
        StringBuilder sb = new StringBuilder("knot timings (ms, since the previous line; '@' = in the target JVM):\n");
        for (Object[] m : marks) {
            long t = (Long) m[1];
            sb.append(String.format(Locale.ROOT, "  %7.1f  %8.1f  %s%n", (t - start) / 1e6, (t - prev) / 1e6, m[0]));
            prev = t;
        }
        sb.append(String.format(Locale.ROOT, "  %7.1f  %8.1f  end%n", (now - start) / 1e6, (now - prev) / 1e6));
        err.print(sb);
        err.flush();
    }
}
