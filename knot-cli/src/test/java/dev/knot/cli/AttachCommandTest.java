package dev.knot.cli;

import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.DynamicTest;
import dev.knot.cli.ExampleJvms.Run;
import dev.knot.examples.Expected;
import dev.knot.examples.Examples;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.knot.examples.Ex01MonitorDeadlock;
import dev.knot.examples.Ex05ProducerHoldsLockOnFullQueue;
import dev.knot.examples.Ex06PoolUnitsExhausted;
import dev.knot.examples.Ex07SemaphoreTakenTwice;
import dev.knot.examples.Ex15FanInBehindPlatformThread;
import dev.knot.examples.Ex14VirtualThreadDeadlock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code knot attach} and {@code knot dump} against real example programs started as child processes (a JVM may
 * not attach to itself). Needs the built agent jar ({@code knot-agent/target/knot-agent.jar}): the reactor
 * packages knot-agent before knot-cli's tests run.
 */
@Tag("slow") // seconds or child JVMs: left out of ./run-tests --fast (README, Development)
class AttachCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void agentJarIsBuilt() throws LiveAttach.Failure {
        Path jar = LiveAttach.agentJar("test: ");
        assertTrue(Files.isRegularFile(jar), jar.toString());
    }

    @AfterEach
    void killExamples() throws InterruptedException {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- attach

    @Test
    void attachFindsTheDeadlockInARunningJvm() throws Exception {
        long pid = startExample(Ex01MonitorDeadlock.class, javaHome());
        long t0 = System.nanoTime();
        Run r = knot("attach", "--color", "never", Long.toString(pid));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(ExitCodes.HANG, r.exit(), r.err() + r.out());
        assertTrue(r.out().contains("DEADLOCK (certain)"), r.out());
        assertTrue(r.out().contains("\"transfer-alice-to-bob\"") && r.out().contains("\"transfer-bob-to-alice\""), r.out());
        assertTrue(r.out().contains("Knot analysed pid " + pid + ": live snapshot"), r.out());
        assertEquals("", r.err());
        System.out.println("knot attach (in-process CLI, first attach to pid " + pid + "): " + ms + " ms");
    }

    @Test
    void attachWithTheListenerLeftToTheJdk() throws Exception {
        long pid = startExample(Ex01MonitorDeadlock.class, javaHome());
        System.setProperty(LiveAttach.START_LISTENER, "false");
        try {
            Run r = knot("attach", "--color", "never", Long.toString(pid));
            assertEquals(ExitCodes.HANG, r.exit(), r.err() + r.out());
            assertTrue(r.out().contains("DEADLOCK (certain)"), r.out());
        } finally {
            System.clearProperty(LiveAttach.START_LISTENER);
        }
    }

    @Test
    void attachFindsASelfDeadlockOnlyAProcessCanProve() throws Exception {
        long pid = startExample(Ex07SemaphoreTakenTwice.class, javaHome());
        Run r = knot("attach", "--format", "json", Long.toString(pid));
        assertEquals(ExitCodes.HANG, r.exit(), r.err() + r.out());
        JsonNode report = JSON.readTree(r.out());
        assertEquals("live", report.at("/inputs/0/format").asText());
        assertEquals("self-deadlock", report.at("/findings/0/kind").asText(), r.out());
        assertEquals("pid " + pid, report.at("/inputs/0/source").asText());
    }

    @Test
    void attachSeesVirtualThreads() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        long pid = startExample(Ex14VirtualThreadDeadlock.class, javaHome());
        Run r = knot("attach", "--format", "json", Long.toString(pid));
        assertEquals(ExitCodes.HANG, r.exit(), r.err() + r.out());
        JsonNode f = JSON.readTree(r.out()).at("/findings/0");
        assertEquals("deadlock", f.path("kind").asText(), r.out());
        assertEquals("certain", f.path("certainty").asText(), r.out());
        assertEquals(List.of("vt-transfer-erin-to-frank", "vt-transfer-frank-to-erin"), texts(f.path("threads")));
    }

    /**
     * Every example program, run and diagnosed live: the expected kind naming the expected threads, and
     * the certainty the example declares for a live snapshot ({@code likely} where only the agent's tracking can
     * prove it). Pairs EveryFormTableTest lists as known misses of the model are left to that test.
     */
    @TestFactory
    Stream<DynamicTest> everyExampleLive() {
        return Examples.all().stream().map(c -> DynamicTest.dynamicTest(c.getSimpleName(), () -> {
            Expected e = Examples.expected(c);
            assumeTrue(Runtime.version().feature() >= e.minJava(), "needs JDK " + e.minJava());
            assumeTrue(!e.kind().equals("stall"), "a stall needs several snapshots over time");
            assumeTrue(EveryFormTableTest.knownMiss(c, "live") == null, "known miss: " + EveryFormTableTest.knownMiss(c, "live"));
            long pid = startExample(c, javaHome());
            try {
                Run r = knot("attach", "--format", "json", Long.toString(pid));
                JsonNode report = JSON.readTree(r.out());
                List<JsonNode> findings = new ArrayList<>();
                report.path("findings").forEach(findings::add);
                String all = findings.stream().map(f -> f.path("kind").asText() + " " + f.path("certainty").asText() + " "
                        + texts(f.path("threads"))).collect(java.util.stream.Collectors.joining("; "));
                if (e.kind().equals("none")) {
                    assertTrue(findings.isEmpty(), all);
                    return;
                }
                List<JsonNode> ofKind = findings.stream().filter(f -> f.path("kind").asText().equals(e.kind())).toList();
                assertEquals(1, ofKind.size(), all);
                List<String> threads = texts(ofKind.get(0).path("threads"));
                assertTrue(threads.containsAll(List.of(e.threads())), all);
                assertEquals(e.threads().length + e.alsoBlocked(), threads.size(), all);
                assertEquals(e.liveCertainty(), ofKind.get(0).path("certainty").asText(), all);
                assertTrue(findings.stream().noneMatch(f -> !f.path("kind").asText().equals(e.kind())
                        && Set.of("deadlock", "self-deadlock", "starvation", "orphaned-lock").contains(f.path("kind").asText())), all);
            } finally {
                for (Process p : started) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                started.clear();
            }
        }));
    }

    /** With tracking from JVM start (-javaagent … track=all), permit holders are proven too. */
    @TestFactory
    Stream<DynamicTest> trackingMakesPermitHangsCertain() {
        return Stream.of(Ex06PoolUnitsExhausted.class, Ex07SemaphoreTakenTwice.class).map(c -> DynamicTest.dynamicTest(
                c.getSimpleName(), () -> {
                    Expected e = Examples.expected(c);
                    Path jar = LiveAttach.agentJar("test: ");
                    long pid = startExample(c, javaHome(), "-javaagent:" + jar + "=track=all,track.sites=true");
                    try {
                        Run r = knot("attach", "--format", "json", Long.toString(pid));
                        JsonNode f = JSON.readTree(r.out()).at("/findings/0");
                        assertEquals(e.kind(), f.path("kind").asText(), r.out());
                        assertEquals("certain", f.path("certainty").asText(), r.out());
                        assertEquals(Set.of(e.threads()), Set.copyOf(texts(f.path("threads"))));
                        assertTrue(f.path("story").toString().contains("acquired at dev.knot.examples."), r.out());
                    } finally {
                        for (Process p : started) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                        started.clear();
                    }
                }));
    }

    /**
     * Who will take from a full queue is recorded nowhere (Ex05's packers never took before they blocked), with
     * tracking or without: the deadlock is certain because no thread outside it can run, and says so.
     */
    @Test
    void trackingKeepsAFullQueueDeadlockCertainAndSaysWhy() throws Exception {
        Class<?> c = Ex05ProducerHoldsLockOnFullQueue.class;
        Expected e = Examples.expected(c);
        long pid = startExample(c, javaHome(), "-javaagent:" + LiveAttach.agentJar("test: ") + "=track=all");
        Run r = knot("attach", "--format", "json", Long.toString(pid));
        assertEquals(ExitCodes.HANG, r.exit(), r.err() + r.out());
        JsonNode f = JSON.readTree(r.out()).at("/findings/0");
        assertEquals(e.kind(), f.path("kind").asText(), r.out());
        assertEquals("certain", f.path("certainty").asText(), r.out());
        assertEquals(Set.of(e.threads()), Set.copyOf(texts(f.path("threads"))));
        assertEquals(List.of("main"), texts(f.path("blockedBehind")), "main joins order-intake: " + r.out());
        assertTrue(f.path("why").asText().contains("no other thread can run: the live snapshot lists every thread"), r.out());
        assertEquals(0, f.path("missingEvidence").size(), r.out());
    }

    /**
     * Ex16 with pool tracking from start-up: the two renderers are the pool's only holders (tracked, complete), each
     * waiting for a second object: a certain deadlock, the holders named with where they borrowed.
     */
    @Test
    void trackedCommonsPoolHoldersMakeTheNestedBorrowACertainDeadlock() throws Exception {
        long pid = startExample(dev.knot.examples.Ex16CommonsPoolNestedBorrow.class, javaHome(),
                "-javaagent:" + LiveAttach.agentJar("test: ") + "=track=pools,track.sites=true");
        Run r = knot("attach", "--format", "json", Long.toString(pid));
        assertEquals(ExitCodes.HANG, r.exit(), r.err() + r.out());
        JsonNode f = JSON.readTree(r.out()).at("/findings/0");
        assertEquals("deadlock", f.path("kind").asText(), r.out());
        assertEquals("certain", f.path("certainty").asText(), r.out());
        assertEquals(Set.of("pdf-render-1", "pdf-render-2"), Set.copyOf(texts(f.path("threads"))), r.out());
        String story = f.path("story").toString();
        assertTrue(story.contains("holds 1 object of GenericObjectPool@") && story.contains(
                "borrowed at dev.knot.examples.Ex16CommonsPoolNestedBorrow$Renderers.renderPage("), story);
        assertEquals(0, f.path("missingEvidence").size(), r.out());
    }

    /**
     * Ex17 with pool tracking: order-worker-1 is the only holder of the pool's only connection (tracked, complete) and
     * waits for another: a certain self-deadlock although HikariCP's borrow is timed (an hour), the two other workers
     * blocked behind it, the pool's numbers in the story.
     */
    @Test
    void trackedHikariHolderMakesTheNestedConnectionACertainSelfDeadlock() throws Exception {
        long pid = startExample(dev.knot.examples.Ex17HikariNestedConnection.class, javaHome(),
                "-javaagent:" + LiveAttach.agentJar("test: ") + "=track=pools,track.sites=true");
        Run r = knot("attach", "--format", "json", Long.toString(pid));
        assertEquals(ExitCodes.HANG, r.exit(), r.err() + r.out());
        JsonNode f = JSON.readTree(r.out()).at("/findings/0");
        assertEquals("self-deadlock", f.path("kind").asText(), r.out());
        assertEquals("certain", f.path("certainty").asText(), r.out());
        assertEquals(List.of("order-worker-1"), texts(f.path("threads")), r.out());
        assertEquals(Set.of("order-worker-2", "order-worker-3"), Set.copyOf(texts(f.path("blockedBehind"))), r.out());
        assertTrue(f.path("story").toString().contains("1 borrowed, 0 idle, maximum 1; 3 threads wait to borrow"), r.out());
    }

    /** Hundreds of virtual threads parked behind one platform thread: the root blocker must be named. */
    @Test
    void attachNamesThePlatformThreadHundredsOfVirtualThreadsWaitFor() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        long pid = startExample(Ex15FanInBehindPlatformThread.class, javaHome());
        Run r = knot("attach", "--format", "json", Long.toString(pid));
        assertEquals(ExitCodes.OK, r.exit(), "contention is not a hang: " + r.err() + r.out());
        JsonNode f = JSON.readTree(r.out()).at("/findings/0");
        assertEquals("contention", f.path("kind").asText(), r.out());
        assertEquals("certain", f.path("certainty").asText(), r.out());
        List<String> threads = texts(f.path("threads"));
        assertEquals("token-refresher", threads.get(0), "the root comes first");
        assertEquals(1 + Ex15FanInBehindPlatformThread.REQUESTS, threads.size());
        assertTrue(threads.containsAll(List.of("request-1", "request-300")), threads.toString());
    }

    /** Attach from this JDK to targets on the other JDKs of the machine (17 to 25 and 25 to 17). */
    @Test
    void attachAcrossJdks() throws Exception {
        List<Path> others = otherJdks();
        assumeTrue(!others.isEmpty(), "no other JDK found (set KNOT_TEST_JDKS)");
        for (Path jdk : others) {
            long pid = startExample(Ex01MonitorDeadlock.class, jdk);
            Run r = knot("attach", "--format", "json", Long.toString(pid));
            assertEquals(ExitCodes.HANG, r.exit(), jdk + ": " + r.err() + r.out());
            JsonNode f = JSON.readTree(r.out()).at("/findings/0");
            assertEquals(List.of("transfer-alice-to-bob", "transfer-bob-to-alice"), texts(f.path("threads")), jdk.toString());
        }
    }

    @Test
    void dumpThenAnalyzeGivesTheSameFindings() throws Exception {
        long pid = startExample(Ex01MonitorDeadlock.class, javaHome());
        Path out = Files.createDirectory(dir.resolve("out"));
        Path file = out.resolve("snap.json");
        Run dump = knot("dump", "-o", file.toString(), Long.toString(pid));
        assertEquals(ExitCodes.OK, dump.exit(), dump.err());
        assertTrue(dump.err().contains("knot analyze " + file), dump.err());
        assertEquals("", dump.out());
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(file), s.toList(), "no temporary files left");
        }

        Run analyzed = knot("analyze", "--format", "json", file.toString());
        Run attached = knot("attach", "--format", "json", Long.toString(pid));
        assertEquals(ExitCodes.HANG, analyzed.exit(), analyzed.err());
        assertEquals(ExitCodes.HANG, attached.exit(), attached.err());
        assertEquals(findings(attached.out()), findings(analyzed.out()));

        // never overwrites
        byte[] before = Files.readAllBytes(file);
        Run again = knot("dump", "-o", file.toString(), Long.toString(pid));
        assertEquals(ExitCodes.USAGE, again.exit());
        assertOneLine(again.err(), "already exists");
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file)));
    }

    @Test
    void listShowsTheChildJvm() throws Exception {
        long pid = startExample(Ex01MonitorDeadlock.class, javaHome());
        Run r = knot("attach", "--list");
        assertEquals(ExitCodes.OK, r.exit(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.matches(pid + "\\s+dev\\.knot\\.examples\\.Ex01MonitorDeadlock.*")), r.out());
    }

    // ---------------------------------------------------------------- errors: one line, exit 4 (or 64)

    @Test
    void noSuchProcess() throws Exception {
        Process gone = new ProcessBuilder(java(javaHome()).toString(), "-version").redirectErrorStream(true).start();
        gone.getInputStream().readAllBytes();
        gone.waitFor();
        long pid = gone.pid();
        assumeTrue(ProcessHandle.of(pid).isEmpty(), "pid reused already");
        for (String cmd : List.of("attach", "dump")) {
            Run r = knot(cmd, Long.toString(pid));
            assertEquals(LiveAttach.CANNOT_SNAPSHOT, r.exit(), r.err());
            assertOneLine(r.err(), "knot " + cmd + ": no process with pid " + pid);
        }
    }

    @Test
    void notAJvmAndLeftAlive() throws Exception {
        Process p = startSleep();
        started.add(p);
        Run r = knot("attach", Long.toString(p.pid()));
        assertEquals(LiveAttach.CANNOT_SNAPSHOT, r.exit(), r.err());
        assertOneLine(r.err(), "is not a Java virtual machine");
        Thread.sleep(200);
        assertTrue(p.isAlive(), "no SIGQUIT was sent to it");
    }

    @Test
    void targetRefusingDynamicAgents() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "-XX:-EnableDynamicAgentLoading exists from JDK 21");
        long pid = startExample(Ex01MonitorDeadlock.class, javaHome(), "-XX:-EnableDynamicAgentLoading");
        Run r = knot("attach", Long.toString(pid));
        assertEquals(LiveAttach.CANNOT_SNAPSHOT, r.exit(), r.err());
        assertOneLine(r.err(), "refuses agents loaded at run time (-XX:-EnableDynamicAgentLoading)");
        assertTrue(r.err().contains("-javaagent:") && r.err().contains("knot-agent.jar")
                && r.err().contains("-XX:+EnableDynamicAgentLoading") && r.err().contains("jcmd " + pid + " Thread.print -l"), r.err());
    }

    @Test
    void targetWithoutAttachMechanism() throws Exception {
        long pid = startExample(Ex01MonitorDeadlock.class, javaHome(), "-XX:+DisableAttachMechanism");
        Run r = knot("attach", Long.toString(pid));
        assertEquals(LiveAttach.CANNOT_SNAPSHOT, r.exit(), r.err());
        assertOneLine(r.err(), "does not accept attach requests");
    }

    @Test
    void usageErrors() {
        assertEquals(ExitCodes.USAGE, knot("attach").exit());
        Run r = knot("attach", "abc");
        assertEquals(ExitCodes.USAGE, r.exit());
        assertOneLine(r.err(), "'abc' is not a process id");
        assertEquals(ExitCodes.USAGE, knot("attach", "--list", "12").exit());
        assertEquals(ExitCodes.USAGE, knot("attach", "--format", "xml", "12").exit());
        assertEquals(ExitCodes.USAGE, knot("dump").exit());
        r = knot("attach", Long.toString(ProcessHandle.current().pid()));
        assertEquals(LiveAttach.CANNOT_SNAPSHOT, r.exit());
        assertOneLine(r.err(), "is this knot process itself");
    }

    @Test
    void dumpIntoAMissingDirectory() throws Exception {
        Run r = knot("dump", "-o", dir.resolve("no/such/dir/x.json").toString(), "1");
        assertEquals(ExitCodes.USAGE, r.exit(), r.err());
        assertOneLine(r.err(), "does not exist");
    }

    @Test
    void agentJarCandidates() {
        Path cli = Path.of("/opt/knot/knot-cli/target/knot.jar");
        List<Path> c = LiveAttach.agentJarCandidates(cli);
        assertEquals(Path.of("/opt/knot/knot-cli/target/knot-agent.jar"), c.get(0));
        assertTrue(c.contains(Path.of("/opt/knot/knot-agent/target/knot-agent.jar")), c.toString());
        assertEquals(-1, LiveAttach.featureVersion("x"));
        assertEquals(8, LiveAttach.featureVersion("1.8"));
        assertEquals(25, LiveAttach.featureVersion("25"));
    }

    /** The target's version is read from its JDK's release file (no round trip to the target). */
    @Test
    void featureVersionFromTheJdkOnDisk() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs /proc");
        assertEquals(Runtime.version().feature(), LiveAttach.featureVersionOnDisk(ProcessHandle.current().pid()));
        assertEquals(-1, LiveAttach.featureVersionOnDisk(Long.MAX_VALUE));
    }

    // ---------------------------------------------------------------- helpers

    static void assertOneLine(String err, String contains) {
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(err.contains(contains), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
    }

    /** A process that is not a JVM: {@code sleep 60} (the test is skipped where there is no such binary). */
    static Process startSleep() throws IOException {
        Path sleep = Stream.of("/bin/sleep", "/usr/bin/sleep").map(Path::of).filter(Files::isExecutable).findFirst()
                .orElse(null);
        assumeTrue(sleep != null, "no sleep binary");
        return new ProcessBuilder(sleep.toString(), "60").start();
    }

    static Run knot(String... args) {
        return ExampleJvms.knot(args);
    }

    /** Starts the example (without --exit: it stays hung) and waits for its READY line. */
    long startExample(Class<?> example, Path javaHome, String... jvmFlags) throws Exception {
        Process p = ExampleJvms.start(example, javaHome, dir.resolve(example.getSimpleName() + ".err"), jvmFlags);
        started.add(p);
        return p.pid();
    }

    static Path javaHome() {
        return ExampleJvms.javaHome();
    }

    static Path java(Path javaHome) {
        return ExampleJvms.java(javaHome);
    }

    /** JDKs 17+ of KNOT_TEST_JDKS (or the two the README names) other than the one running the tests. */
    static List<Path> otherJdks() throws IOException {
        String env = System.getenv("KNOT_TEST_JDKS");
        String list = env != null && !env.isBlank() ? env
                : "/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64";
        List<Path> out = new ArrayList<>();
        Path self = javaHome().toRealPath();
        for (String s : list.trim().split("\\s+")) {
            Path jdk = Path.of(s);
            if (!Files.isExecutable(java(jdk))) continue;
            if (jdk.toRealPath().equals(self)) continue;
            out.add(jdk);
        }
        return out;
    }

    private static List<String> texts(JsonNode array) {
        return ExampleJvms.texts(array);
    }

    /** Kind, certainty and threads of each finding. */
    private static TreeSet<String> findings(String reportJson) throws IOException {
        TreeSet<String> out = new TreeSet<>();
        for (JsonNode f : JSON.readTree(reportJson).path("findings")) {
            out.add(f.path("kind").asText() + " " + f.path("certainty").asText() + " " + texts(f.path("threads")));
        }
        return out;
    }
}
