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
 * Runs the benchmarks without the agent and with the tracking agent, and prints the ratios.
 * <pre>
 * mvn -q -Pbench -pl knot-track -am package -DskipTests
 * java -jar knot-track/target/knot-track-bench.jar [agent-jar [forks [name-part]]]
 * </pre>
 * Configurations: no agent; {@code track=all}; {@code track=all,track.sites=true} (two semaphore benchmarks).
 */
public final class TrackBench {
    private TrackBench() {
    }

    /** Every benchmark, run under each configuration back to back (so that load changes hit both alike). */
    static final List<String> BENCHMARKS = List.of(
            "SemaphoreBench.acquireRelease", "SemaphoreBench.acquireReleaseContended", "SemaphoreBench.nested",
            "SemaphoreBench.guardedWork", "SemaphoreBench.create",
            "QueueBench.abq", "QueueBench.lbq", "QueueBench.abqWork",
            "FutureBench.chainInline", "FutureBench.chainOnPool",
            "LockBench.reentrantLockContended", "LockBench.synchronizedContended");
    /** Measured with acquisition sites too. */
    static final List<String> WITH_SITES = List.of("SemaphoreBench.acquireRelease", "SemaphoreBench.guardedWork");

    public static void main(String[] args) throws Exception {
        String agent = args.length > 0 ? args[0] : findAgent();
        int forks = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String only = args.length > 2 ? args[2] : "";
        Map<String, double[]> none = new LinkedHashMap<>();
        Map<String, double[]> all = new LinkedHashMap<>();
        Map<String, double[]> sites = new LinkedHashMap<>();
        for (String bench : BENCHMARKS) {
            if (!bench.contains(only)) continue;
            String include = "dev\\.knot\\.track\\.bench\\." + bench.replace(".", "\\.") + "$";
            none.putAll(run(include, forks, null, "none"));
            all.putAll(run(include, forks, agent + "=track=all", "semaphores,queues,futures"));
            if (WITH_SITES.contains(bench)) {
                sites.putAll(run(include, forks, agent + "=track=all,track.sites=true", "semaphores,queues,futures+sites"));
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-40s %16s %16s %7s %17s %7s%n", "benchmark (ns/op, ±99.9% CI)", "no agent",
                "track=all", "ratio", "track=all,sites", "ratio");
        for (Map.Entry<String, double[]> e : none.entrySet()) {
            double[] a = all.get(e.getKey());
            double[] s = sites.get(e.getKey());
            System.out.printf(Locale.ROOT, "%-40s %16s %16s %7s %17s %7s%n", e.getKey(), fmt(e.getValue()), fmt(a),
                    ratio(a, e.getValue()), fmt(s), ratio(s, e.getValue()));
        }
    }

    static Map<String, double[]> run(String include, int forks, String agentArg, String expect) throws Exception {
        ChainedOptionsBuilder b = new OptionsBuilder().include(include)
                .forks(forks).warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend(jvmArgs(agentArg, expect));
        Collection<RunResult> results = new Runner(b.build()).run();
        Map<String, double[]> out = new LinkedHashMap<>();
        for (RunResult r : results) {
            Result<?> p = r.getPrimaryResult();
            String name = r.getParams().getBenchmark().replace("dev.knot.track.bench.", "");
            out.put(name, new double[] {p.getScore(), p.getScoreError()});
        }
        return out;
    }

    static String[] jvmArgs(String agentArg, String expect) {
        List<String> a = new ArrayList<>();
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
        return v == null ? "" : String.format(Locale.ROOT, "%.1f ± %.1f", v[0], Double.isNaN(v[1]) ? 0 : v[1]);
    }

    static String ratio(double[] v, double[] base) {
        return v == null ? "" : String.format(Locale.ROOT, "%.3f", v[0] / base[0]);
    }
}
