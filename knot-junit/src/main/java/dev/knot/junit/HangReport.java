package dev.knot.junit;

import dev.knot.findings.Finding;
import dev.knot.findings.Report;
import dev.knot.input.DumpedThread;
import dev.knot.input.ThreadDump;
import dev.knot.live.LiveSnapshot;
import dev.knot.model.Certainty;
import dev.knot.render.TextRenderer;
import dev.knot.rules.Analyzer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Knot's diagnosis of a test that ran out of time: the findings that involve the test's threads. */
final class HangReport {
    private HangReport() {
    }

    /** How to make every live finding certain, for the message. */
    static final String CERTAINTY_HINT = "to make Knot's findings certain, run the tests with the Knot agent"
            + " (-javaagent:knot-agent.jar in surefire's argLine or Gradle's jvmArgs) or with --add-opens"
            + " java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.util.concurrent=ALL-UNNAMED"
            + " --add-opens java.base/java.util.concurrent.locks=ALL-UNNAMED";

    /**
     * @param testThreads the test's threads, the one running the test method first
     * @return the explanation, several lines, without a trailing newline
     */
    static String explain(List<Thread> testThreads, String attribution) {
        Set<String> ids = new HashSet<>();
        for (Thread t : testThreads) ids.add(Long.toString(t.getId()));
        ThreadDump dump = LiveSnapshot.take("the test JVM");
        Report all = Analyzer.analyze(List.of(dump));
        Set<String> names = new HashSet<>();
        for (DumpedThread d : dump.threads()) {
            if (ids.contains(d.id())) names.add(d.name());
        }
        List<Finding> ours = new ArrayList<>();
        for (Finding f : all.findings()) {
            if (f.threads().stream().anyMatch(names::contains) || f.blocked().stream().anyMatch(names::contains)) ours.add(f);
        }
        StringBuilder s = new StringBuilder();
        if (ours.isEmpty()) {
            s.append("Knot found no deadlock, starvation or other hang among the test's threads (it may be slow, or wait for"
                    + " something outside this JVM).");
        } else {
            StringWriter w = new StringWriter();
            new TextRenderer(false).render(new Report(all.dumps(), ours, List.of()), new PrintWriter(w));
            String text = w.toString().strip();
            // drop the renderer's "Knot analysed live: …" header line: the message says what was analysed
            int nl = text.indexOf('\n');
            if (text.startsWith("Knot analysed") && nl > 0) text = text.substring(nl).strip();
            s.append(text);
        }
        s.append("\nThe test's threads (").append(attribution).append("):");
        int n = 0;
        for (Thread t : testThreads) {
            if (n++ == 12) {
                s.append("\n    … and ").append(testThreads.size() - 12).append(" more");
                break;
            }
            s.append("\n    \"").append(t.getName()).append("\" ").append(Stacks.doing(t.getState(), t.getStackTrace()));
        }
        boolean likely = ours.stream().anyMatch(f -> f.certainty() == Certainty.LIKELY);
        if (likely || ours.isEmpty() && !Threads.LANG_OPEN) s.append("\nTo be certain: ").append(CERTAINTY_HINT).append('.');
        return s.toString();
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
