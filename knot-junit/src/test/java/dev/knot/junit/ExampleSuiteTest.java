package dev.knot.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.knot.junit.examples.AutodetectedLeakExamples;
import dev.knot.junit.examples.CancelledTaskExamples;
import dev.knot.junit.examples.Cleanup;
import dev.knot.junit.examples.DeadlockExamples;
import dev.knot.junit.examples.HealthyExamples;
import dev.knot.junit.examples.LatchExamples;
import dev.knot.junit.examples.LeakExamples;
import dev.knot.junit.examples.LockDeadlockExamples;
import dev.knot.junit.examples.StarvationExamples;
import dev.knot.junit.examples.SwallowedExceptionExamples;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs the example tests (which fail on purpose) in-process with EngineTestKit, sequentially and in parallel, and
 * checks that each fails with the right diagnosis and a re-run line, and that the healthy ones pass.
 */
@Tag("slow") // seconds or child JVMs: left out of ./run-tests --fast (README, Development)
class ExampleSuiteTest {

    static final boolean MARKERS = Threads.markersReadable();
    static final boolean VIRTUAL = Threads.VIRTUAL_VISIBLE;

    @AfterEach
    void stopWhatTheExamplesLeft() {
        Cleanup.run();
    }

    @Test
    void sequential() {
        check(run(false), false);
    }

    @Test
    void parallel() {
        check(run(true), true);
    }

