package dev.knot.track.bench;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/** Semaphore acquire/release: tracked (two hooks and a ThreadLocal lookup per pair). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SemaphoreBench {
    final Semaphore permits = new Semaphore(1_000);
    final Semaphore one = new Semaphore(1);

    /** One thread, a permit taken and given back. */
    @Benchmark
    public void acquireRelease(Expect e) {
        permits.acquireUninterruptibly();
        permits.release();
    }

    /** Two threads taking the only permit in turn (parks and unparks). */
    @Benchmark
    @Threads(2)
    public void acquireReleaseContended(Expect e) {
        one.acquireUninterruptibly();
        one.release();
    }

    /** Nested: a second semaphore while holding the first (two holdings per thread). */
    @Benchmark
    public void nested(Expect e) {
        permits.acquireUninterruptibly();
        one.acquireUninterruptibly();
        one.release();
        permits.release();
    }

    /** A permit guarding about a microsecond of work, as a semaphore around real work would. */
    @Benchmark
    public void guardedWork(Expect e) {
        permits.acquireUninterruptibly();
        Blackhole.consumeCPU(250);
        permits.release();
    }

    /** Construction: not instrumented (a control). */
    @Benchmark
    public Semaphore create(Expect e) {
        return new Semaphore(1);
    }
}
