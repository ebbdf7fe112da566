package dev.knot.track.bench;

import dev.knot.input.AgentProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark in each configuration and prints a Markdown table with the ratios to "no agent".
 * <pre>
 * mvn -q -Pbench -pl knot-track -am package -DskipTests
 * java -jar knot-track/target/knot-track-bench.jar [agent-jar [rounds [name-part]]]
 * </pre>
 * Configurations: no agent; the agent with {@code track=none} (snapshot only: java.base opened, nothing
 * instrumented, one live snapshot taken before measuring); {@code track=all}; {@code track=all,track.sites=true}
 * (two semaphore rows); then {@link HookBench} (the hooks called directly, no agent).
 *
 * <p>The machine it was written for is shared, and its load changes by the minute. So the configurations of a
 * benchmark run in interleaved rounds, one fork each (none, snapshot, all, none, snapshot, all, …): a ratio is
 * computed per round, and the table gives the mean of the rounds with a 95 % Student-t interval over rounds (one
 * round: JMH's 99.9 % intervals propagated). Options (system properties): {@code bench.warmup}, {@code
 * bench.iterations} (1 s each; default 2 and 4); {@code bench.configs} (default {@code none,snapshot,all,sites,hooks});
 * {@code bench.configs=…,paired}: also the agent with track=none whose forks switch tracking on and off from one
 * iteration to the next (the kinds of {@code bench.pairedKinds}, default all; {@code bench.pairedIterations}, default 16, of {@code bench.pairedSeconds}, default 1; {@code bench.pairedNudge=N}: switch N extra
 * tokens of {@link Work} instead of tracking, a control; see {@link Expect#phase}): a ratio per pair, so that
 * neither the machine's drift nor a fork's luck (code layout, thread placement) enters the ratio;
 * {@code bench.before=JAR}: also run {@code track=all} with the boot classes ({@code …track/boot/*.class}) of an
 * older build in JAR put on the boot class path first, i.e. the hooks as they were (column "before").
 */
public final class TrackBench {
    private TrackBench() {
    }

    /** Bare rows (a primitive with nothing else) and workloads (the issue's, with {@link Work#item}). */
    static final List<String> BENCHMARKS = List.of(
            "SemaphoreBench.acquireRelease", "SemaphoreBench.acquireReleaseContended", "SemaphoreBench.nested",
            "SemaphoreBench.guardedWork", "SemaphoreBench.limiterWork", "SemaphoreBench.bulkheadWork",
            "QueueBench.abq", "QueueBench.lbq", "QueueBench.pipeline",
            "FutureBench.chainInline", "FutureBench.chainOnPool", "FutureBench.fanOutOnPool",
            "LockBench.reentrantLockContended", "LockBench.synchronizedContended",
            "LockBench.reentrantLockWork", "LockBench.synchronizedWork");
    /** Measured with acquisition sites too. */
    static final List<String> WITH_SITES = List.of("SemaphoreBench.acquireRelease", "SemaphoreBench.guardedWork");
    static final String ALL = "semaphores,queues,futures,failures";
    static final List<String> CONFIGS = List.of(System.getProperty("bench.configs", "none,snapshot,all,sites,hooks").split(","));
    static final String BEFORE = System.getProperty("bench.before");
    /** {@code bench.pairsOut=FILE}: also append each paired ratio to FILE ("benchmark ratio" lines), to pool runs. */
    static final String PAIRS_OUT = System.getProperty("bench.pairsOut");
    static final String OPEN_LANG = "--add-opens=java.base/java.lang=ALL-UNNAMED";

    /** Benchmark → on/off ratios of the paired iterations (tracking switched per iteration in one JVM). */
    static final Map<String, List<Double>> PAIRS = new LinkedHashMap<>();
    /** The same pairs in process CPU time per operation. */
    static final Map<String, List<Double>> PAIRS_CPU = new LinkedHashMap<>();
    /** Column name → (benchmark → score per round). */
    static final Map<String, Map<String, List<double[]>>> SCORES = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        String agent = args.length > 0 ? args[0] : findAgent();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String only = args.length > 2 ? args[2] : "";
        String before = BEFORE == null ? null : "-Xbootclasspath/a:" + BEFORE;
        for (String bench : BENCHMARKS) {
            if (!bench.contains(only)) continue;
            String include = "dev\\.knot\\.track\\.bench\\." + bench.replace(".", "\\.") + "$";
            boolean control = bench.startsWith("LockBench");
            for (int r = 0; r < rounds; r++) {
                if (CONFIGS.contains("none")) run("none", include, "none");
                if (CONFIGS.contains("snapshot")) run("snapshot", include, "snapshot", javaagent(agent, "none"));
                if (before != null && !control) run("before", include, ALL, before, javaagent(agent, "all"));
                if (CONFIGS.contains("all")) run("all", include, ALL, javaagent(agent, "all"));
                if (CONFIGS.contains("paired") && !control) {
                    run("paired", include, Expect.PAIRED, javaagent(agent, "none"),
                            "-D" + Expect.WARMUP + "=" + Integer.getInteger("bench.warmup", 2),
                            "-Dknot.track.paired.kinds=" + System.getProperty("bench.pairedKinds", ALL),
                            "-D" + Expect.NUDGE + "=" + Long.getLong("bench.pairedNudge", 0));
                }
                if (CONFIGS.contains("sites") && WITH_SITES.contains(bench)) {
                    run("sites", include, ALL + "+sites", javaagent(agent, "all", AgentProtocol.TRACK_SITES_OPTION, "true"));
                }
            }
            print(rounds);
        }
        if (CONFIGS.contains("hooks") && ("HookBench".contains(only) || only.startsWith("HookBench"))) {
            String include = "dev\\.knot\\.track\\.bench\\.HookBench\\.";
            for (int r = 0; r < rounds; r++) {
                if (before != null) run("hooks before", include, "none", OPEN_LANG, before);
                run("hooks", include, "none", OPEN_LANG);
            }
            print(rounds);
        }
    }

    /** {@code -javaagent:AGENT=track=KINDS[,more key=value pairs]}. */
    static String javaagent(String agent, String kinds, String... more) {
        List<String> pairs = new ArrayList<>(List.of(AgentProtocol.TRACK_OPTION, kinds));
        pairs.addAll(List.of(more));
        return "-javaagent:" + agent + "=" + AgentProtocol.options(pairs.toArray(new String[0]));
    }

    static void run(String column, String include, String expect, String... jvmArgs) throws Exception {
        List<String> a = new ArrayList<>(List.of(jvmArgs));
        a.add("-Dknot.track.expect=" + expect);
        boolean paired = column.equals("paired");
        Path cpuFile = paired ? Files.createTempFile("knot-track-cpu", ".txt") : null;
        if (paired) a.add("-D" + Expect.CPU_OUT + "=" + cpuFile);
        int iterations = paired ? Integer.getInteger("bench.pairedIterations", 16) : Integer.getInteger("bench.iterations", 4);
        Collection<RunResult> results = new Runner(new OptionsBuilder().include(include).forks(1)
                .warmupIterations(Integer.getInteger("bench.warmup", 2)).warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(paired ? Integer.getInteger("bench.pairedSeconds", 1) : 1))
                .jvmArgsAppend(a.toArray(new String[0])).build()).run();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replace("dev.knot.track.bench.", "");
            if (paired) {
                List<String> cpuLines = Files.readAllLines(cpuFile);
                Files.deleteIfExists(cpuFile);
                int warmup = Integer.getInteger("bench.warmup", 2);
                for (BenchmarkResult fork : r.getBenchmarkResults()) {
                    List<Double> it = new ArrayList<>();
                    for (IterationResult i : fork.getIterationResults()) it.add(i.getPrimaryResult().getScore());
                    // CPU per operation: the iteration's CPU / wall time times its time per operation
                    List<Double> cpu = new ArrayList<>();
                    for (int i = 0; i < it.size() && warmup + i < cpuLines.size(); i++) {
                        String[] f = cpuLines.get(warmup + i).split(" ");
                        cpu.add(Double.parseDouble(f[0]) / Double.parseDouble(f[1]) * it.get(i));
                    }
                    addPairs(name, it, PAIRS, "");
                    addPairs(name, cpu, PAIRS_CPU, "cpu ");
                }
                continue;
            }
            double err = r.getPrimaryResult().getScoreError();
            SCORES.computeIfAbsent(column, k -> new LinkedHashMap<>()).computeIfAbsent(name, k -> new ArrayList<>())
                    .add(new double[] {r.getPrimaryResult().getScore(), Double.isNaN(err) ? 0 : err});
        }
    }

    /** The table so far (printed after each benchmark, so that an interrupted run still leaves its rows). */
    static void print(int rounds) {
        List<String> cols = new ArrayList<>(List.of("snapshot", "before", "all", "sites"));
        cols.removeIf(c -> !SCORES.containsKey(c));
        System.out.println();
        System.out.printf(Locale.ROOT, "ns/op: mean of %d round(s) ± 95%% interval; ratio: to no agent, per round%n%n", rounds);
        StringBuilder h = new StringBuilder("| benchmark | no agent |");
        StringBuilder line = new StringBuilder("|---|---:|");
        for (String c : cols) {
            h.append(' ').append(c).append(" | ratio |");
            line.append("---:|---:|");
        }
        System.out.println(h);
        System.out.println(line);
        Map<String, List<double[]>> base = SCORES.getOrDefault("none", Map.of());
        for (String name : base.keySet()) {
            StringBuilder row = new StringBuilder("| " + name + " | " + fmt(mean(base.get(name))) + " |");
            for (String c : cols) {
                List<double[]> v = SCORES.get(c).get(name);
                row.append(' ').append(fmt(mean(v))).append(" | ").append(ratio(v, base.get(name))).append(" |");
            }
            System.out.println(row);
        }
        if (!PAIRS.isEmpty()) {
            System.out.println();
            System.out.println("| benchmark (paired: tracking on / off, alternate iterations of one JVM) | pairs | mean ratio | median [95 % interval] |");
            System.out.println("|---|---:|---:|---:|");
            PAIRS.forEach((k, v) -> printPairs(k, v));
            PAIRS_CPU.forEach((k, v) -> printPairs(k + " (CPU per operation)", v));
        }
        for (String c : List.of("hooks before", "hooks")) {
            Map<String, List<double[]>> m = SCORES.get(c);
            if (m == null) continue;
            System.out.println();
            System.out.println("| " + c + " (called directly) | ns/op |");
            System.out.println("|---|---:|");
            m.forEach((k, v) -> System.out.printf(Locale.ROOT, "| %s | %s |%n", k, fmt(mean(v))));
        }
        System.out.flush();
    }

    /** Mean over rounds with a 95 % t interval; one round: JMH's own interval. */
    static double[] mean(List<double[]> v) {
        if (v == null || v.isEmpty()) return null;
        if (v.size() == 1) return v.get(0);
        double[] x = new double[v.size()];
        for (int i = 0; i < x.length; i++) x[i] = v.get(i)[0];
        return meanT(x);
    }

    static String ratio(List<double[]> v, List<double[]> base) {
        if (v == null || base == null || v.isEmpty()) return "";
        int n = Math.min(v.size(), base.size());
        if (n == 1) {
            double[] a = v.get(0);
            double[] b = base.get(0);
            double r = a[0] / b[0];
            return String.format(Locale.ROOT, "%.2f ± %.2f", r, r * Math.hypot(a[1] / a[0], b[1] / b[0]));
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = v.get(i)[0] / base.get(i)[0];
        double[] m = meanT(x);
        return String.format(Locale.ROOT, "%.2f ± %.2f", m[0], m[1]);
    }

    static double[] meanT(double[] x) {
        double s = 0;
        for (double d : x) s += d;
        double mean = s / x.length;
        double ss = 0;
        for (double d : x) ss += (d - mean) * (d - mean);
        double sd = Math.sqrt(ss / (x.length - 1));
        return new double[] {mean, t95(x.length - 1) * sd / Math.sqrt(x.length)};
    }

    /**
     * On / off ratios of one paired fork's iterations: the second iteration of each block of two (the first settles),
     * two blocks per pair. Also appended to {@code bench.pairsOut} as "name tag ratio" lines.
     */
    static void addPairs(String name, List<Double> iterations, Map<String, List<Double>> into, String tag)
            throws java.io.IOException {
        for (int m = 1; m + 2 < iterations.size(); m += 4) {
            boolean firstOn = Expect.trackedIn(m);
            double on = iterations.get(firstOn ? m : m + 2);
            double off = iterations.get(firstOn ? m + 2 : m);
            into.computeIfAbsent(name, k -> new ArrayList<>()).add(on / off);
            if (PAIRS_OUT != null) {
                Files.writeString(Path.of(PAIRS_OUT), name + " " + tag + (on / off) + "\n",
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            }
        }
    }

    static void printPairs(String name, List<Double> ratios) {
        double[] x = ratios.stream().mapToDouble(Double::doubleValue).toArray();
        double[] m = x.length > 1 ? meanT(x) : new double[] {x[0], Double.NaN};
        double[] med = medianWithInterval(x);
        System.out.printf(Locale.ROOT, "| %s | %d | %.3f ± %.3f | %.3f [%.3f, %.3f] |%n", name, x.length, m[0], m[1],
                med[0], med[1], med[2]);
    }

    /**
     * The median with a distribution-free 95 % interval: order statistics k and n+1-k, k the largest with
     * P(Binomial(n, 1/2) < k) ≤ 2.5 %. Paired ratios of workloads that park are heavy-tailed (single pairs from 0.4
     * to 1.7 where the typical one is within a few per cent), which the t interval of the mean assumes away.
     * With fewer than 6 pairs the interval is the whole range (NaN bounds are never printed as a claim).
     */
    static double[] medianWithInterval(double[] ratios) {
        double[] x = ratios.clone();
        java.util.Arrays.sort(x);
        int n = x.length;
        double median = n % 2 == 1 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
        double cdf = 0;
        int k = 0;
        for (int j = 0; j <= n; j++) {
            double p = binomialHalf(n, j);
            if (cdf + p > 0.025) break;
            cdf += p;
            k = j + 1;
        }
        if (k == 0) return new double[] {median, Double.NaN, Double.NaN};
        return new double[] {median, x[k - 1], x[n - k]};
    }

    /** P(Binomial(n, 1/2) = j), through logarithms so that large n does not overflow. */
    static double binomialHalf(int n, int j) {
        double log = -n * Math.log(2);
        for (int i = 1; i <= j; i++) log += Math.log(n - j + i) - Math.log(i);
        return Math.exp(log);
    }

    /** Two-sided 95 % Student-t quantiles by degrees of freedom (index). */
    static final double[] T95 = {Double.NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086};

    /** The quantile for {@code df} degrees of freedom (beyond the table: 2.086 down to 1.96, slightly wide). */
    static double t95(int df) {
        if (df < T95.length) return T95[df];
        return df < 30 ? 2.086 : df < 60 ? 2.042 : df < 120 ? 2.000 : 1.980;
    }

    static String findAgent() throws Exception {
        Path dir = Path.of(TrackBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith("-agent.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no *-agent.jar next to the bench jar; pass its path"))
                    .toString();
        }
    }

    static String fmt(double[] v) {
        if (v == null) return "";
        String f = v[0] >= 100 ? "%.0f ± %.0f" : "%.1f ± %.1f";
        return String.format(Locale.ROOT, f, v[0], v[1]);
    }
}
