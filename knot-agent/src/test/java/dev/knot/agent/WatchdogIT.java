package dev.knot.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knot.examples.Ex01MonitorDeadlock;
import dev.knot.examples.Ex07SemaphoreTakenTwice;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watchdog as users start it: {@code -javaagent:knot-agent.jar=watchdog=…,report=FILE}, against hanging examples. */
@Tag("slow") // seconds or child JVMs: left out of ./run-tests --fast (README, Development)
class WatchdogIT {

    @TempDir
    Path dir;

    @Test
    void reportsADeadlockOnceOnStderrAndInTheReportFile() throws Exception {
        Path report = dir.resolve("hangs.txt");
        Path stderr = dir.resolve("stderr.txt");
        Process p = start(Ex01MonitorDeadlock.class, "watchdog=200ms,report=" + report, stderr);
        try {
            AgentLoadIT.awaitReady(p, Duration.ofSeconds(30));
            AgentLoadIT.awaitLine(stderr, "Hang found: 1 deadlock", p);
            awaitText(stderr, "has been waiting on", p); // the report is written in more than one write; the line is indented
            String text = Files.readString(stderr, StandardCharsets.UTF_8);
            assertTrue(text.contains("DEADLOCK (certain)") && text.contains("\"transfer-alice-to-bob\""), text);
            assertTrue(text.contains("has been waiting on"), "the age of each wait: " + text);
            // a few more intervals: still reported once
            Thread.sleep(1000);
            String later = Files.readString(stderr, StandardCharsets.UTF_8);
            assertEquals(1, later.split("knot-watchdog: hang detected", -1).length - 1, later);
            assertTrue(Files.readString(report).contains("DEADLOCK (certain)"));
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void reportsASelfDeadlockThatNoJvmToolSees() throws Exception {
        Path stderr = dir.resolve("stderr.txt");
        Process p = start(Ex07SemaphoreTakenTwice.class, "watchdog=200ms", stderr);
        try {
            AgentLoadIT.awaitReady(p, Duration.ofSeconds(30));
            AgentLoadIT.awaitLine(stderr, "Hang found: 1 self-deadlock", p);
            assertTrue(Files.readString(stderr).contains("\"report-exporter\""));
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void intervals() {
        assertEquals(Duration.ofMillis(500), Watchdogs.parseInterval("500ms"));
        assertEquals(Duration.ofSeconds(2), Watchdogs.parseInterval("2s"));
        assertEquals(Duration.ofMinutes(3), Watchdogs.parseInterval("3m"));
        assertEquals(Duration.ofSeconds(1), Watchdogs.parseInterval(""));
        assertEquals(null, Watchdogs.parseInterval("soon"));
        assertEquals(null, Watchdogs.parseInterval("1ms"));
    }

    /** Like {@link AgentLoadIT#awaitLine}, for text anywhere in a line. */
    private static void awaitText(Path stderr, String text, Process p) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.readString(stderr, StandardCharsets.UTF_8).contains(text)) {
            assertTrue(p.isAlive(), "target exited");
            assertTrue(System.nanoTime() < deadline, "no '" + text + "' within 60 s in " + Files.readString(stderr));
            Thread.sleep(10);
        }
    }

    private static Process start(Class<?> example, String options, Path stderr) throws Exception {
        Path jar = AgentJarIT.agentJar().toAbsolutePath();
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + jar + "=" + options, "-cp", AgentLoadIT.classPathOf(example), example.getName());
        return new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
    }
}
