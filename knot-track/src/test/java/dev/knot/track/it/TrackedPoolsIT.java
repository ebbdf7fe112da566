package dev.knot.track.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.knot.examples.Ex16CommonsPoolNestedBorrow;
import dev.knot.examples.Ex17HikariNestedConnection;
import dev.knot.findings.Certainty;
import dev.knot.findings.Finding;
import dev.knot.findings.Report;
import dev.knot.live.LiveSnapshot;
import dev.knot.rules.Analyzer;
import dev.knot.snapshot.LiveFact;
import dev.knot.snapshot.ThreadDump;
import dev.knot.track.Tracking;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The pool examples run in this JVM, which started with the tracking agent ({@code track=all,track.sites=true},
 * see the pom): Ex16 (commons-pool2, two renderers each holding one of two objects and waiting for a second) and
 * Ex17 (HikariCP + H2, the only connection held by a worker that asks for a second). Their pools are created
 * after tracking started, so every borrow was seen: the holders are named, complete, and keyed by the object the
 * borrowers park on.
 */
@Tag("slow") // seconds or child JVMs: left out of ./run-tests --fast (README, Development)
class TrackedPoolsIT {

    @BeforeAll
    static void poolsAreTracked() {
        assertNotNull(Tracking.active(), "the agent did not install tracking: " + Tracking.disabledReason());
        assertTrue(Tracking.active().pools(), Tracking.active().kinds());
    }

    static void runMain(Class<?> example) {
        Thread t = new Thread(() -> {
            try {
                example.getMethod("main", String[].class).invoke(null, (Object) new String[0]);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }, example.getSimpleName() + "-main");
        t.setDaemon(true);
        t.start();
    }

    /** Waits (bounded) until every named thread parks on an object of that class; returns the threads. */
    static List<Thread> awaitParked(String blockerClass, Thread.State state, String... names) {
        Instant end = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            Map<String, Thread> byName = Thread.getAllStackTraces().keySet().stream()
                    .collect(Collectors.toMap(Thread::getName, t -> t, (a, b) -> a));
            List<Thread> ts = java.util.Arrays.stream(names).map(byName::get).toList();
            if (ts.stream().allMatch(t -> t != null && t.getState() == state && LockSupport.getBlocker(t) != null
                    && LockSupport.getBlocker(t).getClass().getName().equals(blockerClass))) {
                return ts;
            }
            if (Instant.now().isAfter(end)) throw new AssertionError("never all parked on " + blockerClass + ": " + ts);
            Thread.onSpinWait();
        }
    }

    static String id(Object o) {
        return o.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(o));
    }

    static List<LiveFact> facts(ThreadDump d, String objectId) {
        return d.facts().stream().filter(f -> f.objectId().equals(objectId)).toList();
    }

    static Finding findingOf(Report r, String thread) {
        return r.findings().stream().filter(f -> f.threads().contains(thread)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding names " + thread + ": " + r.findings().stream()
                        .map(f -> f.kind().jsonName() + " " + f.certainty() + " " + f.threads()).toList()));
    }

    static String text(Finding f) {
        StringBuilder b = new StringBuilder(f.kind().jsonName() + " " + f.certainty() + " " + f.threads() + "\n")
                .append(f.summary()).append('\n');
        f.story().forEach(s -> b.append(s).append('\n'));
        f.edges().forEach(e -> e.evidence().forEach(s -> b.append(s).append('\n')));
        return b.toString();
    }

    @Test
    void commonsPoolBorrowersAreTheHoldersAndTheSetIsComplete() {
        runMain(Ex16CommonsPoolNestedBorrow.class);
        List<Thread> ts = awaitParked("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject",
                Thread.State.WAITING, "pdf-render-1", "pdf-render-2");
        Object notEmpty = LockSupport.getBlocker(ts.get(0));
        assertSame(notEmpty, LockSupport.getBlocker(ts.get(1)), "both wait on the idle deque's notEmpty");
        ThreadDump d = LiveSnapshot.take("this JVM");
        List<LiveFact> fs = facts(d, id(notEmpty));
        String all = fs.stream().map(Object::toString).collect(Collectors.joining("\n"));
        Set<String> holders = fs.stream().filter(f -> f.kind() == LiveFact.Kind.HOLDS).map(LiveFact::threadId)
                .collect(Collectors.toSet());
        assertEquals(Set.of(Long.toString(ts.get(0).getId()), Long.toString(ts.get(1).getId())), holders, all);
        String site = "borrowed at dev.knot.examples.Ex16CommonsPoolNestedBorrow$Renderers.renderPage(Ex16CommonsPoolNestedBorrow.java:";
        assertTrue(fs.stream().filter(f -> f.kind() == LiveFact.Kind.HOLDS).allMatch(f -> f.detail().startsWith(
                "holds 1 object of GenericObjectPool@") && f.detail().contains(site)), all);
        assertTrue(fs.stream().anyMatch(f -> f.kind() == LiveFact.Kind.HOLDERS_COMPLETE), all);
        assertTrue(fs.stream().anyMatch(f -> f.kind() == LiveFact.Kind.STATE
                && f.detail().endsWith(": 2 borrowed, 0 idle, maximum 2; 2 threads wait to borrow")), all);

        Finding f = findingOf(Analyzer.analyze(List.of(d)), "pdf-render-1");
        System.out.println("Ex16 live, tracked: " + text(f));
        assertEquals(Set.of("pdf-render-1", "pdf-render-2"), Set.copyOf(f.threads()), text(f));
        assertEquals(Certainty.CERTAIN, f.certainty(), text(f));
    }

    @Test
    void theHikariWorkerHoldingTheOnlyConnectionIsItsSoleHolder() {
        runMain(Ex17HikariNestedConnection.class);
        String transferer = Runtime.version().feature() >= 21 ? "java.util.concurrent.SynchronousQueue$Transferer"
                : "java.util.concurrent.SynchronousQueue$TransferQueue"; // the bag's queue is fair
        List<Thread> ts = awaitParked(transferer, Thread.State.TIMED_WAITING, "order-worker-1", "order-worker-2",
                "order-worker-3");
        Object parkedOn = LockSupport.getBlocker(ts.get(0));
        ThreadDump d = LiveSnapshot.take("this JVM");
        List<LiveFact> fs = facts(d, id(parkedOn));
        String all = fs.stream().map(Object::toString).collect(Collectors.joining("\n"));
        List<LiveFact> holds = fs.stream().filter(f -> f.kind() == LiveFact.Kind.HOLDS).toList();
        assertEquals(1, holds.size(), all);
        assertEquals(Long.toString(ts.get(0).getId()), holds.get(0).threadId(), all);
        assertTrue(holds.get(0).detail().startsWith("holds 1 connection of HikariCP pool orders-pool (")
                && holds.get(0).detail().contains("borrowed at dev.knot.examples.Ex17HikariNestedConnection$Orders.saveOrder("
                + "Ex17HikariNestedConnection.java:"), all);
        assertTrue(fs.stream().anyMatch(f -> f.kind() == LiveFact.Kind.HOLDERS_COMPLETE), all);
        assertTrue(fs.stream().anyMatch(f -> f.kind() == LiveFact.Kind.STATE
                && f.detail().endsWith(": 1 borrowed, 0 idle, maximum 1; 3 threads wait to borrow")), all);

        // No finding is asserted here: this JVM's test thread is running, and the workers' waits are timed (an hour),
        // so the rules keep them as possible releasers. knot-cli's AttachCommandTest analyses the example's own JVM.
    }
}
