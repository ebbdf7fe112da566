package dev.knot.junit;

import dev.knot.findings.Finding;
import dev.knot.findings.Report;
import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.LockLine;
import dev.knot.snapshot.ThreadDump;
import dev.knot.live.LiveSnapshot;
import dev.knot.findings.Certainty;
import dev.knot.render.TextRenderer;
import dev.knot.rules.Analyzer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Knot's diagnosis of a test that ran out of time: the findings that involve the test's threads. */
final class HangReport {
    private HangReport() {
    }

    /** How to make every live finding certain, for the message. */
    static final String CERTAINTY_HINT = "run the tests with the Knot agent"
            + " (-javaagent:knot-agent.jar in surefire's argLine or Gradle's jvmArgs) or with --add-opens"
            + " java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.util.concurrent=ALL-UNNAMED"
            + " --add-opens java.base/java.util.concurrent.locks=ALL-UNNAMED";

    /**
     * @param testThreads the test's threads, the one running the test method first
     * @param others      ids of threads other tests started while this one ran (set aside if the whole JVM's picture
     *                    explains nothing: their running tasks would otherwise stop Knot from inferring starvation)
     * @return the explanation, several lines, without a trailing newline
     */
    static String explain(List<Thread> testThreads, String attribution, Set<String> others) {
        Set<String> ids = new HashSet<>();
        for (Thread t : testThreads) ids.add(Long.toString(t.getId()));
        ThreadDump dump = unique(LiveSnapshot.take("the test JVM"), ids);
        Map<Long, Long> waitedCounts = WaitChain.waitedCounts(testThreads);
        long countedAt = System.nanoTime();
        Report all = Analyzer.analyze(List.of(dump));
        List<Finding> ours = involving(all, dump, ids);
        String setAside = null;
        if (ours.isEmpty() && !others.isEmpty()) {
            ThreadDump without = without(dump, others);
            if (without.threads().size() < dump.threads().size()) {
                Report r = Analyzer.analyze(List.of(without));
                ours = involving(r, without, ids);
                if (!ours.isEmpty()) {
                    all = r;
                    setAside = "Knot set aside " + (dump.threads().size() - without.threads().size())
                            + " thread(s) that other tests started while this one ran.";
                }
            }
        }
        StringBuilder s = new StringBuilder();
        List<String> chain = ours.isEmpty() ? WaitChain.explain(dump, testThreads, waitedCounts, countedAt) : List.of();
        if (ours.isEmpty() && chain.isEmpty()) {
            s.append("Knot found no deadlock, starvation or other hang among the test's threads (it may be slow, or wait for"
                    + " something outside this JVM).");
        } else if (ours.isEmpty()) {
            // no hang kind applies, but the test still waits on something: say what, and who holds it up
            s.append("WAITING  no deadlock, starvation or other hang kind applies; what the test's threads wait for:");
            for (String l : chain) s.append("\n    ").append(l);
        } else {
            StringWriter w = new StringWriter();
            new TextRenderer(false).render(new Report(all.dumps(), ours, List.of()), new PrintWriter(w));
            String text = w.toString().strip();
            // keep the findings: drop the renderer's header ("Knot analysed live: …") and summary ("Hang found: …")
            List<String> lines = new ArrayList<>(List.of(text.split("\n")));
            if (!lines.isEmpty() && lines.get(0).startsWith("Knot analysed")) lines.remove(0);
            if (!lines.isEmpty() && (lines.get(lines.size() - 1).startsWith("Hang found:")
                    || lines.get(lines.size() - 1).startsWith("No hang, but:"))) {
                lines.remove(lines.size() - 1);
            }
            // closed java.base: the first step to certainty is opening it (below), before the tracking knot-core names
            if (!Threads.LANG_OPEN) lines.removeIf(l -> l.startsWith("  To be certain:"));
            s.append(String.join("\n", lines).strip());
        }
        s.append("\nThe test's threads (").append(attribution).append("):");
        int n = 0;
        for (Thread t : testThreads) {
            if (n++ == 12) {
                s.append("\n    … and ").append(testThreads.size() - 12).append(" more");
                break;
            }
            StackTraceElement[] st = Threads.stack(t);
            s.append("\n    \"").append(t.getName()).append("\" ").append(Stacks.doing(Threads.state(t), st));
        }
        if (setAside != null) s.append('\n').append(setAside);
        boolean likely = ours.stream().anyMatch(f -> f.certainty() == Certainty.LIKELY);
        if (!Threads.LANG_OPEN && (likely || ours.isEmpty())) s.append("\nTo be certain: ").append(CERTAINTY_HINT).append('.');
        return s.toString();
    }

