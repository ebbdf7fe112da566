package dev.knot.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.knot.findings.Report;
import dev.knot.input.DumpReader;
import dev.knot.rules.Analyzer;
import dev.knot.snapshot.ThreadDump;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The three renderers against checked-in reports: {@code src/test/resources/golden/CASE/dump.txt} is read, analysed
 * and rendered as text, JSON and HTML, and each must equal {@code expected.txt}, {@code expected.json},
 * {@code expected.html} in the same directory.
 *
 * <p>The inputs are {@code jstack -l} dumps the example programs wrote of themselves (JDK 17,
 * {@code java -cp knot-examples/target/classes dev.knot.examples.ExNN… --dump-text dump.txt --exit}; the stall with
 * {@code --dumps 2 --interval 1000}): everything the reports show (times, JVM version, object ids) comes from the
 * dump file, and the source is the case's relative path, never an absolute one. The renderers print no version or
 * clock of their own. The only normalisation is line endings (the renderers use the platform's), to {@code \n}.
 *
 * <p>When a change to the output is intended, regenerate the expected files and review the diff:
 * <pre>
 * mvn -q -pl knot-core test -Dtest=RendererGoldenTest -Dknot.golden.update=true   (add -Dmaven.repo.local=… -o as usual)
 * git diff knot-core/src/test/resources/golden
 * </pre>
 * New case: add its directory with a {@code dump.txt} and its name to {@link #CASES}, then run with the property.
 */
class RendererGoldenTest {

    static final String UPDATE = "knot.golden.update";

    /** A monitor deadlock, a j.u.c lock deadlock, pool starvation, a stall across two dumps, a healthy dump, and six identical waiters (one grouped edge). */
    static final List<String> CASES = List.of("monitor-deadlock", "lock-deadlock", "starvation", "stall-two-dumps", "healthy",
            "identical-waiters");

    enum Format {
        TEXT("txt", r -> {
            StringWriter s = new StringWriter();
            new TextRenderer(false).render(r, new PrintWriter(s));
            return s.toString();
        }),
        JSON("json", r -> {
            StringWriter s = new StringWriter();
            new JsonRenderer().render(r, s);
            return s.toString();
        }),
        HTML("html", r -> {
            StringWriter s = new StringWriter();
            new HtmlRenderer().render(r, new PrintWriter(s));
            return s.toString();
        });

        final String ext;
        final Function<Report, String> render;

        Format(String ext, Function<Report, String> render) {
            this.ext = ext;
            this.render = render;
        }
    }

    static Stream<Arguments> cases() {
        return CASES.stream().flatMap(c -> Stream.of(Format.values()).map(f -> Arguments.of(c, f)));
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("cases")
    void rendersAsTheCheckedInReport(String name, Format format) throws Exception {
        String actual = normalise(format.render.apply(report(name)));
        Path expectedFile = goldenDir().resolve(name).resolve("expected." + format.ext);
        if (Boolean.getBoolean(UPDATE)) {
            Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
            System.out.println("golden: wrote " + expectedFile);
            return;
        }
        if (!Files.exists(expectedFile)) {
            fail("no " + expectedFile + ": run with -D" + UPDATE + "=true to write it, then review it");
        }
        String expected = normalise(Files.readString(expectedFile, StandardCharsets.UTF_8));
        if (!expected.equals(actual)) fail(firstDifference("golden/" + name + "/expected." + format.ext, expected, actual));
    }

    @Test
    void theCasesCoverWhatTheyAreNamedFor() throws Exception {
        // guards the inputs: a regenerated dump that no longer shows its hang would make a useless golden file
        assertEquals(List.of("deadlock certain"), kinds(report("monitor-deadlock")));
        assertEquals(List.of("deadlock certain"), kinds(report("lock-deadlock")));
        assertEquals(List.of("starvation likely"), kinds(report("starvation")));
        assertEquals(List.of("stall likely"), kinds(report("stall-two-dumps")));
        assertEquals(2, report("stall-two-dumps").dumps().size());
        assertEquals(List.of(), kinds(report("healthy")));
        assertEquals(List.of("contention certain"), kinds(report("identical-waiters")));
        String json = normalise(Format.JSON.render.apply(report("identical-waiters")));
        assertTrue(json.contains("\"count\" : 6"), "the six waiters are one edge");
    }

    @Test
    void aDifferenceNamesTheFirstDifferingLine() {
        assertEquals("f differs from the checked-in file at line 2:\n  expected: b\n  actual:   B\n"
                        + "If the change is intended, regenerate with -D" + UPDATE + "=true and review git diff.",
                firstDifference("f", "a\nb\nc\n", "a\nB\nc\n"));
        assertTrue(firstDifference("f", "a\nb", "a").contains("line 2:\n  expected: b\n  actual:   (end of output)"));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    static Report report(String name) throws Exception {
        String resource = "/golden/" + name + "/dump.txt";
        try (InputStream in = RendererGoldenTest.class.getResourceAsStream(resource)) {
            if (in == null) throw new AssertionError("missing test resource " + resource);
            List<ThreadDump> dumps = DumpReader.read(name + "/dump.txt", in);
            return Analyzer.analyze(DumpReader.orderByTime(dumps));
        }
    }

    private static List<String> kinds(Report r) {
        return r.findings().stream().map(f -> f.kind().jsonName() + " " + f.certainty().jsonName()).toList();
    }

    /** The source tree's golden directory (surefire runs in the module directory and sets {@code basedir}). */
    static Path goldenDir() {
        Path dir = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/golden");
        if (!Files.isDirectory(dir)) throw new AssertionError("golden directory not found: " + dir.toAbsolutePath());
        return dir;
    }

    static String normalise(String s) {
        return s.replace("\r\n", "\n");
    }

    static String firstDifference(String file, String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        int i = 0;
        while (i < e.length && i < a.length && e[i].equals(a[i])) i++;
        return file + " differs from the checked-in file at line " + (i + 1) + ":\n"
                + "  expected: " + (i < e.length ? e[i] : "(end of file)") + "\n"
                + "  actual:   " + (i < a.length ? a[i] : "(end of output)") + "\n"
                + "If the change is intended, regenerate with -D" + UPDATE + "=true and review git diff.";
    }
}
