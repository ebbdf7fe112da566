package dev.knot.bench;

import dev.knot.input.AgentProtocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Scale benchmark (a bench runner, not a test): for each {@link ScaleShapes shape} and thread count, starts a target
 * JVM, then times, interleaved, {@code ./knot attach PID} and {@code jstack -l PID > file} on it, and
 * {@code ./knot analyze} of that {@code jstack -l} text; prints min / median / max, the ratios of the medians to
 * {@code jstack -l} (targets: attach &le; 1, analysis &le; 0.5) and the size of each report (text and JSON), which
 * must stay readable however many threads share one blocker.
 *
 * <p>Run from the repository root after a build:
 * <pre>java -cp knot-bench/target/knot-bench.jar dev.knot.bench.ScaleBench [--shapes latch,monitor] [--threads 1000,10000]
 *     [--jdk DIR]... [--runs 3] [--track]</pre>
 * Each {@code --jdk} runs the target, {@code jstack} and Knot's CLI (default: the JDK running this); {@code --track}
 * adds a run of every shape with the agent loaded at start-up ({@code track=all}). The first attach to a target
 * loads the agent and is reported apart. Nothing else should run on the machine meanwhile.
 */
public final class ScaleBench {
    private List<String> shapes = ScaleShapes.SHAPES;
    private List<Integer> sizes = List.of(1_000, 10_000);
    private final List<Path> jdks = new ArrayList<>();
    private int runs = 3;
    private boolean track;
    private final Path launcher = Path.of("knot").toAbsolutePath();
    private final Path agent = Path.of("knot-agent/target/knot-agent.jar").toAbsolutePath();
    private Path work;

