package dev.knot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.knot.examples.ExampleRunner;
import dev.knot.examples.Examples;
import dev.knot.examples.Expected;
import dev.knot.findings.Finding;
import dev.knot.findings.Report;
import dev.knot.input.DumpReader;
import dev.knot.rules.Analyzer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example program, run for real on this JDK, dumped (jstack -l text; JSON on 21+), and analysed: the
 * expected kind must name exactly the expected threads, and nothing else may be reported as a hang.
 */
@Tag("slow") // seconds or child JVMs: left out of ./run-tests --fast (README, Development)
class ExampleDumpsTest {

    @TempDir
    static Path dir;

    static final int RUNTIME = Runtime.version().feature();

    @TestFactory
    Stream<DynamicTest> textDumps() {
        return Examples.all().stream().map(c -> DynamicTest.dynamicTest(c.getSimpleName() + " (jstack -l text)",
                () -> check(c, false)));
    }

    @TestFactory
    Stream<DynamicTest> jsonDumps() {
        return Examples.all().stream().map(c -> DynamicTest.dynamicTest(c.getSimpleName() + " (JSON)",
                () -> check(c, true)));
    }

    private static void check(Class<?> example, boolean json) throws Exception {
        Expected expected = Examples.expected(example);
        assumeTrue(RUNTIME >= expected.minJava(), "needs JDK " + expected.minJava());
        assumeTrue(!json || RUNTIME >= 21, "JSON dumps need JDK 21+");
        boolean stall = expected.kind().equals("stall");
        // One JSON dump cannot show a stall (nothing to compare); the text run takes three.
        assumeTrue(!(json && stall), "a stall needs several dumps; the example writes one JSON dump");
        String knownMiss = EveryFormTableTest.knownMiss(example, json ? "json" : "text");
        assumeTrue(knownMiss == null, "known miss of the model (EveryFormTableTest.KNOWN_MISSES): " + knownMiss);
        ExampleRunner.Result r = ExampleRunner.run(example, Path.of(System.getProperty("java.home")),
                dir.resolve(json ? "json" : "text"), json, stall ? 3 : 1, Duration.ofSeconds(60));
        assertEquals(0, r.exitCode(), r.output());
        Path dump = json ? r.jsonDump() : r.textDump();
        Report report = Analyzer.analyze(DumpReader.orderByTime(DumpReader.readFile(dump)));
        String all = report.findings().stream().map(f -> f.kind().jsonName() + " " + f.threads())
                .collect(Collectors.joining("; "));

        if (expected.liveOnly()) {
            // the dumps lack the proof (see the example's comment): no hang may be claimed from them
            assertTrue(report.findings().stream().noneMatch(f -> f.kind().hang()), all);
            return;
        }
        if (expected.virtualThreads() && !json) {
            // jstack omits unmounted virtual threads: nothing to find, but Knot must say the dump hides them.
            assertTrue(report.findings().isEmpty(), all);
            assertTrue(report.warnings().stream().anyMatch(w -> w.contains("virtual threads")), report.warnings().toString());
            return;
        }
        if (expected.kind().equals("none")) {
            assertTrue(report.findings().isEmpty(), "healthy program, but Knot reported: " + all);
            return;
        }
        String kind = Examples.dumpKind(expected);
        List<Finding> ofKind = report.findings().stream().filter(f -> f.kind().jsonName().equals(kind))
                .collect(Collectors.toList());
        assertEquals(1, ofKind.size(), "expected one " + kind + " finding, got: " + all);
        assertEquals(List.of(Examples.dumpThreads(expected)).stream().sorted().collect(Collectors.toList()),
                ofKind.get(0).threads().stream().sorted().collect(Collectors.toList()), all);
        List<Finding> otherHangs = report.findings().stream()
                .filter(f -> f.kind().hang() && !f.kind().jsonName().equals(kind)).collect(Collectors.toList());
        assertTrue(otherHangs.isEmpty(), "unexpected findings: " + all);
    }
}
