package dev.knot.bench;

import dev.knot.cli.Main;
import dev.knot.findings.Finding;
import dev.knot.findings.Report;
import dev.knot.input.DumpReader;
import dev.knot.snapshot.ThreadDump;
import dev.knot.render.JsonRenderer;
import dev.knot.render.TextRenderer;
import dev.knot.rules.Analyzer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Speed benchmark for {@code knot analyze} (a bench runner, not a test): generates a 10,000-thread
 * {@code jstack -l} dump (~20 MB, JDK 25 format), times {@code java -jar knot.jar analyze} end to end as a
 * user runs it, separates JVM start-up from parsing and analysis (in fresh JVMs and warm in-process), times
 * {@code jstack} on a real JVM with 10,000 parked threads for the comparison, and prints a summary table.
 * Profiles with JFR when the target is missed (or with {@code --profile}).
 *
 * <p>Run from the repository root:
 * {@code mvn -q -pl knot-bench -am package -DskipTests && java -jar knot-bench/target/knot-bench.jar}
 * (options: {@code --help}).
 *
 * <p>Measurements run in child JVMs whose standard streams are pipes, so Knot never sees a terminal
 * (no progress bar, no colours), as with {@code knot analyze dump.txt > /dev/null}.
 */
public final class AnalyzeBench {

    private static final double MB = 1e6;

    // options
    private int threads = 10_000;
    private int runs = 5;
    private long seed = 42;
    private boolean keep;
    private boolean skipJstack;
    private Boolean profile;          // null: only when the target is missed
    private String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** Time {@code java -jar knot.jar} instead of the {@code ./knot} launcher. */
    private boolean direct;
    private Path jstackJdk = defaultJstackJdk();
    private Path knotJar;
    private Path dumpFile;            // analyse this file instead of generating one

