package dev.knot.examples;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an example program in a fresh JVM until its hang has formed and it has dumped its own threads, then
 * hands back the dump files. Used by tests of other modules and by {@code knot demo}.
 */
public final class ExampleRunner {

    /** Flags for a fast start of a short-lived JVM; none of them changes how threads hang or dump. */
    static final List<String> FAST_START_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC");

    /** Time between dumps when several are asked for. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(500);

    private ExampleRunner() {
    }

    /**
     * What a run produced.
     *
     * @param exitCode the example's exit code: 0 when the hang formed and the dumps were written, otherwise see
     *                 {@link ExampleSupport} (3 the hang did not form, 4 JDK too old for the example or for JSON)
     * @param textDump the jstack -l format dump ({@code dumps} of them one after another), null if not written
     * @param jsonDump the JSON dump, null if not asked for or not written
     * @param output   stdout and stderr of the example, interleaved
     */
    public record Result(Class<?> example, int exitCode, long pid, Path textDump, Path jsonDump, String output,
            Duration elapsed) {

        public boolean succeeded() {
            return exitCode == 0;
        }

        /** The dump files that were written. */
        public List<Path> dumps() {
            List<Path> written = new ArrayList<>();
            if (textDump != null) {
                written.add(textDump);
            }
            if (jsonDump != null) {
                written.add(jsonDump);
            }
            return written;
        }
    }

    /** The example did not finish in time; it and its children have been killed. */
    public static final class ExampleTimeoutException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String output;

        ExampleTimeoutException(String message, String output) {
            super(message + (output.isEmpty() ? " (no output)" : "; output:\n" + output));
            this.output = output;
        }

        public String output() {
            return output;
        }
    }

    /** {@link #run(Class, Path, Path, boolean, int, Duration, Duration)} with dumps 500 ms apart. */
    public static Result run(Class<?> example, Path javaHome, Path outDir, boolean json, int dumps, Duration timeout)
            throws IOException, InterruptedException {
        return run(example, javaHome, outDir, json, dumps, DEFAULT_INTERVAL, timeout);
    }

    /**
     * Launches {@code <javaHome>/bin/java -cp <classPath(example)> <example> --dump-text
     * <outDir>/<Example>.txt [--dump-json <outDir>/<Example>.json] [--dumps N --interval MS] --exit} and waits
     * for it. Old dumps of the same example in {@code outDir} are deleted first; the example's output is
     * also kept in {@code <outDir>/<Example>.out}.
     *
     * @throws ExampleTimeoutException if the process is still running after {@code timeout}
     */
    public static Result run(Class<?> example, Path javaHome, Path outDir, boolean json, int dumps,
            Duration interval, Duration timeout) throws IOException, InterruptedException {
        Files.createDirectories(outDir);
        String name = example.getSimpleName();
        Path text = outDir.resolve(name + ".txt").toAbsolutePath();
        Path jsonFile = outDir.resolve(name + ".json").toAbsolutePath();
        Path outputFile = outDir.resolve(name + ".out").toAbsolutePath();
        Files.deleteIfExists(text);
        Files.deleteIfExists(jsonFile);

        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve(isWindows() ? "java.exe" : "java").toString());
        command.addAll(FAST_START_FLAGS);
        command.add("-cp");
        command.add(classPath(example));
        command.add(example.getName());
        command.add("--dump-text");
        command.add(text.toString());
        if (json) {
            command.add("--dump-json");
            command.add(jsonFile.toString());
        }
        if (dumps > 1) {
            command.add("--dumps");
            command.add(Integer.toString(dumps));
            command.add("--interval");
            command.add(Long.toString(interval.toMillis()));
        }
        command.add("--exit");

        long started = System.nanoTime();
        // Output goes to a file, not a pipe: nobody has to drain it while we wait.
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(outputFile.toFile())
                .start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
            throw new ExampleTimeoutException(name + " did not finish within " + timeout.toMillis() + " ms: "
                    + String.join(" ", command), Files.readString(outputFile, StandardCharsets.UTF_8));
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        String output = Files.readString(outputFile, StandardCharsets.UTF_8);
        return new Result(example, process.exitValue(), process.pid(),
                Files.exists(text) ? text : null,
                json && Files.exists(jsonFile) ? jsonFile : null,
                output, elapsed);
    }

    /**
     * The class path for a JVM running {@code example}: where the example was loaded from, then the jar of each of
     * its {@link Expected#libraries()} that this JVM can load (a test's class path has them; knot.jar does not,
     * and then the example says so and exits with {@link ExampleSupport#EXIT_LIBRARY_MISSING}).
     */
    public static String classPath(Class<?> example) {
        List<String> entries = new ArrayList<>();
        entries.add(classPathOf(example));
        for (Expected.Library library : Examples.expected(example).libraries()) {
            Class<?> probe = ExampleSupport.libraryClass(example, library);
            if (probe != null) {
                String entry = classPathOf(probe);
                if (!entries.contains(entry)) {
                    entries.add(entry);
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The class path entry (directory or jar) the class was loaded from. */
    static String classPathOf(Class<?> example) {
        CodeSource source = example.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalArgumentException("cannot tell where " + example.getName() + " was loaded from");
        }
        try {
            return Path.of(source.getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("odd code source " + source.getLocation(), e);
        }
    }

    private static boolean isWindows() {
        return File.separatorChar == '\\';
    }
}
