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

/** Semaphore acquire/release (two hooks per pair when tracked): bare rows and a bulkhead workload. */
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

    /** One thread, a permit guarding {@link Work#item} (the semaphore never blocks). */
    @Benchmark
    public void guardedWork(Expect e) {
        permits.acquireUninterruptibly();
        Work.item();
        permits.release();
    }

    /**
     * Workload: a limiter below its limit. Two threads, eight permits, each permit guarding {@link Work#item}: nobody
     * waits, but both threads update the same semaphore.
     */
    @Benchmark
    @Threads(2)
    public void limiterWork(Limiter l, Expect e) {
        l.permits.acquireUninterruptibly();
        try {
            Work.item();
        } finally {
            l.permits.release();
        }
    }

    @State(Scope.Benchmark)
    public static class Limiter {
        final Semaphore permits = new Semaphore(8);
    }

    /**
     * Workload: a bulkhead. Four threads share two permits, each guarding {@link Work#item}, as a limiter in front
     * of a resource: half the threads wait at any time (parks and unparks on the 2 CPUs measured).
     */
    @Benchmark
    @Threads(4)
    public void bulkheadWork(Bulkhead b, Expect e) {
        b.permits.acquireUninterruptibly();
        try {
            Work.item();
        } finally {
            b.permits.release();
        }
    }

    @State(Scope.Benchmark)
    public static class Bulkhead {
        final Semaphore permits = new Semaphore(2);
    }
}
