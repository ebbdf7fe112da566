package dev.knot.track.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knot.track.Tracking;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Installation paths that need a fresh JVM: the self-test failure, loading the agent twice, attaching late. */
@Tag("slow") // seconds or child JVMs: left out of ./run-tests --fast (README, Development)
class ChildJvmIT {
    static final String AGENT = System.getProperty("knot.track.agent.jar");

    record Result(int exit, List<String> out, List<String> err) {
        List<String> agentLines() {
            return err.stream().filter(l -> l.startsWith("knot-agent:")).toList();
        }
    }

    static Result run(List<String> jvmArgs, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ChildMain.class.getName());
        cmd.addAll(List.of(args));
        File out = File.createTempFile("knot-child-", ".out");
        File err = File.createTempFile("knot-child-", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out).redirectError(err).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("child JVM did not finish: " + cmd);
            }
            return new Result(p.exitValue(), Files.readAllLines(out.toPath(), StandardCharsets.UTF_8),
                    Files.readAllLines(err.toPath(), StandardCharsets.UTF_8));
        } finally {
            out.delete();
            err.delete();
        }
    }

    @Test
    void aFailedSelfTestPrintsOneLineAndLeavesTheClassesAsTheyWere() throws Exception {
        Result r = run(List.of("-javaagent:" + AGENT + "=track=all,track.selftest=fail"), "untransformed");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of(Tracking.DISABLED_PREFIX + "self-test failed (simulated by track.selftest=fail)"),
                r.agentLines(), r.toString());
        assertTrue(r.out().contains("UNTRANSFORMED"), r.toString());
        assertTrue(r.out().contains("active=null"), r.toString());
        assertTrue(r.out().contains("enabled=false"), r.toString());
    }

    @Test
    void loadingTheAgentTwiceInstrumentsOnce() throws Exception {
        Result r = run(List.of("-javaagent:" + AGENT + "=track=all", "-javaagent:" + AGENT + "=track=all"), "count");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of(), r.agentLines(), r.toString());
        assertTrue(r.out().contains("holdings=1 count=1"), r.toString());
        assertTrue(r.out().contains("active=semaphores,queues,futures,failures,pools"), r.toString());
    }

    @Test
    void defaultOptionsTrackTheDefaultKindsAndClaimNothingAboutTheOthers() throws Exception {
        Result r = run(List.of("-javaagent:" + AGENT), "semaphore-facts");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of(), r.agentLines(), r.toString());
        assertTrue(r.out().contains("active=" + dev.knot.track.Options.defaults().kinds()), r.toString());
        assertTrue(r.out().contains("fact STATE permits available: 0"), r.toString());
        assertTrue(r.out().stream().noneMatch(l -> l.startsWith("fact HOLD")), r.toString());
    }

    @Test
    void trackedSemaphoresMakeTheHolderSetComplete() throws Exception {
        Result r = run(List.of("-javaagent:" + AGENT + "=track=semaphores"), "semaphore-facts");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().stream().anyMatch(l -> l.startsWith("fact HOLDS holds 1 permit (start the agent with"
                + " track.sites=true")), r.toString());
        assertTrue(r.out().stream().anyMatch(l -> l.startsWith("fact HOLDERS_COMPLETE")), r.toString());
    }

    @Test
    void attachedLateItNamesHoldersButDoesNotClaimToKnowThemAll() throws Exception {
        Result r = run(List.of("-Djdk.attach.allowAttachSelf=true", "-XX:+IgnoreUnrecognizedVMOptions",
                "-XX:+EnableDynamicAgentLoading"), "late", AGENT);
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of(), r.agentLines(), r.toString());
        assertTrue(r.out().stream().anyMatch(l -> l.startsWith("fact HOLDS holds 1 permit, acquired at")), r.toString());
        assertTrue(r.out().stream().anyMatch(l -> l.contains("attached to the running JVM")), r.toString());
        assertTrue(r.out().stream().noneMatch(l -> l.startsWith("fact HOLDERS_COMPLETE")), r.toString());
    }

    @Test
    void poolTrackingAttachedLateInstrumentsTheLoadedClassAndVouchesOnlyForNewPools() throws Exception {
        Result r = run(List.of("-Djdk.attach.allowAttachSelf=true", "-XX:+IgnoreUnrecognizedVMOptions",
                "-XX:+EnableDynamicAgentLoading"), "late-pools", AGENT);
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of(), r.agentLines(), r.toString());
        List<String> out = r.out();
        int split = out.indexOf("after:");
        List<String> before = out.subList(out.indexOf("before:"), split);
        List<String> after = out.subList(split, out.size());
        assertTrue(before.stream().anyMatch(l -> l.contains("\"late-pool-before\" holds 1 object of GenericObjectPool@")), r.toString());
        assertTrue(before.stream().anyMatch(l -> l.contains("created before tracking started")), r.toString());
        assertTrue(before.stream().noneMatch(l -> l.startsWith("fact HOLD")), "no HOLDS without the whole set: " + r);
        assertTrue(after.stream().anyMatch(l -> l.startsWith("fact HOLDS holds 1 object of GenericObjectPool@")
                && l.contains("borrowed at " + ChildMain.class.getName() + ".")), r.toString());
        assertTrue(after.stream().anyMatch(l -> l.startsWith("fact HOLDERS_COMPLETE")), r.toString());
    }
}