    static EngineExecutionResults run(boolean parallel, Class<?>... classes) {
        var kit = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("knot.examples", "run")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .configurationParameter(KnotConfig.THREADS_GRACE, "300 ms");
        if (classes.length == 0) {
            kit.selectors(selectClass(DeadlockExamples.class), selectClass(LockDeadlockExamples.class),
                    selectClass(LatchExamples.class),
                    selectClass(StarvationExamples.class),
                    selectClass(LeakExamples.class), selectClass(SwallowedExceptionExamples.class),
                    selectClass(CancelledTaskExamples.class), selectClass(AutodetectedLeakExamples.class),
                    selectClass(HealthyExamples.class));
        } else {
            for (Class<?> c : classes) kit.selectors(DiscoverySelectors.selectClass(c));
        }
        if (parallel) {
            kit.configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                    .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
                    .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                    .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                    .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "8");
        }
        return kit.execute();
    }

    /** test method name (plus invocation display name for templates) → result */
    static Map<String, TestExecutionResult> byTest(EngineExecutionResults r) {
        Map<String, TestExecutionResult> out = new LinkedHashMap<>();
        for (Event e : r.testEvents().finished().list()) {
            String uid = e.getTestDescriptor().getUniqueId().toString();
            String name = uid.replaceAll(".*\\[(?:method|test-template|test-factory):([^(]*)\\(.*", "$1");
            if (uid.contains("invocation:") || uid.contains("dynamic-test:")) name += " " + e.getTestDescriptor().getDisplayName();
            out.put(name, e.getPayload(TestExecutionResult.class).orElseThrow());
        }
        for (Event e : r.containerEvents().finished().list()) {
            TestExecutionResult res = e.getPayload(TestExecutionResult.class).orElseThrow();
            if (res.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                out.put("container " + e.getTestDescriptor().getDisplayName(), res);
            }
        }
        return out;
    }

    static String failure(Map<String, TestExecutionResult> results, String test) {
        TestExecutionResult r = results.get(test);
        if (r == null) fail(test + " did not run; ran: " + results.keySet());
        if (r.getStatus() != TestExecutionResult.Status.FAILED) fail(test + " should fail but was " + r.getStatus());
        return r.getThrowable().orElseThrow().getMessage();
    }

    static void contains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), () -> "expected «" + p + "» in:\n" + message);
        }
    }

    static void endsWithRerun(String message, String cls, String method) {
        String last = message.substring(message.lastIndexOf('\n') + 1);
        String fqcn = "dev.knot.junit.examples." + cls;
        assertEquals("Re-run: mvn test -Dtest='" + fqcn + "#" + method + "' | gradle test --tests '" + fqcn + "." + method + "'",
                last, message);
    }

    static void check(EngineExecutionResults results, boolean parallel) {
        Map<String, TestExecutionResult> r = byTest(results);
        StringBuilder unexpected = new StringBuilder();

        Throwable hung = r.get("monitorDeadlock").getThrowable().orElse(null);
        assertInstanceOf(HungTestException.class, hung, String.valueOf(r.get("monitorDeadlock")));
        String deadlock = failure(r, "monitorDeadlock");
        contains(deadlock, "DeadlockExamples.monitorDeadlock() did not finish within 1500 ms (@Timeout(2 s)",
                "DEADLOCK (certain)", "\"transfer-alice-to-bob\"", "\"transfer-bob-to-alice\"",
                "\"knot-test DeadlockExamples.monitorDeadlock()\"", "Knot interrupted the test's");
        endsWithRerun(deadlock, "DeadlockExamples", "monitorDeadlock");

        // j.u.c lock owners are known in every run mode (ThreadMXBean reports the owner of a parked-on lock)
        String lockDeadlock = failure(r, "reentrantLockDeadlock");
        contains(lockDeadlock, "DEADLOCK (certain)  2 threads deadlocked on locks", "\"restock\"", "\"audit\"");
        assertFalse(lockDeadlock.contains("ORPHANED-LOCK"), lockDeadlock);

        // no hang kind applies: the chain from the test's wait to a holder sleeping in a loop
        String latch = failure(r, "shipmentNeverArrives");
        contains(latch, "WAITING  no deadlock, starvation or other hang kind applies; what the test's threads wait for:",
                "\"knot-test LatchExamples.shipmentNeverArrives()\" waits on CountDownLatch",
                "at dev.knot.junit.examples.LatchExamples.shipmentNeverArrives(LatchExamples.java:",
                "which thread would count it down is not recorded; the test's other threads:",
                "\"shipper\" waits to lock LatchExamples$Dock", "at dev.knot.junit.examples.LatchExamples.ship(LatchExamples.java:",
                "held by \"dock-holder\", locked in frame dev.knot.junit.examples.LatchExamples.holdDock(LatchExamples.java:",
                "\"dock-holder\" is now TIMED_WAITING in java.lang.Thread.sleep",
                "at dev.knot.junit.examples.LatchExamples.holdDock(LatchExamples.java:",
                "): sleeping in a loop (it woke and slept again");
        assertFalse(latch.contains("found no deadlock"), latch);
        endsWithRerun(latch, "LatchExamples", "shipmentNeverArrives");

        String starved = failure(r, "nestedTasksStarveThePool");
        contains(starved, "STARVATION (" + (MARKERS ? "certain" : ""), "\"report-worker-1\"", "\"report-worker-2\"");
        endsWithRerun(starved, "StarvationExamples", "nestedTasksStarveThePool");

        // Leaks: with the marker readable, exact in any mode; without, exact in sequential runs only.
        boolean exact = MARKERS || !parallel;
        if (exact) {
            String thread = failure(r, "leaksThread");
            contains(thread, "THREAD LEAK  \"cache-refresher\" is still running after the test ended",
                    "TIMED_WAITING in java.lang.Thread.sleep");
            if (MARKERS) contains(thread, "created at dev.knot.junit.examples.LeakExamples.leaksThread(LeakExamples.java:");
            endsWithRerun(thread, "LeakExamples", "leaksThread");

            String executor = failure(r, "leaksExecutor");
            contains(executor, "EXECUTOR NOT SHUT DOWN", "was never shut down", "pool-");
            if (MARKERS) contains(executor, "ThreadPoolExecutor@", "its first worker was started at dev.knot.junit.examples.LeakExamples.leaksExecutor(");
            endsWithRerun(executor, "LeakExamples", "leaksExecutor");

            String unannotated = failure(r, "leaksWithoutAnnotation");
            contains(unannotated, "THREAD LEAK  \"unannotated-leak\"");

            String cancelled = failure(r, "cancelledDownloadKeepsRunning");
            contains(cancelled, "CANCELLED TASK STILL RUNNING  \"downloader\" keeps running a task although", "read");
            endsWithRerun(cancelled, "CancelledTaskExamples", "cancelledDownloadKeepsRunning");
        } else {
            // never on another test: each leak is reported on its own test, or (ambiguous) only on stderr
            for (String t : List.of("leaksThread", "leaksExecutor", "leaksWithoutAnnotation", "cancelledDownloadKeepsRunning")) {
                TestExecutionResult res = r.get(t);
                if (res.getStatus() == TestExecutionResult.Status.FAILED) {
                    assertInstanceOf(LeakError.class, res.getThrowable().orElseThrow());
                }
            }
        }
        if (VIRTUAL) {
            contains(failure(r, "leaksVirtualThread"), "THREAD LEAK  virtual thread \"metrics-flusher\"");
        } else {
            TestExecutionResult vt = r.get("leaksVirtualThread");
            assertTrue(vt.getStatus() != TestExecutionResult.Status.FAILED,
                    () -> "virtual threads are invisible without the agent (or absent before JDK 21): nothing to report, but: "
                            + vt.getThrowable().map(Throwable::getMessage).orElse(""));
        }

        // The uncaught handler runs on the dying thread and reads its marker there: exact in every mode.
        String dies = failure(r, "backgroundThreadDies");
        contains(dies, "UNOBSERVED FAILURE  thread \"importer\" died of java.lang.IllegalStateException: row 3 has no id",
                "thrown at dev.knot.junit.examples.SwallowedExceptionExamples.importRows(SwallowedExceptionExamples.java:",
                "the thread was created at dev.knot.junit.examples.SwallowedExceptionExamples.backgroundThreadDies(");
        endsWithRerun(dies, "SwallowedExceptionExamples", "backgroundThreadDies");
        contains(failure(r, "executedTaskDies"), "UNOBSERVED FAILURE", "row 7 has no id", "the thread was created at dev.knot.junit.examples.SwallowedExceptionExamples.executedTaskDies(", " via ");

        // A submit()ted task's failure kept in a Future nobody reads: only the agent's tracking sees it.
        if (TaskFailures.available()) {
            String unread = failure(r, "submittedTaskFails");
            contains(unread, "UNOBSERVED FAILURE  task failed and nobody read its result: java.lang.IllegalStateException: row 8 has no id",
                    "thrown at dev.knot.junit.examples.SwallowedExceptionExamples.importRows(SwallowedExceptionExamples.java:",
                    "the task (FutureTask@", "created at dev.knot.junit.examples.SwallowedExceptionExamples.submittedTaskFails(",
                    "Fix: read every Future you submit");
            endsWithRerun(unread, "SwallowedExceptionExamples", "submittedTaskFails");
        } else {
            assertEquals(TestExecutionResult.Status.SUCCESSFUL, r.get("submittedTaskFails").getStatus(),
                    "without the agent a failure inside a Future is invisible: " + r.get("submittedTaskFails"));
        }

        List<String> expectedFailures = List.of("submittedTaskFails", "monitorDeadlock", "reentrantLockDeadlock", "shipmentNeverArrives", "nestedTasksStarveThePool", "leaksThread", "leaksExecutor",
                "leaksWithoutAnnotation", "cancelledDownloadKeepsRunning", "leaksVirtualThread", "backgroundThreadDies",
                "executedTaskDies");
        for (Map.Entry<String, TestExecutionResult> e : r.entrySet()) {
            if (expectedFailures.contains(e.getKey())) continue;
            boolean skipped = e.getKey().equals("virtualThreads") && Runtime.version().feature() < 21;
            if (e.getValue().getStatus() != TestExecutionResult.Status.SUCCESSFUL && !skipped) {
                unexpected.append("\n").append(e.getKey()).append(": ").append(e.getValue().getThrowable()
                        .map(Throwable::toString).orElse(e.getValue().getStatus().toString()));
            }
        }
        assertEquals("", unexpected.toString(), "healthy tests must report nothing");
        assertTrue(r.size() > 20, "all example tests ran: " + r.keySet());
    }
}
