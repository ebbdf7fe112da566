package dev.knot.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every example in a fresh JVM of the JDK running the tests and checks that its hang formed and its
 * dumps name the threads its {@link Expected} annotation lists. The dumps stay in
 * {@code target/example-dumps/jdk<N>/} for a look.
 */
class ExamplesTest {

    private static final int JDK = Runtime.version().feature();
    private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));
    private static final Path OUT = Path.of("target", "example-dumps", "jdk" + JDK);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern EXAMPLE_NAME = Pattern.compile("Ex(\\d\\d)[A-Z]\\w+");

    @Test
    void everyExampleDeclaresWhatItShows() throws NoSuchMethodException {
        List<String> kinds = Arrays.asList(Expected.KINDS);
        for (Class<?> example : Examples.all()) {
            Expected expected = example.getAnnotation(Expected.class);
            assertNotNull(expected, example + " has no @Expected");
            assertTrue(kinds.contains(expected.kind()), example + ": unknown kind " + expected.kind());
            if (expected.kind().equals("none")) {
                assertEquals(0, expected.threads().length, example + ": kind none names no threads");
            } else {
                assertTrue(expected.threads().length > 0, example + ": kind " + expected.kind() + " needs threads");
            }
            assertEquals(expected.threads().length, Arrays.stream(expected.threads()).distinct().count(),
                    example + ": duplicate thread names");
            assertTrue(expected.minJava() >= 17, example + ": minJava");
            Method main = example.getMethod("main", String[].class);
            assertTrue(Modifier.isStatic(main.getModifiers()), example + ": main must be static");
        }
    }

    @Test
    void examplesAreRegisteredInNumberOrder() {
        List<Class<?>> all = Examples.all();
        for (int i = 0; i < all.size(); i++) {
            Matcher name = EXAMPLE_NAME.matcher(all.get(i).getSimpleName());
            assertTrue(name.matches(), all.get(i) + " is not named ExNNSomething");
            assertEquals(i, Integer.parseInt(name.group(1)), all.get(i) + " is registered out of order");
        }
        assertEquals(Ex01MonitorDeadlock.class, Examples.byName("ex01"));
        assertEquals(Ex13StalledFuture.class, Examples.byName("Ex13StalledFuture"));
        assertThrows(IllegalArgumentException.class, () -> Examples.byName("Ex99"));
    }

    @Test
    void optionsParse() {
        ExampleSupport.Options options = ExampleSupport.Options.parse(
                "--dump-text", "a.txt", "--dump-json", "b.json", "--dumps", "3", "--interval", "250", "--exit");
        assertTrue(options.dumpText().isAbsolute());
        assertTrue(options.dumpText().endsWith("a.txt"));
        assertTrue(options.dumpJson().endsWith("b.json"));
        assertEquals(3, options.dumps());
        assertEquals(Duration.ofMillis(250), options.interval());
        assertTrue(options.exit());

        ExampleSupport.Options none = ExampleSupport.Options.parse();
        assertEquals(null, none.dumpText());
        assertEquals(1, none.dumps());
        assertFalse(none.exit());

        assertThrows(IllegalArgumentException.class, () -> ExampleSupport.Options.parse("--dumps", "0"));
        assertThrows(IllegalArgumentException.class, () -> ExampleSupport.Options.parse("--dump-text"));
        assertThrows(IllegalArgumentException.class, () -> ExampleSupport.Options.parse("--frobnicate"));
    }

    @Tag("slow") // seconds or child JVMs: left out of ./run-tests --fast (README, Development)
    @TestFactory
    Stream<DynamicTest> everyExampleHangsAsDeclared() {
        return Examples.all().stream().map(example -> DynamicTest.dynamicTest(example.getSimpleName(),
                () -> runAndCheck(example)));
    }

    private static void runAndCheck(Class<?> example) throws IOException, InterruptedException {
        Expected expected = Examples.expected(example);
        assumeTrue(JDK >= expected.minJava(), example.getSimpleName() + " needs JDK " + expected.minJava());
        boolean json = JDK >= 21;
        // A stall is told from a slow wait by several dumps in which nothing moves.
        int dumps = expected.kind().equals("stall") ? 3 : 1;

        ExampleRunner.Result result = ExampleRunner.run(example, JAVA_HOME, OUT, json, dumps,
                Duration.ofMillis(200), TIMEOUT);

        String context = example.getSimpleName() + " output:\n" + result.output();
        assertEquals(0, result.exitCode(), context);
        assertTrue(result.output().contains("READY pid=" + result.pid()), context);
        assertNotNull(result.textDump(), context);
        String text = Files.readString(result.textDump(), StandardCharsets.UTF_8);
        assertEquals(dumps, count(text, "Full thread dump "), "dumps in " + result.textDump());

        String jsonText = null;
        if (json) {
            assertNotNull(result.jsonDump(), context);
            jsonText = Files.readString(result.jsonDump(), StandardCharsets.UTF_8);
            assertTrue(jsonText.contains("\"threadDump\""), "not a JSON thread dump: " + result.jsonDump());
        }

        List<String> missing = new ArrayList<>();
        for (String thread : expected.threads()) {
            if (!expected.virtualThreads() && !hasThreadHeader(text, thread)) {
                missing.add(thread + " (text)");
            }
            if (jsonText != null && !hasJsonThread(jsonText, thread)) {
                missing.add(thread + " (json)");
            }
        }
        assertTrue(missing.isEmpty(), "threads missing from the dumps of " + example.getSimpleName() + ": "
                + missing + " in " + OUT.toAbsolutePath());
    }

    /** A thread header line: {@code "name" #12 ...} (the deadlock section's {@code "name":} lines do not count). */
    private static boolean hasThreadHeader(String dump, String thread) {
        return Pattern.compile("^\"" + Pattern.quote(thread) + "\" #\\d+", Pattern.MULTILINE).matcher(dump).find();
    }

    private static boolean hasJsonThread(String json, String thread) {
        return Pattern.compile("\"name\"\\s*:\\s*\"" + Pattern.quote(thread) + "\"").matcher(json).find();
    }

    private static int count(String text, String what) {
        int count = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + what.length())) {
            count++;
        }
        return count;
    }

    @Test
    void librariesOfAnExampleGoOnTheChildClassPath() {
        // this module's tests have the optional libraries, so the class path has the example's entry and theirs
        assertEquals("", ExampleSupport.missingLibraries(Ex17HikariNestedConnection.class));
        List<String> entries = List.of(ExampleRunner.classPath(Ex17HikariNestedConnection.class).split(File.pathSeparator));
        assertEquals(1 + Examples.expected(Ex17HikariNestedConnection.class).libraries().length, entries.size(),
                entries.toString());
        assertTrue(entries.stream().anyMatch(e -> e.contains("HikariCP")) && entries.stream().anyMatch(e -> e.contains("h2")),
                entries.toString());
        assertEquals(List.of(ExampleRunner.classPathOf(Ex01MonitorDeadlock.class)),
                List.of(ExampleRunner.classPath(Ex01MonitorDeadlock.class).split(File.pathSeparator)));
    }

    /** What knot demo from knot.jar (which does not ship the libraries) shows: one line, exit code 6. */
    @Tag("slow") // seconds or child JVMs: left out of ./run-tests --fast (README, Development)
    @Test
    void anExampleWithoutItsLibrarySaysSoInOneLine() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(JAVA_HOME.resolve("bin").resolve("java").toString(), "-cp",
                ExampleRunner.classPathOf(Ex16CommonsPoolNestedBorrow.class), Ex16CommonsPoolNestedBorrow.class.getName(),
                "--exit").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), output);
        assertEquals(ExampleSupport.EXIT_LIBRARY_MISSING, p.exitValue(), output);
        assertEquals(1, output.lines().count(), output);
        assertTrue(output.startsWith("Ex16CommonsPoolNestedBorrow needs org.apache.commons:commons-pool2 on the class path,"
                + " which Knot does not bundle"), output);
    }

    @Tag("slow") // seconds or child JVMs: left out of ./run-tests --fast (README, Development)
    @Test
    void jsonDumpOnJdk17ExitsWithCode4() throws IOException, InterruptedException {
        assumeTrue(JDK < 21, "only a JDK before 21 lacks JSON dumps");
        ExampleRunner.Result result = ExampleRunner.run(Ex07SemaphoreTakenTwice.class, JAVA_HOME,
                OUT.resolve("json-on-17"), true, 1, TIMEOUT);
        assertEquals(ExampleSupport.EXIT_JDK_TOO_OLD, result.exitCode(), result.output());
        assertTrue(result.output().contains("JSON dumps need JDK 21+"), result.output());
    }
}
