package dev.knot.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.knot.examples.Ex01MonitorDeadlock;
import dev.knot.findings.Report;
import dev.knot.input.DumpReader;
import dev.knot.snapshot.DumpedThread;
import dev.knot.snapshot.ThreadDump;
import dev.knot.rules.Analyzer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built agent in a real JVM: started with -javaagent (premain), then loaded again and again with
 * {@code jcmd PID JVMTI.agent_load} (agentmain; installs once). Whatever happens, the host sees at most one
 * {@code knot-agent:} line per problem and never a stack trace.
 */
@Tag("slow") // seconds or child JVMs: left out of ./run-tests --fast (README, Development)
class AgentLoadIT {

    @TempDir
    Path dir;

    @Test
    void premainThenJcmdLoadsTakeSnapshotsAndNeverThrowIntoTheHost() throws Exception {
        Path jar = AgentJarIT.agentJar().toAbsolutePath();
        Path atStart = dir.resolve("at-start.json");
        Path stderr = dir.resolve("stderr.txt");
        String javaHome = System.getProperty("java.home");
        List<String> cmd = List.of(Path.of(javaHome, "bin", "java").toString(),
                "-javaagent:" + jar + "=snapshot=" + atStart + ",bogus=1",
                "-cp", classPathOf(Ex01MonitorDeadlock.class), Ex01MonitorDeadlock.class.getName());
        Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
        try {
            long pid = awaitReady(p, Duration.ofSeconds(30));

            // premain: a snapshot of the starting JVM, written atomically
            ThreadDump start = read(awaitFile(atStart, p));
            assertEquals(Long.toString(pid), start.processId());
            assertFalse(Files.exists(Path.of(atStart + KnotAgent.TMP_SUFFIX)), "temporary file renamed away");

            // agentmain (second load into this JVM): the hang, from inside
            Path hung = dir.resolve("hung,with comma.json");
            jcmd(pid, jar, "snapshot=" + hung);
            ThreadDump live = read(awaitFile(hung, p));
            List<String> names = live.threads().stream().map(DumpedThread::name).toList();
            assertTrue(names.containsAll(List.of("transfer-alice-to-bob", "transfer-bob-to-alice")), names.toString());
            Report report = Analyzer.analyze(List.of(live));
            assertTrue(report.hangFound(), "deadlock found in the live snapshot");

            // a file that cannot be written: one line, and the agent stays usable
            Path blocker = Files.writeString(dir.resolve("a-file"), "x");
            jcmd(pid, jar, "snapshot=" + blocker.resolve("sub.json"));
            awaitLine(stderr, "knot-agent: cannot write snapshot to", p);
            Path again = dir.resolve("again.json");
            jcmd(pid, jar, "snapshot=" + again);
            assertFalse(read(awaitFile(again, p)).threads().isEmpty());

            // jcmd without quotes drops "=value": the agent says how to quote
            jcmd(pid, jar, "unquoted");
            awaitLine(stderr, "knot-agent: ignoring option 'unquoted'", p);

            List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8);
            List<String> agentLines = lines.stream().filter(l -> l.startsWith("knot-agent:")).toList();
            assertEquals(3, agentLines.size(), String.join("\n", lines));
            assertTrue(agentLines.get(0).contains("ignoring unknown option 'bogus'"), agentLines.toString());
            assertTrue(agentLines.get(2).contains("jcmd PID JVMTI.agent_load"), agentLines.toString());
            // Besides Knot's lines, only the JVM's own notices: JDK 21+ on dynamic agents, and the one about class
            // sharing once tracking has appended its hooks to the boot class path.
            List<String> others = lines.stream()
                    .filter(l -> !l.startsWith("knot-agent:") && !l.startsWith("WARNING:")
                            && !l.contains("Sharing is only supported for boot loader classes")).toList();
            assertEquals(List.of(), others, "nothing else on the host's stderr");
            assertTrue(p.isAlive(), "the host lives on");
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A failure in the target: one line, the agent disables itself, and every later request learns why. */
    @Test
    void aFailingAgentDisablesItselfAndSaysWhy() throws Exception {
        Path jar = AgentJarIT.agentJar().toAbsolutePath();
        Path first = dir.resolve("first.json");
        Path stderr = dir.resolve("stderr.txt");
        // without java.management the snapshot code cannot work: a realistic failure (a jlinked runtime)
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--limit-modules", "java.base,java.instrument",
                "-javaagent:" + jar + "=snapshot=" + first,
                "-cp", classPathOf(Sleeper.class), Sleeper.class.getName());
        Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
        try {
            long pid = awaitReady(p, Duration.ofSeconds(30));
            Path err = Path.of(first + KnotAgent.ERROR_SUFFIX);
            awaitErr(err, p);
            assertTrue(Files.readString(err).contains("NoClassDefFoundError"), Files.readString(err));
            assertFalse(Files.exists(first));

            Path second = dir.resolve("second.json");
            jcmd(pid, jar, "snapshot=" + second);
            Path err2 = Path.of(second + KnotAgent.ERROR_SUFFIX);
            awaitErr(err2, p);
            assertTrue(Files.readString(err2).startsWith("disabled in this JVM after an earlier failure: "),
                    Files.readString(err2));

            List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.startsWith("WARNING:")).toList();
            assertEquals(2, lines.size(), String.join("\n", lines));
            assertTrue(lines.get(0).startsWith("knot-agent: java.lang.NoClassDefFoundError")
                    && lines.get(0).endsWith("(the Knot agent is disabled in this JVM)"), lines.get(0));
            assertTrue(lines.get(1).startsWith("knot-agent: disabled in this JVM after an earlier failure"), lines.get(1));
            assertTrue(p.isAlive(), "the host lives on");
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** An output that cannot be renamed into place: the reason goes to FILE.err for the waiting side. */
    @Test
    void unwritableTargetLeavesAnErrorFile() throws Exception {
        Path jar = AgentJarIT.agentJar().toAbsolutePath();
        Path taken = Files.createDirectories(dir.resolve("taken.json").resolve("inside"));
        Path target = taken.getParent();
        Path stderr = dir.resolve("stderr.txt");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + jar + "=snapshot=" + target,
                "-cp", classPathOf(Sleeper.class), Sleeper.class.getName());
        Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
        try {
            awaitReady(p, Duration.ofSeconds(30));
            Path err = Path.of(target + KnotAgent.ERROR_SUFFIX);
            awaitErr(err, p);
            assertTrue(Files.readString(err).startsWith("cannot write snapshot to " + target), Files.readString(err));
            assertFalse(Files.exists(Path.of(target + KnotAgent.TMP_SUFFIX)), "temporary file removed");
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- helpers

    static void awaitErr(Path err, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(err)) {
            if (!p.isAlive()) fail("target exited with " + p.exitValue());
            if (System.nanoTime() > deadline) fail("no " + err + " within 60 s");
            Thread.sleep(10);
        }
    }

    static String classPathOf(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /** Reads stdout until {@code READY pid=N}; keeps draining it afterwards. */
    static long awaitReady(Process p, Duration timeout) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Long> ready = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("READY pid=")) ready.complete(Long.parseLong(line.substring(10).strip()));
                }
                ready.completeExceptionally(new IllegalStateException("example exited without READY"));
            } catch (IOException | RuntimeException e) {
                ready.completeExceptionally(e);
            }
        }, "example-stdout");
        t.setDaemon(true);
        t.start();
        return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    static void jcmd(long pid, Path jar, String options) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        // jcmd parses key=value itself: the options must be quoted to reach the agent whole
        Process j = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "JVMTI.agent_load", jar.toString(),
                options.contains("=") ? "\"" + options + "\"" : options).redirectErrorStream(true).start();
        String out = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(j.waitFor(60, TimeUnit.SECONDS), "jcmd finished");
        assertEquals(0, j.exitValue(), out);
        assertTrue(out.contains("return code: 0"), out);
    }

    static Path awaitFile(Path file, Process p) throws Exception {
        Path err = Path.of(file + KnotAgent.ERROR_SUFFIX);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(file)) {
            if (Files.exists(err)) fail("agent failed: " + Files.readString(err));
            if (!p.isAlive()) fail("target exited with " + p.exitValue());
            if (System.nanoTime() > deadline) fail("no " + file + " within 60 s");
            Thread.sleep(10);
        }
        return file;
    }

    static void awaitLine(Path stderr, String start, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (Files.readAllLines(stderr).stream().noneMatch(l -> l.startsWith(start))) {
            if (!p.isAlive()) fail("target exited");
            if (System.nanoTime() > deadline) {
                fail("no line '" + start + "' in " + Files.readAllLines(stderr).stream().collect(Collectors.joining("\n")));
            }
            Thread.sleep(10);
        }
    }

    static ThreadDump read(Path file) throws Exception {
        List<ThreadDump> dumps = new ArrayList<>(DumpReader.readFile(file));
        assertEquals(1, dumps.size());
        return dumps.get(0);
    }
}
