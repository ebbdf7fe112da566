package dev.knot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.knot.examples.ExampleRunner;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the tests that look at example programs in running JVMs share (AttachCommandTest, EveryFormTableTest):
 * starting an example that stays hung, running the CLI in this JVM with captured streams, reading JSON reports.
 */
final class ExampleJvms {

    private ExampleJvms() {
    }

    /** Exit code and the two streams of one in-process CLI run. */
    record Run(int exit, String out, String err) {
    }

    /** Runs {@link Main#run} with stdout and stderr captured (one run at a time: the streams are global). */
    static synchronized Run knot(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /**
     * Starts the example (without --exit: it stays hung) on {@code javaHome}, with the class path
     * {@link ExampleRunner#classPath} gives it (its libraries included), stderr to {@code errFile}, and waits for its
     * READY line. The caller kills the process; it is killed here if READY does not come.
     */
    static Process start(Class<?> example, Path javaHome, Path errFile, String... jvmFlags) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(java(javaHome).toString());
        cmd.addAll(List.of(jvmFlags));
        cmd.add("-cp");
        cmd.add(ExampleRunner.classPath(example));
        cmd.add(example.getName());
        Process p = new ProcessBuilder(cmd).redirectError(errFile.toFile()).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Long> ready = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("READY pid=")) ready.complete(Long.parseLong(line.substring(10).strip()));
                }
                ready.completeExceptionally(new IllegalStateException(example.getSimpleName() + " exited without READY"));
            } catch (IOException | RuntimeException e) {
                ready.completeExceptionally(e);
            }
        }, "example-stdout");
        t.setDaemon(true);
        t.start();
        try {
            long pid = ready.get(30, TimeUnit.SECONDS);
            assertEquals(p.pid(), pid);
            return p;
        } catch (Exception | AssertionError e) {
            kill(p);
            throw e;
        }
    }

    /** Kills the process and its children and waits for it (bounded). */
    static void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    static Path javaHome() {
        return Path.of(System.getProperty("java.home"));
    }

    static Path java(Path javaHome) {
        return javaHome.resolve("bin").resolve("java");
    }

    /** The texts of a JSON array of strings. */
    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
