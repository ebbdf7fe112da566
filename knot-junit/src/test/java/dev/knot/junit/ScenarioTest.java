package dev.knot.junit;

import static dev.knot.junit.ExampleSuiteTest.contains;
import static dev.knot.junit.ExampleSuiteTest.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.knot.junit.examples.Cleanup;
import dev.knot.junit.examples.Scenarios;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestExecutionResult.Status;
import org.junit.platform.testkit.engine.EngineTestKit;

/** One behaviour each: timeout sources and modes, per-check switches, scopes, invocations, re-run lines. */
@Tag("slow") // seconds or child JVMs: left out of ./run-tests --fast (README, Development)
class ScenarioTest {

    @AfterEach
    void stopWhatTheExamplesLeft() {
        Cleanup.run();
    }

    static Map<String, TestExecutionResult> run(Class<?> c, String... config) {
        var kit = EngineTestKit.engine("junit-jupiter").selectors(selectClass(c))
                .configurationParameter("knot.examples", "run")
                .configurationParameter(KnotConfig.THREADS_GRACE, "200 ms");
        for (int i = 0; i < config.length; i += 2) kit.configurationParameter(config[i], config[i + 1]);
        return ExampleSuiteTest.byTest(kit.execute());
    }

    static Status status(Map<String, TestExecutionResult> r, String test) {
        return r.get(test).getStatus();
    }

    @Test
    void junitDefaultTimeoutFromConfiguration() {
        var r = run(Scenarios.WithoutJUnitTimeout.class, "junit.jupiter.execution.timeout.default", "1 s");
        String m = failure(r, "waits");
        assertInstanceOf(HungTestException.class, r.get("waits").getThrowable().orElseThrow());
        contains(m, "Scenarios.WithoutJUnitTimeout.waits() did not finish within 750 ms"
                + " (junit.jupiter.execution.timeout.default=1 s; Knot stops it first", "WAITING in");
        assertTrue(m.endsWith("Re-run: mvn test -Dtest='dev.knot.junit.examples.Scenarios$WithoutJUnitTimeout#waits'"
                + " | gradle test --tests 'dev.knot.junit.examples.Scenarios$WithoutJUnitTimeout.waits'"), m);
    }

    @Test
    void junitSeparateThreadTimeout() {
        var r = run(Scenarios.JUnitSeparateThread.class);
        assertInstanceOf(HungTestException.class, r.get("waits").getThrowable().orElseThrow());
        contains(failure(r, "waits"), "did not finish within 750 ms (@Timeout(1 s); Knot stops it first");
    }

    @Test
    void knotsOwnDefaultTimeout() {
        String m = failure(run(Scenarios.WithoutJUnitTimeout.class, KnotConfig.TIMEOUT_DEFAULT, "600 ms"), "waits");
        contains(m, "did not finish within 600 ms (knot.timeout.default=600 ms)",
                "WAITING  no deadlock, starvation or other hang kind applies; what the test's threads wait for:",
                "\"knot-test Scenarios.WithoutJUnitTimeout.waits()\" waits on CountDownLatch",
                "which thread would count it down is not recorded; the test started no other thread",
                "\"knot-test Scenarios.WithoutJUnitTimeout.waits()\" WAITING in");
    }

    @Test
    void noTimeoutNoDiagnosis() {
        assertEquals(Status.SUCCESSFUL, status(run(Scenarios.SlowButFine.class), "sleeps"));
        // JUnit's timeouts switched off: Knot's deadline (derived from them) is off too
        assertEquals(Status.SUCCESSFUL, status(run(Scenarios.SlowButFine.class, "junit.jupiter.execution.timeout.default", "500 ms",
                "junit.jupiter.execution.timeout.mode", "disabled"), "sleeps"));
    }

    @Test
    void sameThreadMode() {
        var r = run(Scenarios.WithoutJUnitTimeout.class, KnotConfig.TIMEOUT_DEFAULT, "500 ms", KnotConfig.TIMEOUT_THREAD_MODE, "same_thread");
        String m = failure(r, "waits");
        contains(m, "did not finish within 500 ms (knot.timeout.default=500 ms)", "Knot interrupted the test's 1 thread.");
        assertFalse(m.contains("knot-test"), "runs on JUnit's own thread in same_thread mode:\n" + m);
    }

    @Test
    void lifecycleMethodTimeout() {
        var r = run(Scenarios.HangingBeforeEach.class, "junit.jupiter.execution.timeout.beforeeach.method.default", "1 s");
        contains(failure(r, "neverRuns"), "Scenarios.HangingBeforeEach.setUp() (@BeforeEach of Scenarios.HangingBeforeEach.neverRuns())"
                + " did not finish within 750 ms (junit.jupiter.execution.timeout.beforeeach.method.default=1 s");
    }

    @Test
    void classLevelTimeoutReachesNestedTests() {
        contains(failure(run(Scenarios.ClassTimeout.class), "waits"), "Scenarios.ClassTimeout.Inner.waits() did not finish within"
                + " 600 ms (@Timeout(800 ms)");
    }

