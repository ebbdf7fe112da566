package dev.knot.bench;

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
 * Speed benchmark for {@code knot attach} (a bench runner, not a test): starts a JVM with N parked platform threads
 * ({@link ParkedThreads}), then times {@code ./knot attach PID} (agent, live snapshot, diagnosis) and
 * {@code jstack -l PID > file} (the dump alone) on it, interleaved, and prints min / median / max of each and the
 * ratio of the medians. With {@code --first K} it also times the first attach and the first {@code jstack -l} on K
 * fresh JVMs each (a first attach loads the agent into the target).
 *
 * <p>Run from the repository root after a build:
 * {@code java -cp knot-bench/target/knot-bench.jar dev.knot.bench.AttachBench [--threads 10000] [--runs 12]
 * [--first 3] [--jdk DIR]}. The target, jstack and the launcher's JVM come from {@code --jdk} (default: the JDK
 * running this); nothing else should run on the machine meanwhile.
 */
public final class AttachBench {
    private int threads = 10_000;
    private int runs = 12;
    private int first = 0;
    private Path jdk = Path.of(System.getProperty("java.home"));
    private final Path launcher = Path.of("knot").toAbsolutePath();
    private Path work;

    public static void main(String[] args) throws Exception {
        AttachBench b = new AttachBench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> b.threads = Integer.parseInt(args[++i]);
                case "--runs" -> b.runs = Integer.parseInt(args[++i]);
                case "--first" -> b.first = Integer.parseInt(args[++i]);
                case "--jdk" -> b.jdk = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: AttachBench [--threads N] [--runs R] [--first K] [--jdk DIR]");
                    System.exit(64);
                }
            }
        }
        if (!Files.isExecutable(b.launcher)) {
            System.err.println("AttachBench: run it from the repository root (no ./knot here)");
            System.exit(66);
        }
        b.work = Files.createTempDirectory("knot-attach-bench-");
        b.run();
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "target and jstack: %s; %d parked threads; %d interleaved runs each%n", jdk, threads, runs);
        long[] knot = new long[runs];
        long[] jstack = new long[runs];
        try (Target t = new Target()) {
            attach(t.pid); // the first attach loads the agent: measured separately (--first)
            for (int i = 0; i < runs; i++) {
                knot[i] = attach(t.pid);
                jstack[i] = jstack(t.pid);
            }
        }
        print("knot attach PID (later attaches)", knot);
        print("jstack -l PID > file", jstack);
        System.out.printf(Locale.ROOT, "ratio of medians knot / jstack -l: %.2f (target: <= 1)%n",
                (double) median(knot) / median(jstack));
        if (first <= 0) return;
        long[] firstKnot = new long[first];
        long[] firstJstack = new long[first];
        for (int i = 0; i < first; i++) {
            try (Target t = new Target()) {
                firstKnot[i] = attach(t.pid);
            }
            try (Target t = new Target()) {
                firstJstack[i] = jstack(t.pid);
            }
        }
        print("knot attach PID (first, fresh JVM)", firstKnot);
        print("jstack -l PID > file (first, fresh JVM)", firstJstack);
        System.out.printf(Locale.ROOT, "ratio of medians, first: %.2f%n", (double) median(firstKnot) / median(firstJstack));
    }

    /** A JVM with parked threads, given 5 s to settle after they are all parked (JIT, GC after start-up). */
    private final class Target implements AutoCloseable {
        final Process process;
        final long pid;

        Target() throws IOException, InterruptedException {
            process = new ProcessBuilder(jdk.resolve("bin/java").toString(), "-Xss256k", "-cp",
                    System.getProperty("java.class.path"), ParkedThreads.class.getName(), String.valueOf(threads), "25")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String ready = r.readLine();
            if (ready == null || !ready.startsWith("READY ")) {
                process.destroyForcibly();
                throw new IllegalStateException("target did not start: " + ready);
            }
            pid = process.pid();
            Thread.sleep(5_000);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    private long attach(long pid) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "attach", String.valueOf(pid)));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("KNOT_JAVA", jdk.resolve("bin/java").toString());
        return time(pb, work.resolve("attach.txt"), 0, 2);
    }

    private long jstack(long pid) throws IOException, InterruptedException {
        return time(new ProcessBuilder(jdk.resolve("bin/jstack").toString(), "-l", String.valueOf(pid)),
                work.resolve("jstack.txt"), 0, 0);
    }

    private long time(ProcessBuilder pb, Path out, int okA, int okB) throws IOException, InterruptedException {
        return Runs.time(pb, out, work.resolve("stderr.txt"), okA, okB);
    }

    private static void print(String label, long[] t) {
        Runs.print(label, 42, t);
    }

    private static long median(long[] t) {
        return Runs.median(t);
    }
}
