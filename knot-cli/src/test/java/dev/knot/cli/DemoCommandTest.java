package dev.knot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knot.cli.ExampleJvms.Run;
import dev.knot.examples.Examples;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code knot demo --list}: every example, those that need a library not bundled with Knot included. */
class DemoCommandTest {

    @Test
    void listShowsEveryExample() {
        Run r = ExampleJvms.knot("demo", "--list");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(Examples.all().size(), lines.size(), r.out());
        for (Class<?> example : Examples.all()) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(example.getSimpleName() + " ")), example + ": " + r.out());
        }
        assertTrue(lines.stream().anyMatch(l -> l.matches("Ex16CommonsPoolNestedBorrow\\s+starvation\\s+pdf-render-1, pdf-render-2")),
                r.out());
    }
}
