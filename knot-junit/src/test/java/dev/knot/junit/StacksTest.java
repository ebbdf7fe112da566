package dev.knot.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StacksTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "java.lang.Thread,                                   true",
            "org.apache.maven.surefire.booter.ForkedBooter,      true",
            // this package is Knot's own: its frames are not where a user looks
            "dev.knot.junit.KnotExtension,                       true",
            "dev.knot.junit.HangReport,                          true",
            // packages below it are not (the example tests of this module are user code)
            "dev.knot.junit.examples.Scenarios,                  false",
            "com.acme.CheckoutTest,                              false",
    })
    void libraryIsPlatformCodeOrThisPackage(String className, boolean library) {
        assertEquals(library, Stacks.library(new StackTraceElement(className, "run", null, -1)), className);
    }
}
