package dev.knot.agent;

import dev.knot.live.LiveSnapshot;
import dev.knot.findings.Finding;
import dev.knot.findings.Report;
import dev.knot.snapshot.ThreadDump;
import dev.knot.render.TextRenderer;
import dev.knot.rules.Analyzer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reports a hang once, when it forms, from inside the JVM.
 *
 * <p>Every interval it takes a cheap sample (ThreadMXBean states and blockers without stacks, ~10-30 ms for
 * 10,000 threads, no global pause beyond the JVM's own) and remembers since when each thread has waited on the
 * same object: the age of every wait. Only when some untimed wait has lasted a full interval, or the JVM sees a
 * lock cycle, does it take a full {@link LiveSnapshot} and run the rules. Each hang finding is reported once
 * (to stderr, to a report file, and as a JFR event), with the age of every wait in it.
 *
 * <p>It runs on its own daemon thread, never on an application thread, and never throws: a failure stops
 * the watchdog with one line on stderr.
 */
public final class Watchdog implements AutoCloseable {

    /** Configuration; see the README's agent section for the matching agent options. */
    public record Config(Duration interval, Path reportFile, boolean stderr, boolean jfr) {
        public static Config defaults() {
            return new Config(Duration.ofSeconds(1), null, true, true);
        }
    }

    private final Config config;
    private final Consumer<Report> listener;
    private final Thread thread;
    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    /** thread id → (object waited on, first seen in ns) */
    private final Map<Long, Wait> waits = new HashMap<>();
    private final Set<String> reported = new HashSet<>();
    /** Waits already looked at by a full check (idle workers stay on one object): they do not trigger another. */
    private final Set<String> examined = new HashSet<>();
    private int samplesSinceCheck;
    private final Set<Long> cycleThreads = new HashSet<>();
    private volatile boolean running = true;

    private record Wait(String on, long sinceNanos) {
    }

    private Watchdog(Config config, Consumer<Report> listener) {
        this.config = config;
        this.listener = listener;
        this.thread = new Thread(this::loop, "knot-watchdog");
        this.thread.setDaemon(true);
    }

    /** Starts watching; {@code listener} (may be null) also receives each report with new hang findings. */
    public static Watchdog start(Config config, Consumer<Report> listener) {
        Watchdog w = new Watchdog(config, listener);
        w.thread.start();
        return w;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }

    private void loop() {
        long interval = Math.max(10, config.interval().toMillis());
        try {
            while (running) {
                Thread.sleep(interval);
                if (sample(interval)) check();
            }
        } catch (InterruptedException e) {
            // closed
        } catch (Throwable t) {
            System.err.println("knot-watchdog: stopped after an internal error: " + t);
        }
    }

    /**
     * @return true when a full check is warranted: a wait not examined before has lasted a full interval, or the
     *         JVM sees a lock cycle, or (at most once a minute of samples) old waits exist at all
     */
    private boolean sample(long intervalMillis) {
        long now = System.nanoTime();
        long[] ids = mx.getAllThreadIds();
        ThreadInfo[] infos = mx.getThreadInfo(ids, 0);
        Map<Long, Wait> next = new HashMap<>();
        boolean fresh = false;
        boolean anyOld = false;
        for (ThreadInfo ti : infos) {
            if (ti == null || ti.getLockName() == null) continue;
            Thread.State s = ti.getThreadState();
            if (s != Thread.State.BLOCKED && s != Thread.State.WAITING) continue;
            Wait prev = waits.get(ti.getThreadId());
            Wait w = prev != null && prev.on.equals(ti.getLockName()) ? prev : new Wait(ti.getLockName(), now);
            next.put(ti.getThreadId(), w);
            if (now - w.sinceNanos >= intervalMillis * 1_000_000L) {
                anyOld = true;
                if (!examined.contains(ti.getThreadId() + "/" + w.on)) fresh = true;
            }
        }
        waits.clear();
        waits.putAll(next);
        samplesSinceCheck++;
        long[] cycle = mx.findDeadlockedThreads();
        boolean due = fresh || cycle != null && cycle.length > 0 && !reportedCycle(cycle) || anyOld && samplesSinceCheck >= 60;
        if (due) {
            samplesSinceCheck = 0;
            for (Map.Entry<Long, Wait> e : waits.entrySet()) examined.add(e.getKey() + "/" + e.getValue().on);
        }
        return due;
    }

    /** A JVM-detected cycle we already checked: no need to snapshot again each interval. */
    private boolean reportedCycle(long[] cycle) {
        boolean known = true;
        for (long id : cycle) {
            if (cycleThreads.add(id)) known = false;
        }
        return known;
    }

    private void check() {
        ThreadDump d = LiveSnapshot.take("watchdog, pid " + ProcessHandle.current().pid());
        Report r = Analyzer.analyze(List.of(d));
        List<Finding> fresh = new ArrayList<>();
        for (Finding f : r.findings()) {
            if (!f.kind().hang()) continue;
            String key = f.kind().jsonName() + f.threads();
            if (reported.add(key)) fresh.add(withAges(f, d));
        }
        if (fresh.isEmpty()) return;
        Report report = new Report(r.dumps(), fresh, r.warnings());
        String text = render(report);
        if (config.stderr()) {
            PrintStream err = System.err;
            err.print(text);
            err.flush();
        }
        if (config.reportFile() != null) append(config.reportFile(), text);
        if (config.jfr()) HangEvents.commit(fresh);
        if (listener != null) listener.accept(report);
    }

    /** Adds "waiting for 17 min" to the story for each thread the sampler has been watching. */
    private Finding withAges(Finding f, ThreadDump d) {
        Map<String, Long> idByName = new HashMap<>();
        for (var t : d.threads()) {
            try {
                idByName.putIfAbsent(t.name(), Long.parseLong(t.id()));
            } catch (NumberFormatException ignored) {
                // not a numeric id
            }
        }
        List<String> story = new ArrayList<>(f.story());
        long now = System.nanoTime();
        for (String name : f.threads()) {
            Long id = idByName.get(name);
            Wait w = id == null ? null : waits.get(id);
            if (w != null) story.add("\"" + name + "\" has been waiting on " + w.on + " for " + age(now - w.sinceNanos));
        }
        return new Finding(f.kind(), f.certainty(), f.threads(), f.summary(), story, f.why(), f.fix(), f.missing(),
                f.blocked(), f.edges());
    }

    static String age(long nanos) {
        long s = nanos / 1_000_000_000L;
        if (s < 1) return (nanos / 1_000_000L) + " ms";
        if (s < 120) return s + " s";
        if (s < 7200) return (s / 60) + " min";
        return (s / 3600) + " h";
    }

    private static String render(Report r) {
        StringWriter sw = new StringWriter();
        PrintWriter pw = new PrintWriter(sw);
        pw.println("knot-watchdog: hang detected");
        new TextRenderer(false).render(r, pw);
        pw.flush();
        return sw.toString();
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("knot-watchdog: cannot write " + file + ": " + e.getMessage());
        }
    }
}
