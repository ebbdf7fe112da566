package dev.knot.rules;

import dev.knot.findings.Finding;
import dev.knot.findings.Report;
import dev.knot.input.DumpReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Writes small jstack -l dumps for rule tests: one method call per thread, frames innermost first. */
final class MiniDump {
    private final String version;
    private final String time;
    private final StringBuilder text = new StringBuilder();
    private boolean ownersListed = true;
    private int nextId = 20;

    MiniDump(String version) {
        this(version, "2026-11-21 23:04:36");
    }

    MiniDump(String version, String time) {
        this.version = version;
        this.time = time;
    }

    MiniDump withoutOwners() {
        ownersListed = false;
        return this;
    }

    /**
     * @param state "BLOCKED (on object monitor)", "WAITING (parking)", "RUNNABLE" …
     * @param lines frame and lock lines without leading tab: "at a.B.c(B.java:1)", "- locked <0x1> (a X)"
     * @param owned ownable synchronizers as "<0x…> (a …)"
     */
    MiniDump thread(String name, String state, List<String> lines, String... owned) {
        return thread(name, state, 0.5, lines, owned);
    }

    MiniDump thread(String name, String state, double cpuMs, List<String> lines, String... owned) {
        int id = nextId++;
        text.append('"').append(name).append("\" #").append(id).append(" [").append(id).append("] daemon prio=5 os_prio=0 cpu=")
                .append(cpuMs).append("ms elapsed=9.00s tid=0x1 nid=").append(id).append(" waiting  [0x0]\n");
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
        return time + "\nFull thread dump OpenJDK 64-Bit Server VM (" + version + " mixed mode, sharing):\n\n" + text;
    }

    Report analyze() {
        return analyze(List.of(this));
    }

    static Report analyze(List<MiniDump> dumps) {
        List<dev.knot.snapshot.ThreadDump> all = new ArrayList<>();
        int n = 0;
        for (MiniDump d : dumps) {
            try {
                all.addAll(DumpReader.read("mini-" + n++, new ByteArrayInputStream(d.text().getBytes(StandardCharsets.UTF_8))));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return Analyzer.analyze(DumpReader.orderByTime(all));
    }

    /** As a live snapshot with these facts (thread ids are "20", "21", … in the order threads were added). */
    Report analyzeLive(List<dev.knot.snapshot.LiveFact> facts) {
        try {
            dev.knot.snapshot.ThreadDump d = DumpReader.read("live", new ByteArrayInputStream(text().getBytes(StandardCharsets.UTF_8))).get(0);
            return Analyzer.analyze(List.of(new dev.knot.snapshot.ThreadDump("pid 1", dev.knot.snapshot.DumpFormat.LIVE, d.time(),
                    "1", d.jvmVersion(), d.threads(), d.jdkDeadlocks(), d.warnings(), facts)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static List<String> keys(Report r) {
        return r.findings().stream().map(MiniDump::key).collect(Collectors.toList());
    }

    static String key(Finding f) {
        return f.kind().jsonName() + " " + f.certainty().jsonName() + " " + f.threads();
    }

    // ---- common stacks ------------------------------------------------------------------------

    static List<String> blockedOn(String monitor, String cls, String... held) {
        List<String> l = new ArrayList<>();
        l.add("at app.Service.work(Service.java:10)");
        l.add("- waiting to lock <" + monitor + "> (a " + cls + ")");
        for (String h : held) l.add("- locked <" + h + "> (a app.Lock)");
        l.add("at java.lang.Thread.run(java.base@25.0.3/Thread.java:1474)");
        return l;
    }

    static List<String> parked(String blocker, String cls, String... jdkFrames) {
        List<String> l = new ArrayList<>();
        l.add("at jdk.internal.misc.Unsafe.park(java.base@25.0.3/Native Method)");
        l.add("- parking to wait for  <" + blocker + "> (a " + cls + ")");
        l.add("at java.util.concurrent.locks.LockSupport.park(java.base@25.0.3/LockSupport.java:223)");
        for (String f : jdkFrames) l.add("at " + f);
        l.add("at app.Service.work(Service.java:20)");
        l.add("at java.lang.Thread.run(java.base@25.0.3/Thread.java:1474)");
        return l;
    }

    static List<String> lockWait(String lock) {
        return parked(lock, "java.util.concurrent.locks.ReentrantLock$NonfairSync",
                "java.util.concurrent.locks.ReentrantLock.lock(java.base@25.0.3/ReentrantLock.java:323)");
    }

    static List<String> semaphoreWait(String sync) {
        return parked(sync, "java.util.concurrent.Semaphore$NonfairSync",
                "java.util.concurrent.Semaphore.acquire(java.base@25.0.3/Semaphore.java:318)");
    }

    static List<String> running() {
        return List.of("at java.util.HashMap.putVal(java.base@25.0.3/HashMap.java:635)",
                "at app.Client.call(Client.java:5)");
    }

    static String rl(String id) {
        return "<" + id + "> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)";
    }
}
