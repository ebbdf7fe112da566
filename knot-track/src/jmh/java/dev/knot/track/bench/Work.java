package dev.knot.track.bench;

import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The "realistic work" of the workload benchmarks: {@value #TOKENS} tokens of {@link Blackhole#consumeCPU}, about
 * 0.5 µs of CPU on the machines measured (the README's table has the figure: the no-agent row of
 * {@code SemaphoreBench.guardedWork} is this work plus an uncontended acquire/release). 0.5 µs is the low end of
 * what a service does per item or per guarded call (decode a small message, a few map lookups, build a response),
 * chosen at the low end so that the measured ratios are upper bounds for heavier items.
 */
final class Work {
    static final long TOKENS = 250;
    /**
     * Extra tokens per item, 0 except in a paired fork of {@code -Dknot.track.paired.nudge=N}, which switches them
     * on and off instead of tracking (a control: how the workload answers a cost the size of a hook).
     */
    static volatile long extra;

    private Work() {
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static void item() {
        Blackhole.consumeCPU(TOKENS + extra);
    }
}
