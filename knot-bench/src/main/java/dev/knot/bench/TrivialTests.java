package dev.knot.bench;

import org.junit.jupiter.api.RepeatedTest;

/** 1,000 tests that do nothing: what {@link JUnitOverheadBench} times with and without Knot. */
public class TrivialTests {
    @RepeatedTest(JUnitOverheadBench.TESTS)
    void nothing() {
    }
}