    private static List<Finding> involving(Report r, ThreadDump dump, Set<String> ids) {
        Set<String> names = new HashSet<>();
        for (DumpedThread d : dump.threads()) {
            if (ids.contains(d.id())) names.add(d.name());
        }
        List<Finding> out = new ArrayList<>();
        for (Finding f : r.findings()) {
            if (f.threads().stream().anyMatch(names::contains) || f.blocked().stream().anyMatch(names::contains)) out.add(f);
        }
        return out;
    }

    /** The snapshot without the given threads, except those holding a lock (someone might wait for it). */
    private static ThreadDump without(ThreadDump d, Set<String> drop) {
        List<DumpedThread> keep = new ArrayList<>();
        for (DumpedThread t : d.threads()) {
            boolean holds = t.ownableSynchronizers() != null && !t.ownableSynchronizers().isEmpty()
                    || t.frames().stream().anyMatch(f -> f.locks().stream().anyMatch(l -> l.action() == LockLine.Action.LOCKED));
            if (!drop.contains(t.id()) || holds) keep.add(t);
        }
        return new ThreadDump(d.source(), d.format(), d.time(), d.processId(), d.jvmVersion(), keep, d.jdkDeadlocks(),
                d.warnings(), d.facts(), d.cutOff(), d.lockOrder());
    }

    /**
     * The snapshot with every thread name unique: Knot's rules tell threads apart by name, and a test JVM often holds
     * an earlier test's stuck threads under the same names. The test's own threads keep their names.
     */
    static ThreadDump unique(ThreadDump d, Set<String> testIds) {
        Set<String> taken = new HashSet<>();
        for (DumpedThread t : d.threads()) {
            if (testIds.contains(t.id())) taken.add(t.name());
        }
        List<DumpedThread> threads = new ArrayList<>();
        boolean renamed = false;
        for (DumpedThread t : d.threads()) {
            if (testIds.contains(t.id()) || taken.add(t.name())) {
                threads.add(t);
            } else {
                renamed = true;
                String name = t.name() + " #" + t.id();
                taken.add(name);
                threads.add(new DumpedThread(name, t.id(), t.nativeId(), t.virtual(), t.daemon(), t.state(), t.stateDetail(),
                        t.cpuMillis(), t.elapsedSeconds(), t.container(), t.carrierOf(), t.carrierId(), t.frames(),
                        t.ownableSynchronizers(), t.headerLine(), t.lineNumber()));
            }
        }
        return !renamed ? d : new ThreadDump(d.source(), d.format(), d.time(), d.processId(), d.jvmVersion(), threads,
                d.jdkDeadlocks(), d.warnings(), d.facts(), d.cutOff(), d.lockOrder());
    }

    private static volatile boolean warmedUp;

    /**
     * Loads and exercises the snapshot and rules once, on a thread of Knot's, so that the first diagnosis fits in the
     * time left before JUnit's own timeout.
     */
    static void warmUpOnce() {
        if (warmedUp) return;
        warmedUp = true;
        new KnotThread(() -> {
            try {
                Analyzer.analyze(List.of(LiveSnapshot.take("warm-up")));
            } catch (Throwable ignored) {
                // only a warm-up
            }
        }, "knot-warmup").start();
    }
}
