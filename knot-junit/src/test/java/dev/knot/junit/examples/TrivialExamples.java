package dev.knot.junit.examples;

import org.junit.jupiter.api.RepeatedTest;

/** 1,000 tests that do nothing: the suite OverheadTest times with and without Knot. */
@KnotExample
public class TrivialExamples {
    @RepeatedTest(1000)
    void nothing() {
    }
}