    public static void main(String[] args) throws Exception {
        ScaleBench b = new ScaleBench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--shapes" -> b.shapes = List.of(args[++i].split(","));
                case "--threads" -> b.sizes = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
                case "--jdk" -> b.jdks.add(Path.of(args[++i]));
                case "--runs" -> b.runs = Integer.parseInt(args[++i]);
                case "--track" -> b.track = true;
                default -> usage();
            }
        }
        if (!ScaleShapes.SHAPES.containsAll(b.shapes) || b.runs < 1) usage();
        if (b.jdks.isEmpty()) b.jdks.add(Path.of(System.getProperty("java.home")));
        if (!Files.isExecutable(b.launcher) || !Files.isRegularFile(b.agent)) {
            System.err.println("ScaleBench: run it from the repository root after a build (needs ./knot and " + b.agent + ")");
            System.exit(66);
        }
        b.work = Files.createTempDirectory("knot-scale-bench-");
        b.run();
    }

    private static void usage() {
        System.err.println("usage: ScaleBench [--shapes " + String.join(",", ScaleShapes.SHAPES)
                + "] [--threads 1000,10000] [--jdk DIR]... [--runs R] [--track]");
        System.exit(64);
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "%d interleaved runs each; times are medians in ms (min-max)%n", runs);
        System.out.printf(Locale.ROOT, "%-8s %-22s %6s | %-18s %-18s %-18s | %6s %6s | %9s %9s %9s | %s%n",
                "jdk", "shape", "threads", "jstack -l", "knot attach", "knot analyze", "att/js", "ana/js",
                "dump", "text", "json", "first attach");
        for (Path jdk : jdks) {
            int feature = feature(jdk);
            for (boolean tracked : track ? List.of(false, true) : List.of(false)) {
                for (String shape : shapes) {
                    if (shape.equals("vsemaphore") && feature < 21) continue;
                    for (int n : sizes) {
                        try {
                            measure(jdk, feature, shape, tracked, n);
                        } catch (IllegalStateException e) {
                            System.out.printf(Locale.ROOT, "%-8s %-22s %6d | failed: %s%n", "jdk" + feature,
                                    shape + (tracked ? " +track" : ""), n, e.getMessage());
                        }
                    }
                }
            }
        }
    }

    private void measure(Path jdk, int feature, String shape, boolean tracked, int n) throws Exception {
        long[] jstack = new long[runs];
        long[] attach = new long[runs];
        long[] analyze = new long[runs];
        Path dump = work.resolve("jstack.txt");
        Path text = work.resolve("attach.txt");
        Path json = work.resolve("attach.json");
        long first;
        try (Target t = new Target(jdk, shape, n, tracked)) {
            first = attach(jdk, t.pid, text, "text");
            for (int i = 0; i < runs; i++) {
                jstack[i] = time(new ProcessBuilder(jdk.resolve("bin/jstack").toString(), "-l", String.valueOf(t.pid)),
                        dump, 0);
                attach[i] = attach(jdk, t.pid, text, "text");
                analyze[i] = time(knot(jdk, "analyze", dump.toString()), work.resolve("analyze.txt"), 2);
            }
            attach(jdk, t.pid, json, "json");
        }
        System.out.printf(Locale.ROOT, "%-8s %-22s %6d | %-18s %-18s %-18s | %6.2f %6.2f | %9s %9s %9s | %d%n",
                "jdk" + feature, shape + (tracked ? " +track" : ""), n, stats(jstack), stats(attach), stats(analyze),
                (double) median(attach) / median(jstack), (double) median(analyze) / median(jstack),
                size(dump), size(text), size(json), first / 1_000_000);
    }

    /** A JVM in one shape, given 3 s to settle once every thread is in place (JIT, GC after start-up). */
    private final class Target implements AutoCloseable {
        final Process process;
        final long pid;

        Target(Path jdk, String shape, int n, boolean tracked) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of(jdk.resolve("bin/java").toString(), "-Xss256k"));
            if (tracked) cmd.add("-javaagent:" + agent + "=" + AgentProtocol.options(AgentProtocol.TRACK_OPTION, "all"));
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ScaleShapes.class.getName(), shape,
                    String.valueOf(n)));
            process = new ProcessBuilder(cmd).redirectError(work.resolve("target-stderr.txt").toFile()).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String ready = r.readLine();
            if (ready == null || !ready.startsWith("READY ")) {
                process.destroyForcibly();
                throw new IllegalStateException("target " + shape + " did not start: " + ready);
            }
            pid = process.pid();
            Thread.sleep(3_000);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    private long attach(Path jdk, long pid, Path out, String format) throws IOException, InterruptedException {
        return time(knot(jdk, "attach", "--timeout", "300", "--format", format, String.valueOf(pid)), out, 2);
    }

    private ProcessBuilder knot(Path jdk, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(launcher.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("KNOT_JAVA", jdk.resolve("bin/java").toString());
        return pb;
    }

    /** Wall time of one run in ns; it must exit 0 or {@code alsoOk}. */
    private long time(ProcessBuilder pb, Path out, int alsoOk) throws IOException, InterruptedException {
        return Runs.time(pb, out, work.resolve("stderr.txt"), 0, alsoOk);
    }

    private static int feature(Path jdk) throws IOException {
        for (String line : Files.readAllLines(jdk.resolve("release"))) {
            if (line.startsWith("JAVA_VERSION=")) {
                String v = line.substring(line.indexOf('=') + 1).replace("\"", "");
                return Integer.parseInt(v.split("[.+-]")[0]);
            }
        }
        throw new IllegalStateException("no JAVA_VERSION in " + jdk.resolve("release"));
    }

    private static String size(Path p) throws IOException {
        long b = Files.size(p);
        return b >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MB", b / 1048576.0)
                : String.format(Locale.ROOT, "%.1f kB", b / 1024.0);
    }

    private static String stats(long[] t) {
        long[] s = t.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "%d (%d-%d)", median(t) / 1_000_000, s[0] / 1_000_000,
                s[s.length - 1] / 1_000_000);
    }

    private static long median(long[] t) {
        return Runs.median(t);
    }
}
