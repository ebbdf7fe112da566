package dev.knot.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.knot.junit.examples.TrivialExamples;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Knot's cost per test, agent absent: 1,000 trivial tests run in-process with and without the extension
 * (auto-detection on or off), alternately, several times. Prints the figure; asserts only that every test ran (a
 * speed assertion would fail on a busy machine, not on slow code).
 */
class OverheadTest {

    static final int TESTS = 1000;

    static long runMillis(boolean knot) {
        long t0 = System.nanoTime();
        EngineExecutionResults r = EngineTestKit.engine("junit-jupiter").selectors(selectClass(TrivialExamples.class))
                .configurationParameter("knot.examples", "run")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", Boolean.toString(knot))
                .execute();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(TESTS, r.testEvents().succeeded().count());
        return ms;
    }

    @Test
    void costPerTrivialTest() {
        assumeTrue(RunModeTest.MODE.equals("closed"), "measured once, in the run without agent or --add-opens");
        for (int i = 0; i < 2; i++) { // warm-up: class loading and JIT for both paths
            runMillis(false);
            runMillis(true);
        }
        // paired rounds, alternating order, median difference: robust against a busy machine drifting
        int rounds = 9;
        long[] diff = new long[rounds];
        long[] without = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long a;
            long b;
            if (i % 2 == 0) {
                a = runMillis(false);
                b = runMillis(true);
            } else {
                b = runMillis(true);
                a = runMillis(false);
            }
            without[i] = a;
            diff[i] = b - a;
        }
        Arrays.sort(diff);
        Arrays.sort(without);
        System.out.printf("knot-junit overhead: %.0f µs per test (median of %d paired runs of %,d trivial tests on JDK %d,"
                        + " agent absent; quartiles %.0f-%.0f µs; %d ms per run without Knot)%n",
                diff[rounds / 2] * 1000.0 / TESTS, rounds, TESTS, Runtime.version().feature(),
                diff[rounds / 4] * 1000.0 / TESTS, diff[3 * rounds / 4] * 1000.0 / TESTS, without[rounds / 2]);
    }
}
