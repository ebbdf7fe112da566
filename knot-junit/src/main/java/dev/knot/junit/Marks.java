package dev.knot.junit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-thread test marker and the registry of running scopes.
 *
 * <p>Every thread created while a scope runs inherits its {@link Lineage} through {@link #MARK}, at creation time,
 * without an agent: platform and virtual threads, pool workers (created by whoever submits), and their children.
 * Reading another thread's marker needs {@code java.lang} open (see {@link Threads#lineage}); the uncaught-exception
 * handler needs nothing, because it runs on the dying thread itself.
 */
final class Marks {
    private Marks() {
    }

    static final InheritableThreadLocal<Lineage> MARK = new InheritableThreadLocal<>() {
        @Override
        protected Lineage childValue(Lineage parent) {
            if (parent == null) return null;
            try {
                return parent.child();
            } catch (Throwable t) { // never break the application's new Thread(...)
                return parent;
            }
        }
    };

    /** Scopes between begin and end; with overlap bookkeeping for attribution without reflection. */
    private static final Set<TestMark> RUNNING = ConcurrentHashMap.newKeySet();

    static void started(TestMark m) {
        for (TestMark other : RUNNING) {
            other.overlapping.add(m);
            m.overlapping.add(other);
        }
        RUNNING.add(m);
    }

    static void ended(TestMark m) {
        RUNNING.remove(m);
    }

    /** Drops references to other scopes once a scope has been checked (they would otherwise chain up). */
    static void forget(TestMark m) {
        m.overlapping.clear();
        m.open = false;
    }
}