    private Path work;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].startsWith("--child-")) {
            Child.main(args);
            return;
        }
        AnalyzeBench b = new AnalyzeBench();
        if (!b.parse(args)) return;
        b.run();
    }

    private static Path defaultJstackJdk() {
        Path jdk17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
        return Files.isExecutable(jdk17.resolve("bin/jstack")) ? jdk17 : Path.of(System.getProperty("java.home"));
    }

    private boolean parse(String[] args) throws IOException {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--keep" -> keep = true;
                case "--no-jstack" -> skipJstack = true;
                case "--profile" -> profile = true;
                case "--no-profile" -> profile = false;
                case "--java" -> {
                    javaBin = args[++i];
                    direct = true;
                }
                case "--direct" -> direct = true;
                case "--jstack-jdk" -> jstackJdk = Path.of(args[++i]);
                case "--knot-jar" -> knotJar = Path.of(args[++i]);
                case "--dump" -> dumpFile = Path.of(args[++i]);
                case "--write-dump" -> {
                    Path out = Path.of(args[++i]);
                    JstackDumpGenerator.Result r = JstackDumpGenerator.write(out, threads, seed);
                    System.out.printf(Locale.ROOT, "%s: %,d bytes, %,d threads, %.1f frames/thread%n", out, r.bytes(),
                            r.threads(), r.framesPerThread());
                    return false;
                }
                case "-h", "--help" -> {
                    System.out.println("""
                            usage: java -jar knot-bench/target/knot-bench.jar [options]   (from the repository root)
                              --threads N       threads in the generated dump (default 10000)
                              --runs N          timed runs per measurement after 1 warm-up (default 5)
                              --seed S          generator seed (default 42)
                              --dump FILE       analyse this dump instead of generating one
                              --java PATH       run knot.jar directly with this java (implies --direct)
                              --direct          time `java -jar knot.jar` instead of the ./knot launcher
                              --knot-jar PATH   default knot-cli/target/knot.jar
                              --jstack-jdk DIR  JDK whose jstack is timed; the parked-thread target runs on the same
                                                JDK (default /usr/lib/jvm/java-17-openjdk-amd64)
                              --no-jstack       skip the jstack measurement (then the reference is 1.2 s)
                              --profile / --no-profile   JFR profile of knot (default: only if the target is missed)
                              --keep            keep the temporary directory with the dumps
                              --write-dump FILE only write the generated dump (after --threads/--seed) and exit""");
                    return false;
                }
                default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
            }
        }
        if (knotJar == null) knotJar = findKnotJar();
        return true;
    }

    private static Path findKnotJar() {
        Path here = Path.of("knot-cli", "target", "knot.jar");
        if (Files.isRegularFile(here)) return here.toAbsolutePath();
        try {
            // next to this jar: knot-bench/target/knot-bench.jar -> knot-cli/target/knot.jar
            Path self = Path.of(AnalyzeBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path sibling = self.getParent().getParent().getParent().resolve("knot-cli/target/knot.jar");
            if (Files.isRegularFile(sibling)) return sibling;
        } catch (Exception e) {
            // fall through
        }
        throw new IllegalStateException("knot-cli/target/knot.jar not found: build it (mvn -q -pl knot-bench -am package"
                + " -DskipTests) and run from the repository root, or pass --knot-jar");
    }

    // ---- the run ----------------------------------------------------------------------------------

    private void run() throws Exception {
        work = Files.createTempDirectory("knot-bench");
        try {
            header();
            Path dump = step1Generate();
            long size = Files.size(dump);

            section("2. knot analyze end to end through the CLI (" + String.join(" ", cli(List.of("analyze", "FILE")))
                    .replace(Path.of("").toAbsolutePath() + "/", "") + " > /dev/null)");
            long[] startup = timeRuns("JVM start-up + picocli only (knot --version)", List.of("--version"), 0, null);
            long[] text = timeRuns("knot analyze FILE", List.of("analyze", dump.toString()), 2, size);
            long[] json = timeRuns("knot analyze --format json FILE", List.of("analyze", "--format", "json",
                    dump.toString()), 2, size);
            checkJson(dump);

            section("3. cold single-shot phases (fresh JVM per run, public APIs called directly)");
            Map<String, long[]> cold = coldPhases(dump);

            section("4. in process, warm JIT (" + runs + " runs after 2 warm-ups; stdout to a null stream)");
            Map<String, String> inproc = child("--child-inprocess", dump.toString(), String.valueOf(runs));

            JstackResult js = null;
            if (!skipJstack) {
                section("5. jstack on this machine: " + threads + " parked platform threads, ~30 frames each");
                js = step5Jstack();
            }

            section("6. summary");
            double knotMs = median(text) / 1e6;
            double jstackMs = js != null ? median(js.plain) / 1e6 : 1200;
            boolean met = knotMs < jstackMs / 2;
            summary(size, text, json, startup, js, jstackMs, met, inproc, cold);

            boolean doProfile = profile != null ? profile : !met;
            if (doProfile) {
                section("7. profile (JFR execution samples of the main thread, " + (met ? "asked for" : "target missed") + ")");
                profile(dump);
            }
        } finally {
            if (keep) {
                System.out.println("\nkept: " + work);
            } else {
                deleteTree(work);
            }
        }
    }

    private void header() throws IOException, InterruptedException {
        System.out.println("Knot analyze benchmark, " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")));
        System.out.printf(Locale.ROOT, "machine: %d cores, %s %s; load average %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                loadAverage());
        System.out.println("knot runs on: " + javaVersion(javaBin) + " (" + javaBin + ")");
        System.out.println("knot jar: " + knotJar + " (built " + Files.getLastModifiedTime(knotJar).toInstant()
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ")" + gitState());
        System.out.println("numbers are wall-clock times on a shared machine: expect noise of 10-30 %");
    }

    /** {@code ; source: git abc1234 (+ uncommitted changes)} when run inside the repository, else empty. */
    private static String gitState() {
        try {
            Process p = new ProcessBuilder("git", "log", "-1", "--format=%h %cI").redirectErrorStream(true).start();
            String head = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0 || head.isEmpty()) return "";
            Process d = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no", "--", "knot-core",
                    "knot-cli").redirectErrorStream(true).start();
            boolean dirty = !new String(d.getInputStream().readAllBytes(), StandardCharsets.UTF_8).isBlank();
            d.waitFor();
            return "; source: git " + head + (dirty ? " + uncommitted changes in knot-core/knot-cli" : "");
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static String javaVersion(String java) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        String[] lines = out.split("\n");
        return lines.length > 1 ? lines[1].trim() : out.trim();
    }

    private static void section(String title) {
        System.out.println();
        System.out.println("== " + title);
    }

    private Path step1Generate() throws IOException {
        if (dumpFile != null) {
            section("1. input: " + dumpFile + " (given)");
            System.out.printf(Locale.ROOT, "size %.1f MB%n", Files.size(dumpFile) / MB);
            return dumpFile.toAbsolutePath();
        }
        section("1. generating a " + threads + "-thread jstack -l dump (JDK 25 format, seed " + seed + ")");
        Path file = work.resolve("generated-jstack-l-" + threads + ".txt");
        long t0 = System.nanoTime();
        JstackDumpGenerator.Result r = JstackDumpGenerator.write(file, threads, seed);
        long t1 = System.nanoTime();
        System.out.printf(Locale.ROOT, "%s: %.1f MB (%,d bytes), %,d lines, %,d threads, %.1f frames/thread avg, written in %d ms%n",
                file, r.bytes() / MB, r.bytes(), r.lines(), r.threads(), r.framesPerThread(), (t1 - t0) / 1_000_000);
        System.out.println("mix:");
        for (Map.Entry<String, Integer> e : r.mix().entrySet()) {
            System.out.printf(Locale.ROOT, "  %6d  %s%n", e.getValue(), e.getKey());
        }
        return file;
    }

    // ---- CLI timing ---------------------------------------------------------------------------------

    /**
     * 1 warm-up and {@link #runs} timed runs of the CLI as users run it: the {@code ./knot} launcher (which picks
     * the JVM options for a short run), or {@code java -jar knot.jar} with {@code --direct}; stdout discarded.
     */
    private long[] timeRuns(String label, List<String> args, int expectedExit, Long bytes) throws IOException,
            InterruptedException {
        return timeCommand(label, cli(args), expectedExit, bytes, runs);
    }

    /** The command line that runs Knot's CLI with {@code args}, as {@link #timeRuns} times it. */
    private List<String> cli(List<String> args) {
        Path launcher = Path.of("knot");
        List<String> cmd = !direct && java.nio.file.Files.isExecutable(launcher)
                ? new ArrayList<>(List.of(launcher.toAbsolutePath().toString()))
                : new ArrayList<>(List.of(javaBin, "-jar", knotJar.toString()));
        cmd.addAll(args);
        return cmd;
    }

    private long[] timeCommand(String label, List<String> cmd, int expectedExit, Long bytes, int n)
            throws IOException, InterruptedException {
        spawn(cmd, null, expectedExit); // warm-up: page cache, CDS archive, jar
        long[] t = new long[n];
        for (int i = 0; i < n; i++) t[i] = spawn(cmd, null, expectedExit);
        printTimes(label, t, bytes);
        return t;
    }

    private static void printTimes(String label, long[] t, Long bytes) {
        StringBuilder all = new StringBuilder();
        for (long x : t) all.append(all.length() == 0 ? "" : ", ").append(x / 1_000_000);
        System.out.printf(Locale.ROOT, "%-44s min %5d ms  median %5d ms", label, min(t) / 1_000_000, median(t) / 1_000_000);
        if (bytes != null) System.out.printf(Locale.ROOT, "  %5.1f MB/s", bytes / MB / (median(t) / 1e9));
        System.out.println("   [" + all + "]");
    }

    /** Runs a command; returns its wall time in ns. Stdout to {@code out} (null: discarded). */
    private long spawn(List<String> cmd, Path out, int expectedExit) throws IOException, InterruptedException {
        Path err = work.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(out.toFile()))
                .redirectError(err.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        int code = p.waitFor();
        long t1 = System.nanoTime();
        if (expectedExit >= 0 && code != expectedExit) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited " + code + " (expected " + expectedExit
                    + "): " + Files.readString(err, StandardCharsets.ISO_8859_1));
        }
        return t1 - t0;
    }

    private void checkJson(Path dump) throws IOException, InterruptedException {
        Path out = work.resolve("report.json");
        spawn(List.of(javaBin, "-jar", knotJar.toString(), "analyze", "--format", "json", dump.toString()), out, 2);
        String json = Files.readString(out);
        Matcher m = Pattern.compile("\"kind\"\\s*:\\s*\"([a-z-]+)\"").matcher(json);
        Map<String, Integer> kinds = new TreeMap<>();
        while (m.find()) kinds.merge(m.group(1), 1, Integer::sum);
        System.out.printf(Locale.ROOT, "exit code 2 (hang found) as expected; JSON report %.1f kB, kinds mentioned: %s%n",
                json.length() / 1e3, kinds);
    }

    // ---- child JVMs ---------------------------------------------------------------------------------

    private List<String> childCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-cp", System.getProperty("java.class.path"),
                AnalyzeBench.class.getName()));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /** Runs a child mode; prints its output; returns its {@code RESULT key value} lines. */
    private Map<String, String> child(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(childCommand(args)).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        Map<String, String> results = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    String[] kv = line.substring(7).split(" ", 2);
                    results.put(kv[0], kv.length > 1 ? kv[1] : "");
                } else {
                    System.out.println(line);
                }
            }
        }
        int code = p.waitFor();
        if (code != 0) throw new IllegalStateException("child " + Arrays.toString(args) + " exited " + code);
        return results;
    }

    private Map<String, long[]> coldPhases(Path dump) throws IOException, InterruptedException {
        int n = 3;
        String[] keys = {"read", "analyze", "text", "json", "total", "gcCount", "gcMs"};
        Map<String, long[]> all = new LinkedHashMap<>();
        for (String k : keys) all.put(k, new long[n]);
        for (int i = 0; i < n; i++) {
            Map<String, String> r = child("--child-phases", dump.toString());
            for (String k : keys) all.get(k)[i] = Long.parseLong(r.get(k));
        }
        long size = Files.size(dump);
        System.out.printf(Locale.ROOT, "median of %d fresh JVMs (ms): read+parse %d | model+rules %d | render text %d"
                        + " | render json %d | read+analyze+text %d (%.1f MB/s); GC: %d collections, %d ms%n", n,
                median(all.get("read")), median(all.get("analyze")), median(all.get("text")), median(all.get("json")),
                median(all.get("read")) + median(all.get("analyze")) + median(all.get("text")),
                size / MB / ((median(all.get("read")) + median(all.get("analyze")) + median(all.get("text"))) / 1e3),
                median(all.get("gcCount")), median(all.get("gcMs")));
        return all;
    }

    // ---- jstack -------------------------------------------------------------------------------------

    record JstackResult(long[] plain, long plainBytes, long[] withL, long withLBytes, long[] knotOnReal,
                        long knotOnPlain, String jdk, long startMs) {
    }

    private static final long LIMIT_SECONDS = 30;

    /**
     * One run of a command that may take very long: after 20 s its main thread is sampled 4 times with jstack
     * (the Knot frames are printed), and at {@link #LIMIT_SECONDS} it is killed. Returns ns, or -1 if killed.
     */
    private long timeLimited(List<String> cmd, String label, long bytes, Path jstack) throws IOException,
            InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(work.resolve("stderr.txt").toFile()).start();
        long t0 = System.nanoTime();
        if (p.waitFor(20, TimeUnit.SECONDS)) {
            long t = System.nanoTime() - t0;
            System.out.printf(Locale.ROOT, "%-44s %5d ms  %5.1f MB/s  (exit %d)%n", label, t / 1_000_000,
                    bytes / MB / (t / 1e9), p.exitValue());
            return t;
        }
        Map<String, Integer> frames = new LinkedHashMap<>();
        int samples = 0;
        for (int i = 0; i < 4 && p.isAlive(); i++) {
            Process js = new ProcessBuilder(jstack.toString(), String.valueOf(p.pid())).redirectErrorStream(true).start();
            String dump = new String(js.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            js.waitFor();
            int main = dump.indexOf("\"main\"");
            if (main >= 0) {
                samples++;
                int end = dump.indexOf("\n\n", main);
                int shown = 0;
                for (String line : dump.substring(main, end < 0 ? dump.length() : end).split("\n")) {
                    if (line.contains("dev.knot.") && shown++ < 8) frames.merge(line.trim(), 1, Integer::sum);
                }
            }
            Thread.sleep(1500);
        }
        long left = TimeUnit.SECONDS.toNanos(LIMIT_SECONDS) - (System.nanoTime() - t0);
        boolean done = left > 0 && p.waitFor(left, TimeUnit.NANOSECONDS);
        long t = System.nanoTime() - t0;
        if (!done) {
            p.destroyForcibly();
            p.waitFor();
        }
        System.out.printf(Locale.ROOT, "%-44s %s%n", label, done ? (t / 1_000_000) + " ms (exit " + p.exitValue() + ")"
                : "did NOT finish in " + LIMIT_SECONDS + " s: killed");
        System.out.println("  Knot frames of its main thread in " + samples + " jstack samples taken after 20 s"
                + " (count of samples showing each):");
        for (Map.Entry<String, Integer> e : frames.entrySet()) System.out.println("    " + e.getValue() + "x " + e.getKey());
        return done ? t : -1;
    }

    private JstackResult step5Jstack() throws IOException, InterruptedException {
        Path jstack = jstackJdk.resolve("bin/jstack");
        Path java = jstackJdk.resolve("bin/java");
        System.out.println("jstack: " + jstack + " (" + javaVersion(java.toString()) + "); target runs on the same JDK");
        List<String> cmd = List.of(java.toString(), "-Xss256k", "-cp", System.getProperty("java.class.path"),
                ParkedThreads.class.getName(), String.valueOf(threads), "25");
        long t0 = System.nanoTime();
        Process target = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread killer = new Thread(target::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(killer);
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(target.getInputStream(), StandardCharsets.UTF_8));
            String ready = r.readLine();
            if (ready == null || !ready.startsWith("READY ")) throw new IllegalStateException("target did not start: " + ready);
            long startMs = (System.nanoTime() - t0) / 1_000_000;
            long pid = target.pid();
            System.out.printf(Locale.ROOT, "target pid %d: %d threads parked after %d ms%n", pid, threads, startMs);
            Path plainOut = work.resolve("real-jstack.txt");
            Path lOut = work.resolve("real-jstack-l.txt");
            int n = 3;
            long[] plain = new long[n];
            long[] withL = new long[n];
            for (int i = 0; i < n; i++) {
                plain[i] = spawn(List.of(jstack.toString(), String.valueOf(pid)), plainOut, 0);
                withL[i] = spawn(List.of(jstack.toString(), "-l", String.valueOf(pid)), lOut, 0);
            }
            long plainBytes = Files.size(plainOut);
            long lBytes = Files.size(lOut);
            printTimes(String.format(Locale.ROOT, "jstack PID > file (%.1f MB)", plainBytes / MB), plain, null);
            printTimes(String.format(Locale.ROOT, "jstack -l PID > file (%.1f MB)", lBytes / MB), withL, null);
            System.out.printf(Locale.ROOT, "frames/thread in the real dump: %.1f%n",
                    Files.lines(lOut, StandardCharsets.ISO_8859_1).filter(l -> l.startsWith("\tat ")).count()
                            / (double) threads);
            target.getOutputStream().close();
            if (!target.waitFor(10, TimeUnit.SECONDS)) target.destroyForcibly().waitFor();
            System.out.println("target stopped");
            Thread.sleep(5_000); // the kernel takes a while to tear down 10,000 threads; do not time that
            long[] knot = timeCommand("knot analyze <real jstack -l output>", cli(List.of("analyze", lOut.toString())),
                    -1, lBytes, 3);
            long plainKnot = timeLimited(cli(List.of("analyze", plainOut.toString())),
                    "knot analyze <real jstack output, no -l> (1 run)", plainBytes, jstack);
            return new JstackResult(plain, plainBytes, withL, lBytes, knot, plainKnot, jstackJdk.toString(), startMs);
        } finally {
            target.destroyForcibly();
            target.waitFor();
            Runtime.getRuntime().removeShutdownHook(killer);
        }
    }

    // ---- summary ------------------------------------------------------------------------------------

    private void summary(long size, long[] text, long[] json, long[] startup, JstackResult js, double jstackMs,
                         boolean met, Map<String, String> inproc, Map<String, long[]> cold) {
        double knotMs = median(text) / 1e6;
        System.out.println("| measure | value |");
        System.out.println("|---|---|");
        System.out.printf(Locale.ROOT, "| input | %s threads, %.1f MB, jstack -l text (JDK 25 format) |%n",
                String.format(Locale.ROOT, "%,d", threads), size / MB);
        System.out.printf(Locale.ROOT, "| knot analyze end to end, text (median of %d; min) | %.0f ms, %.1f MB/s; min %d ms |%n",
                runs, knotMs, size / MB / (knotMs / 1e3), min(text) / 1_000_000);
        System.out.printf(Locale.ROOT, "| knot analyze end to end, --format json (median; min) | %.0f ms, %.1f MB/s; min %d ms |%n",
                median(json) / 1e6, size / MB / (median(json) / 1e9), min(json) / 1_000_000);
        System.out.printf(Locale.ROOT, "| of which JVM start-up + picocli (knot --version) | %.0f ms |%n", median(startup) / 1e6);
        System.out.printf(Locale.ROOT, "| read+parse / model+rules / render, cold fresh JVM | %d / %d / %d ms |%n",
                median(cold.get("read")), median(cold.get("analyze")), median(cold.get("text")));
        System.out.printf(Locale.ROOT, "| in process Main.run, first call / warm median | %s / %s ms |%n",
                inproc.get("mainRunColdMs"), inproc.get("mainRunMedianMs"));
        System.out.printf(Locale.ROOT, "| read+parse / model+rules / render, warm in process | %s / %s / %s ms |%n",
                inproc.get("readMs"), inproc.get("analyzeMs"), inproc.get("textMs"));
        if (js != null) {
            System.out.printf(Locale.ROOT, "| jstack PID (%s, median of 3) | %.0f ms, %.1f MB |%n",
                    Path.of(js.jdk).getFileName(), median(js.plain) / 1e6, js.plainBytes / MB);
            System.out.printf(Locale.ROOT, "| jstack -l PID (median of 3) | %.0f ms, %.1f MB |%n",
                    median(js.withL) / 1e6, js.withLBytes / MB);
            System.out.printf(Locale.ROOT, "| knot analyze on that real jstack -l output (median of 3) | %.0f ms, %.1f MB/s |%n",
                    median(js.knotOnReal) / 1e6, js.withLBytes / MB / (median(js.knotOnReal) / 1e9));
            System.out.printf(Locale.ROOT, "| knot analyze on the real plain jstack output (1 run) | %s |%n",
                    js.knotOnPlain < 0 ? "over " + LIMIT_SECONDS + " s (killed)" : js.knotOnPlain / 1_000_000 + " ms");
        } else {
            System.out.println("| jstack | not measured: reference 1200 ms (shared/jdk-facts.md, 1.2-1.6 s) |");
        }
        System.out.printf(Locale.ROOT, "| ratio knot / jstack | %.2f |%n", knotMs / jstackMs);
        System.out.printf(Locale.ROOT, "| target: knot < jstack / 2 = %.0f ms | %s |%n", jstackMs / 2,
                met ? "yes" : "NO (" + Math.round(knotMs - jstackMs / 2) + " ms over)");
    }

    // ---- profile ------------------------------------------------------------------------------------

    private void profile(Path dump) throws IOException, InterruptedException {
        Path coldJfr = work.resolve("cold.jfr");
        Path warmJfr = work.resolve("warm.jfr");
        child("--child-profile", dump.toString(), coldJfr.toString(), warmJfr.toString(), String.valueOf(runs));
        System.out.println("-- cold: one analysis in a fresh JVM (what the CLI does)");
        printProfile(coldJfr);
        System.out.println("-- warm: " + runs + " analyses after the cold one (steady state)");
        printProfile(warmJfr);
        System.out.println("-- JVM options for the same CLI run (median of 3 each; for the launcher script)");
        List<String> base = List.of("-jar", knotJar.toString(), "analyze", dump.toString());
        for (List<String> opts : List.of(List.<String>of(), List.of("-XX:TieredStopAtLevel=1"), List.of("-XX:+UseParallelGC"),
                List.of("-XX:+UseSerialGC"), List.of("-Xms1g", "-XX:+UseParallelGC"))) {
            List<String> cmd = new ArrayList<>();
            cmd.add(javaBin);
            cmd.addAll(opts);
            cmd.addAll(base);
            timeCommand("java " + (opts.isEmpty() ? "(defaults)" : String.join(" ", opts)), cmd, 2, Files.size(dump), 3);
        }
    }

    private static void printProfile(Path jfr) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> selfLine = new HashMap<>();
        Map<String, Integer> incl = new HashMap<>();
        int samples = 0;
        long gcCount = 0;
        long gcNanos = 0;
        try (RecordingFile rf = new RecordingFile(jfr)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                String type = e.getEventType().getName();
                if (type.equals("jdk.GarbageCollection")) {
                    gcCount++;
                    gcNanos += e.getDuration("sumOfPauses").toNanos();
                    continue;
                }
                if (!type.equals("jdk.ExecutionSample")) continue;
                RecordedThread t = e.getThread("sampledThread");
                if (t == null || !"main".equals(t.getJavaName())) continue;
                RecordedStackTrace st = e.getStackTrace();
                if (st == null || st.getFrames().isEmpty()) continue;
                samples++;
                List<RecordedFrame> frames = st.getFrames();
                RecordedFrame top = frames.get(0);
                self.merge(name(top), 1, Integer::sum);
                // the top frame inside Knot with its line: where Knot code spends or calls into the JDK
                for (RecordedFrame f : frames) {
                    if (f.getMethod().getType().getName().startsWith("dev.knot.")) {
                        selfLine.merge(name(f) + ":" + f.getLineNumber(), 1, Integer::sum);
                        break;
                    }
                }
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String n = name(f);
                    if (seen.add(n)) incl.merge(n, 1, Integer::sum);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d samples of the main thread (1 ms period, Java code only); GC: %d pauses,"
                + " %d ms%n", samples, gcCount, gcNanos / 1_000_000);
        if (samples == 0) return;
        printTop("self time (top frame)", self, samples, 12, k -> true);
        printTop("inclusive, Knot methods", incl, samples, 28, k -> k.startsWith("dev.knot.") && !k.startsWith("dev.knot.bench."));
        printTop("innermost Knot frame + line (self + JDK callees)", selfLine, samples, 20, k -> true);
    }

    private static void printTop(String title, Map<String, Integer> counts, int samples, int max,
                                 java.util.function.Predicate<String> keep) {
        System.out.println("  " + title + ":");
        counts.entrySet().stream().filter(e -> keep.test(e.getKey()))
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(max)
                .forEach(e -> System.out.printf(Locale.ROOT, "    %5.1f %%  %s%n", 100.0 * e.getValue() / samples, e.getKey()));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    // ---- helpers ------------------------------------------------------------------------------------

    static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static long min(long[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) return;
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    // ---- child modes (run in a fresh JVM with piped standard streams) ---------------------------------

    static final class Child {
        private Child() {
        }

        static void main(String[] args) throws Exception {
            switch (args[0]) {
                case "--child-phases" -> phasesOnce(Path.of(args[1]));
                case "--child-inprocess" -> inProcess(Path.of(args[1]), Integer.parseInt(args[2]));
                case "--child-profile" -> profileRuns(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]),
                        Integer.parseInt(args[4]));
                default -> throw new IllegalArgumentException(args[0]);
            }
        }

        private static void result(String key, Object value) {
            System.out.println("RESULT " + key + " " + value);
        }

        /** One analysis through the public APIs, phase by phase; the JVM is fresh, as with the CLI. */
        static void phasesOnce(Path file) throws Exception {
            long gc0 = gcCount();
            long gcT0 = gcMillis();
            long[] t = phases(file);
            result("read", t[0]);
            result("analyze", t[1]);
            result("text", t[2]);
            result("json", t[3]);
            result("total", t[0] + t[1] + t[2]);
            result("gcCount", gcCount() - gc0);
            result("gcMs", gcMillis() - gcT0);
        }

        /** ms for: read+parse, model+rules, render text, render json. */
        static long[] phases(Path file) throws Exception {
            long t0 = System.nanoTime();
            List<ThreadDump> dumps = DumpReader.readFile(file);
            long t1 = System.nanoTime();
            Report report = Analyzer.analyze(DumpReader.orderByTime(dumps));
            long t2 = System.nanoTime();
            PrintWriter text = new PrintWriter(Writer.nullWriter());
            new TextRenderer(false).render(report, text);
            text.flush();
            long t3 = System.nanoTime();
            new JsonRenderer().render(report, Writer.nullWriter());
            long t4 = System.nanoTime();
            return new long[] {(t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000};
        }

        private static int mainRun(Path file) {
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                return Main.run("analyze", file.toString());
            } finally {
                System.setOut(out);
            }
        }

        static void inProcess(Path file, int runs) throws Exception {
            long size = Files.size(file);
            long t0 = System.nanoTime();
            int code = mainRun(file);
            long cold = System.nanoTime() - t0;
            if (code != 2 && code != 0) throw new IllegalStateException("Main.run exited " + code);
            System.out.printf(Locale.ROOT, "Main.run(\"analyze\", FILE) exit code %d%s; first call (cold JIT, class loading)"
                    + " %d ms%n", code, code == 2 ? " (hang found, as expected)" : "", cold / 1_000_000);
            for (int i = 0; i < 2; i++) mainRun(file);
            long[] t = new long[runs];
            for (int i = 0; i < runs; i++) {
                long s = System.nanoTime();
                int c = mainRun(file);
                t[i] = System.nanoTime() - s;
                if (c != code) throw new IllegalStateException("exit code changed: " + c);
            }
            printTimes("Main.run warm", t, size);
            long[][] ph = new long[4][runs];
            long gc0 = gcCount();
            long gcT0 = gcMillis();
            for (int i = 0; i < runs; i++) {
                long[] p = phases(file);
                for (int k = 0; k < 4; k++) ph[k][i] = p[k];
            }
            long gcN = gcCount() - gc0;
            long gcMs = gcMillis() - gcT0;
            System.out.printf(Locale.ROOT, "phases warm, median of %d (ms): read+parse %d | model+rules %d | render text %d"
                            + " | render json %d; GC during these runs: %d collections, %d ms (%d ms/run)%n", runs,
                    median(ph[0]), median(ph[1]), median(ph[2]), median(ph[3]), gcN, gcMs, gcMs / runs);
            Report report = Analyzer.analyze(DumpReader.orderByTime(DumpReader.readFile(file)));
            Map<String, Integer> kinds = new TreeMap<>();
            for (Finding f : report.findings()) kinds.merge(f.kind().jsonName(), 1, Integer::sum);
            System.out.println("findings: " + kinds + "; hang found: " + report.hangFound());
            result("mainRunColdMs", cold / 1_000_000);
            result("mainRunMedianMs", median(t) / 1_000_000);
            result("readMs", median(ph[0]));
            result("analyzeMs", median(ph[1]));
            result("textMs", median(ph[2]));
            result("jsonMs", median(ph[3]));
        }

        static void profileRuns(Path file, Path coldOut, Path warmOut, int runs) throws Exception {
            try (Recording r = recording()) {
                r.start();
                mainRun(file);
                r.stop();
                r.dump(coldOut);
            }
            try (Recording r = recording()) {
                r.start();
                for (int i = 0; i < runs; i++) mainRun(file);
                r.stop();
                r.dump(warmOut);
            }
        }

        private static Recording recording() {
            Recording r = new Recording();
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1)).withStackTrace();
            r.enable("jdk.GarbageCollection");
            r.setToDisk(true);
            return r;
        }

        private static long gcCount() {
            long n = 0;
            for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) n += Math.max(0, b.getCollectionCount());
            return n;
        }

        private static long gcMillis() {
            long n = 0;
            for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) n += Math.max(0, b.getCollectionTime());
            return n;
        }
    }
}
