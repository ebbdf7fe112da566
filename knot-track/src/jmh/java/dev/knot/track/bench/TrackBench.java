package dev.knot.track.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark in each configuration, back to back, and prints a Markdown table with the ratios.
 * <pre>
 * mvn -q -Pbench -pl knot-track -am package -DskipTests
 * java -jar knot-track/target/knot-track-bench.jar [agent-jar [forks [name-part]]]
 * </pre>
 * Configurations: no agent; the agent with {@code track=none} (snapshot only: java.base opened, nothing
 * instrumented, one live snapshot taken before measuring); {@code track=all}; {@code track=all,track.sites=true}
 * (two semaphore rows). Then {@link HookBench} (the hooks called directly). {@code -Dbench.warmup=N} and
 * {@code -Dbench.iterations=N} (1 s each, default 3 and 5) shorten a run while iterating.
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

    public static void main(String[] args) throws Exception {
        String agent = args.length > 0 ? args[0] : findAgent();
        int forks = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String only = args.length > 2 ? args[2] : "";
        Map<String, double[]> none = new LinkedHashMap<>();
        Map<String, double[]> snapshot = new LinkedHashMap<>();
        Map<String, double[]> all = new LinkedHashMap<>();
        Map<String, double[]> sites = new LinkedHashMap<>();
        for (String bench : BENCHMARKS) {
            if (!bench.contains(only)) continue;
            String include = "dev\\.knot\\.track\\.bench\\." + bench.replace(".", "\\.") + "$";
            none.putAll(run(include, forks, null, "none"));
            snapshot.putAll(run(include, forks, agent + "=track=none", "snapshot"));
            all.putAll(run(include, forks, agent + "=track=all", ALL));
            if (WITH_SITES.contains(bench)) {
                sites.putAll(run(include, forks, agent + "=track=all,track.sites=true", ALL + "+sites"));
            }
        }
        Map<String, double[]> hooks = new LinkedHashMap<>();
        if ("HookBench".contains(only) || only.startsWith("HookBench")) {
            hooks.putAll(run("dev\\.knot\\.track\\.bench\\.HookBench\\..*" + (only.contains(".") ? only.substring(only.indexOf('.') + 1) : ""),
                    forks, null, "none", "--add-opens=java.base/java.lang=ALL-UNNAMED"));
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "ns/op ± half-width of JMH's 99.9%% interval; ratio to no agent ± its propagated"
                + " interval (%d fork(s))%n%n", forks);
        System.out.println("| benchmark | no agent | snapshot only | ratio | `track=all` | ratio | `track=all`, sites | ratio |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (Map.Entry<String, double[]> e : none.entrySet()) {
            double[] b = e.getValue();
            String k = e.getKey();
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", k, fmt(b), fmt(snapshot.get(k)),
                    ratio(snapshot.get(k), b), fmt(all.get(k)), ratio(all.get(k), b), fmt(sites.get(k)), ratio(sites.get(k), b));
        }
        if (!hooks.isEmpty()) {
            System.out.println();
            System.out.println("| hooks called directly | ns/op |");
            System.out.println("|---|---:|");
            hooks.forEach((k, v) -> System.out.printf(Locale.ROOT, "| %s | %s |%n", k, fmt(v)));
        }
    }

    static Map<String, double[]> run(String include, int forks, String agentArg, String expect, String... extra)
            throws Exception {
        ChainedOptionsBuilder b = new OptionsBuilder().include(include)
                .forks(forks).warmupIterations(Integer.getInteger("bench.warmup", 3)).warmupTime(TimeValue.seconds(1))
                .measurementIterations(Integer.getInteger("bench.iterations", 5)).measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend(jvmArgs(agentArg, expect, extra));
        Collection<RunResult> results = new Runner(b.build()).run();
        Map<String, double[]> out = new LinkedHashMap<>();
        for (RunResult r : results) {
            Result<?> p = r.getPrimaryResult();
            String name = r.getParams().getBenchmark().replace("dev.knot.track.bench.", "");
            out.put(name, new double[] {p.getScore(), Double.isNaN(p.getScoreError()) ? 0 : p.getScoreError()});
        }
        return out;
    }

    static String[] jvmArgs(String agentArg, String expect, String... extra) {
        List<String> a = new ArrayList<>(List.of(extra));
        a.add("-Dknot.track.expect=" + expect);
        if (agentArg != null) a.add("-javaagent:" + agentArg);
        return a.toArray(new String[0]);
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

    /** a / base, with the half-widths of both intervals propagated (relative errors added in quadrature). */
    static String ratio(double[] v, double[] base) {
        if (v == null) return "";
        double r = v[0] / base[0];
        double e = r * Math.sqrt(sq(v[1] / v[0]) + sq(base[1] / base[0]));
        return String.format(Locale.ROOT, "%.2f ± %.2f", r, e);
    }

    private static double sq(double x) {
        return x * x;
    }
}
