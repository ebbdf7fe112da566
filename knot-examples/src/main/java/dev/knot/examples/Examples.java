package dev.knot.examples;

import java.util.List;

/** The registry of example programs, in their numbered order. */
public final class Examples {

    private static final List<Class<?>> ALL = List.of(
            Ex00Healthy.class,
            Ex01MonitorDeadlock.class,
            Ex02ReentrantLockDeadlock.class,
            Ex03ClassInitDeadlock.class,
            Ex04WaitWhileHoldingLock.class,
            Ex05ProducerHoldsLockOnFullQueue.class,
            Ex06PoolUnitsExhausted.class,
            Ex07SemaphoreTakenTwice.class,
            Ex08ReadLockUpgrade.class,
            Ex09SingleThreadExecutorWaitsOnItself.class,
            Ex10FixedPoolStarvation.class,
            Ex11OrphanedLock.class,
            Ex12HotLockContention.class,
            Ex13StalledFuture.class,
            Ex14VirtualThreadDeadlock.class,
            Ex15FanInBehindPlatformThread.class,
            Ex16CommonsPoolNestedBorrow.class,
            Ex17HikariNestedConnection.class,
            Ex18ReadLockUpgradeBehindWriter.class,
            Ex19ClassInitParallelStream.class,
            Ex20HealthyDrainedPool.class, Ex21CarriersPinnedInClassInit.class);

    private Examples() {
    }

    /** Every example, ordered by number. */
    public static List<Class<?>> all() {
        return ALL;
    }

    /** The example's {@link Expected} annotation; IllegalArgumentException if it has none. */
    /** The kind a finding from a dump (text or JSON) should have: {@link Expected#dumpKind()}, else the kind. */
    public static String dumpKind(Expected e) {
        return e.dumpKind().isEmpty() ? e.kind() : e.dumpKind();
    }

    /** The threads a finding from a dump should name: {@link Expected#dumpThreads()}, else the threads. */
    public static String[] dumpThreads(Expected e) {
        return e.dumpThreads().length == 0 ? e.threads() : e.dumpThreads();
    }

    public static Expected expected(Class<?> example) {
        Expected expected = example.getAnnotation(Expected.class);
        if (expected == null) {
            throw new IllegalArgumentException(example.getName() + " has no @Expected annotation");
        }
        return expected;
    }

    /**
     * The example with simple name {@code name} ({@code "Ex01MonitorDeadlock"}) or with that number
     * ({@code "Ex01"}), case-insensitive; IllegalArgumentException if there is none.
     */
    public static Class<?> byName(String name) {
        for (Class<?> example : ALL) {
            String simple = example.getSimpleName();
            boolean numberOnly = name.length() == 4 && simple.regionMatches(true, 0, name, 0, 4);
            if (numberOnly || simple.equalsIgnoreCase(name)) {
                return example;
            }
        }
        throw new IllegalArgumentException("no example named " + name);
    }
}
