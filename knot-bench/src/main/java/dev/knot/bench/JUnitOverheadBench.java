package dev.knot.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Arrays;
import java.util.Locale;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * knot-junit's cost per test, agent absent (a bench runner, not a test; it was knot-junit's {@code OverheadTest}):
 * {@link TrivialTests}, 1,000 tests that do nothing, run in-process with EngineTestKit with and without the Knot
 * extension (JUnit's extension auto-detection on or off: knot-junit registers itself as a service), after
 * {@code --warmup} rounds of both, then {@code --rounds} paired rounds in alternating order. Prints min / median /
 * max of the runs with and without Knot, and the median of the paired differences per test (robust against a busy
 * machine drifting) with its quartiles.
 *
 * <p>Run from the repository root after {@code mvn -q -pl knot-bench -am package -DskipTests}:
 * {@code java -cp knot-bench/target/knot-bench.jar dev.knot.bench.JUnitOverheadBench [--rounds 9] [--warmup 2]}.
 * Do not pass the Knot agent or {@code --add-opens}: the figure is for the setup most users have.
 */
public final class JUnitOverheadBench {
    static final int TESTS = 1000;

    public static void main(String[] args) {
        int rounds = 9;
        int warmup = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: JUnitOverheadBench [--rounds N] [--warmup N]");
                    System.exit(64);
                }
            }
        }
        if (rounds < 1) {
            System.err.println("JUnitOverheadBench: --rounds must be at least 1");
            System.exit(64);
        }
        for (int i = 0; i < warmup; i++) { // class loading and JIT for both paths
            runNanos(false);
            runNanos(true);
        }
        long[] without = new long[rounds];
        long[] with = new long[rounds];
        long[] diff = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            if (i % 2 == 0) {
                without[i] = runNanos(false);
                with[i] = runNanos(true);
            } else {
                with[i] = runNanos(true);
                without[i] = runNanos(false);
            }
            diff[i] = with[i] - without[i];
        }
        System.out.printf(Locale.ROOT, "%,d trivial tests per run, JDK %d, agent absent; %d warm-up rounds, %d paired rounds%n",
                TESTS, Runtime.version().feature(), warmup, rounds);
        print("run without Knot", without);
        print("run with Knot", with);
        long[] d = diff.clone();
        Arrays.sort(d);
        System.out.printf(Locale.ROOT, "knot-junit overhead: %.0f µs per test (median of %d paired runs of %,d trivial tests on JDK %d,"
                        + " agent absent; quartiles %.0f-%.0f µs; %d ms per run without Knot)%n",
                Runs.median(diff) / 1000.0 / TESTS, rounds, TESTS, Runtime.version().feature(),
                d[rounds / 4] / 1000.0 / TESTS, d[3 * rounds / 4] / 1000.0 / TESTS, Runs.median(without) / 1_000_000);
    }

    /** Wall time in ns of one in-process run of the 1,000 tests; every one must have passed. */
    static long runNanos(boolean knot) {
        long t0 = System.nanoTime();
        EngineExecutionResults r = EngineTestKit.engine("junit-jupiter").selectors(selectClass(TrivialTests.class))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", Boolean.toString(knot))
                .execute();
        long t = System.nanoTime() - t0;
        long ok = r.testEvents().succeeded().count();
        if (ok != TESTS) throw new IllegalStateException(ok + " of " + TESTS + " tests passed: " + r.testEvents().failed().list());
        return t;
    }

    private static void print(String label, long[] t) {
        Runs.print(label, 20, t);
    }
}
