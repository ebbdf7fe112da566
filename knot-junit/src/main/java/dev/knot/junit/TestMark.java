package dev.knot.junit;

import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One scope Knot watches: a test (method, template invocation, dynamic test) or a test class (its
 * {@code @BeforeAll}/{@code @AfterAll} work). Threads created during it carry a {@link Lineage} pointing here.
 * Kept small on purpose: a leaked thread keeps its lineage, and so this object, alive.
 */
final class TestMark {
    final String uniqueId;
    /** "LeakTest.poller()" or "LeakTest" */
    final String display;
    final Class<?> testClass;
    /** null for a class scope */
    final String methodName;
    final Lineage root;
    /** Threads created (inherited the mark) during the scope, directly or transitively. */
    final AtomicInteger created = new AtomicInteger();
    final Queue<Uncaught> uncaught = new ConcurrentLinkedQueue<>();
    /** The first creation sites (for messages when threads cannot be read by reflection). */
    final Queue<String> sites = new ConcurrentLinkedQueue<>();
    /** Scopes that ran at the same time (parallel execution); used only when threads cannot be read by reflection. */
    final Set<TestMark> overlapping = ConcurrentHashMap.newKeySet();
    /** The highest thread id when the scope began: later threads are new (used without reflection only). */
    final long startId;
    volatile boolean open = true;

    record Uncaught(String thread, boolean virtual, Throwable error, Lineage lineage) {
    }

    TestMark(String uniqueId, String display, Class<?> testClass, String methodName, long startId) {
        this.uniqueId = uniqueId;
        this.display = display;
        this.testClass = testClass;
        this.methodName = methodName;
        this.startId = startId;
        this.root = new Lineage(this, null, null);
    }

    @Override
    public String toString() {
        return display;
    }
}
