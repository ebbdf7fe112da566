package dev.knot.model;

import dev.knot.input.DumpReader;
import dev.knot.snapshot.DumpFormat;
import dev.knot.snapshot.LiveFact;
import dev.knot.snapshot.ThreadDump;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a small {@code jstack -l} dump in the JDK 25 layout (or, {@link #withoutOwners()}, plain {@code jstack}),
 * reads it with the public reader and builds its wait graph. Thread ids are 20, 21, … in the order threads are
 * added. Frames and lock lines are given without the leading tab, innermost first, as jstack prints them.
 */
final class Jstack {
    static final String JDK = "java.base@25.0.3/";

    private final StringBuilder text = new StringBuilder();
    private boolean ownersListed = true;
    private int nextId = 20;

    Jstack withoutOwners() {
        if (text.length() > 0) throw new IllegalStateException("call before adding threads");
        ownersListed = false;
        return this;
    }

    private String nextHeader = "waiting on condition";

    /** The header's words for the next thread ({@code in Object.wait()}: JDK 17's class-initialisation wait). */
    Jstack header(String words) {
        nextHeader = words;
        return this;
    }

    /** @param owned "Locked ownable synchronizers" entries as {@code <0x…> (a …)} */
    Jstack thread(String name, String state, List<String> lines, String... owned) {
        int id = nextId++;
        text.append('"').append(name).append("\" #").append(id).append(" [").append(id)
                .append("] daemon prio=5 os_prio=0 cpu=0.50ms elapsed=9.00s tid=0x1 nid=").append(id)
                .append(' ').append(nextHeader).append("  [0x0]\n");
        nextHeader = "waiting on condition";
        text.append("   java.lang.Thread.State: ").append(state).append('\n');
        for (String l : lines) text.append('\t').append(l).append('\n');
        text.append('\n');
        if (ownersListed) {
            text.append("   Locked ownable synchronizers:\n");
            if (owned.length == 0) text.append("\t- None\n");
            for (String o : owned) text.append("\t- ").append(o).append('\n');
            text.append('\n');
        }
        return this;
    }

    String text() {
        return "2026-11-21 23:04:36\nFull thread dump OpenJDK 64-Bit Server VM (25.0.3+9-LTS mixed mode, sharing):\n\n" + text;
    }

    ThreadDump dump() {
        try {
            List<ThreadDump> d = DumpReader.read("graph-test", new ByteArrayInputStream(text().getBytes(StandardCharsets.UTF_8)));
            if (d.size() != 1) throw new AssertionError(d.size() + " dumps read");
            if (!d.get(0).warnings().isEmpty()) throw new AssertionError("the test dump does not read cleanly: " + d.get(0).warnings());
            return d.get(0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    WaitGraph graph() {
        return GraphBuilder.build(dump());
    }

    /** The same threads as a dump of another format (what that format would not print must be left out by the test). */
    WaitGraph as(DumpFormat format) {
        return GraphBuilder.build(dumpAs(format));
    }

    ThreadDump dumpAs(DumpFormat format) {
        ThreadDump d = dump();
        return new ThreadDump("graph-test", format, d.time(), "", d.jvmVersion(), d.threads(), d.jdkDeadlocks(), d.warnings(),
                List.of());
    }

    /** The same threads as a live snapshot carrying {@code facts} (thread ids "20", "21", …). */
    WaitGraph live(LiveFact... facts) {
        ThreadDump d = dump();
        return GraphBuilder.build(new ThreadDump("pid 1", DumpFormat.LIVE, d.time(), "1", d.jvmVersion(), d.threads(),
                d.jdkDeadlocks(), d.warnings(), List.of(facts)));
    }

    // ---- stacks, from real JDK 25 jstack -l output (a program hanging in each way) --------------------------

    static String jdk(String frame) {
        int open = frame.indexOf('(');
        return "at " + frame.substring(0, open + 1) + JDK + frame.substring(open + 1);
    }

    /** A parked thread: Unsafe.park, its blocker, LockSupport.park, the JDK frames given, then app.Service.work. */
    static List<String> parked(String blocker, String cls, String... jdkFrames) {
        List<String> l = new ArrayList<>();
        l.add(jdk("jdk.internal.misc.Unsafe.park(Native Method)"));
        l.add("- parking to wait for  <" + blocker + "> (a " + cls + ")");
        l.add(jdk("java.util.concurrent.locks.LockSupport.park(LockSupport.java:223)"));
        for (String f : jdkFrames) l.add(jdk(f));
        l.addAll(app());
        return l;
    }

    /** Parked in ConditionObject.await (queues and barriers park on their lock's condition), then {@code callers}. */
    static List<String> awaiting(String condition, String... callers) {
        List<String> jdk = new ArrayList<>(List.of(
                "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionNode.block(AbstractQueuedSynchronizer.java:520)",
                "java.util.concurrent.ForkJoinPool.unmanagedBlock(ForkJoinPool.java:4364)",
                "java.util.concurrent.ForkJoinPool.managedBlock(ForkJoinPool.java:4310)",
                "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.await(AbstractQueuedSynchronizer.java:1752)"));
        jdk.addAll(Arrays.asList(callers));
        return parked(condition, "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject", jdk.toArray(String[]::new));
    }

    static List<String> app() {
        return List.of("at app.Service.work(Service.java:20)", jdk("java.lang.Thread.run(Thread.java:1474)"));
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    static List<String> lines(String... l) {
        return List.of(l);
    }
}