    @Test
    void invocationsNameThemselvesInTheRerunLine() {
        var r = run(Scenarios.Invocations.class);
        assertEquals(Status.SUCCESSFUL, status(r, "leaksOnSecond [1] 1"));
        String m = failure(r, "leaksOnSecond [2] 2");
        contains(m, "Scenarios.Invocations.leaksOnSecond() [2] 2 left a problem behind", "THREAD LEAK  \"param-leak\"",
                "Re-run: mvn test -Dtest='dev.knot.junit.examples.Scenarios$Invocations#leaksOnSecond'",
                "| only this invocation ([2] 2): java -jar junit-platform-console-standalone.jar execute -cp <test class path>"
                        + " --select-unique-id '[engine:junit-jupiter]/[class:dev.knot.junit.examples.Scenarios$Invocations]"
                        + "/[test-template:leaksOnSecond(int)]/[test-template-invocation:#2]'");
        assertEquals(Status.SUCCESSFUL, status(r, "repeated repetition 1 of 2"));
        assertEquals(Status.SUCCESSFUL, status(r, "dynamic clean"));
        contains(failure(r, "dynamic leaky"), "Scenarios.Invocations.dynamic() » leaky left a problem behind",
                "THREAD LEAK  \"dynamic-leak\"", "[dynamic-test:#2]");
    }

    @Test
    void aFailingTestKeepsItsFailureAndGetsTheLeakAsSuppressed() {
        Throwable t = run(Scenarios.FailsAndLeaks.class).get("failsAndLeaks").getThrowable().orElseThrow();
        assertInstanceOf(AssertionError.class, t);
        assertFalse(t instanceof LeakError, "the test's own failure comes first");
        assertEquals(1, t.getSuppressed().length);
        contains(t.getSuppressed()[0].getMessage(), "THREAD LEAK  \"failing-leak\"");
    }

    @Test
    void eachCheckReportsAndCanBeSwitchedOff() {
        var r = run(Scenarios.EachKind.class);
        contains(failure(r, "thread"), "THREAD LEAK  \"kind-thread\"");
        contains(failure(r, "executor"), "EXECUTOR NOT SHUT DOWN");
        contains(failure(r, "unobserved"), "UNOBSERVED FAILURE  thread \"kind-unobserved\" died of java.lang.IllegalStateException");
        contains(failure(r, "cancelled"), "CANCELLED TASK STILL RUNNING  \"kind-cancelled\" keeps running a task although it was"
                + " interrupted", "now BLOCKED in dev.knot.junit.examples.Scenarios");
        Cleanup.run();

        r = run(Scenarios.EachKind.class, KnotConfig.THREADS_ENABLED, "false", KnotConfig.EXECUTORS_ENABLED, "false",
                KnotConfig.UNOBSERVED_ENABLED, "false", KnotConfig.CANCELLED_RUNNING_ENABLED, "false");
        for (String t : new String[] {"thread", "executor", "unobserved", "cancelled"}) {
            assertEquals(Status.SUCCESSFUL, status(r, t), t + ": " + r.get(t));
        }
        Cleanup.run();

        // with the cancelled check off, the still-running task is an ordinary leaked thread
        r = run(Scenarios.EachKind.class, KnotConfig.CANCELLED_RUNNING_ENABLED, "false");
        contains(failure(r, "cancelled"), "THREAD LEAK  \"kind-cancelled\"");
        Cleanup.run();

        r = run(Scenarios.EachKind.class, KnotConfig.THREADS_IGNORE, "kind-.*");
        assertEquals(Status.SUCCESSFUL, status(r, "thread"));
        assertEquals(Status.SUCCESSFUL, status(r, "cancelled"));
        Cleanup.run();

        r = run(Scenarios.EachKind.class, KnotConfig.ENABLED, "false");
        assertTrue(r.values().stream().allMatch(x -> x.getStatus() == Status.SUCCESSFUL), "knot.enabled=false: " + r);
    }

    @Test
    void gracePeriod() {
        assertEquals(Status.SUCCESSFUL, status(run(Scenarios.EndsLate.class, KnotConfig.THREADS_GRACE, "2 s"), "threadEndsAfter300ms"));
        contains(failure(run(Scenarios.EndsLate.class, KnotConfig.THREADS_GRACE, "20 ms"), "threadEndsAfter300ms"),
                "THREAD LEAK  \"ends-late\"");
    }

    @Test
    void invalidConfigurationIsIgnored() {
        assertEquals(Status.SUCCESSFUL, status(run(Scenarios.SlowButFine.class, KnotConfig.TIMEOUT_DEFAULT, "soon",
                KnotConfig.THREADS_ENABLED, "maybe", KnotConfig.THREADS_IGNORE, "(unclosed"), "sleeps"));
    }

    @Test
    void classScopeOwnsWhatBeforeAllStarted() {
        var r = run(Scenarios.ClassScope.class);
        assertEquals(Status.SUCCESSFUL, status(r, "usesThePool"), "the pool in a static field is the class's, not the test's");
        String m = r.entrySet().stream().filter(e -> e.getKey().startsWith("container ")).findFirst()
                .orElseThrow(() -> new AssertionError("the class should fail: " + r)).getValue().getThrowable().orElseThrow().getMessage();
        contains(m, "Scenarios.ClassScope left 2 problems behind", "THREAD LEAK  \"started-in-before-all\"",
                "EXECUTOR NOT SHUT DOWN  ThreadPoolExecutor in field ClassScope.neverShutDown was never shut down",
                "Re-run: mvn test -Dtest='dev.knot.junit.examples.Scenarios$ClassScope' | gradle test --tests"
                        + " 'dev.knot.junit.examples.Scenarios$ClassScope'");
    }
}
