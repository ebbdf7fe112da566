package dev.knot.track.bench;

import dev.knot.track.boot.KnotTracker;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The hooks alone, called directly (no agent, no JDK class instrumented): what one hook costs on the calling
 * thread. {@code baseline} is the empty benchmark for reference.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HookBench {
    final Object sync = new Object();
    final Object sync2 = new Object();
    final Object queue = new Object();
    final Object future = new Object();

    @Setup(Level.Trial)
    public void on() {
        KnotTracker.semaphores = true;
        KnotTracker.queues = true;
        KnotTracker.futures = true;
        KnotTracker.enabled = true;
    }

    @Benchmark
    public void baseline() {
    }

    /** Semaphore: acquired + released of one permit (the hooks of one acquire/release pair). */
    @Benchmark
    public void acquireRelease() {
        KnotTracker.acquired(1, sync);
        KnotTracker.released(1, sync);
    }

    /** Two semaphores held at once (two holdings). */
    @Benchmark
    public void nested() {
        KnotTracker.acquired(1, sync);
        KnotTracker.acquired(1, sync2);
        KnotTracker.released(1, sync2);
        KnotTracker.released(1, sync);
    }

    /** Queue: one produces and one consumes (the hooks of an offer and a poll). */
    @Benchmark
    public void produceConsume() {
        KnotTracker.produces(queue);
        KnotTracker.consumes(queue);
    }

    /** Future: the hook at the start of an async task. */
    @Benchmark
    public void runs() {
        KnotTracker.runs(future);
    }
}
