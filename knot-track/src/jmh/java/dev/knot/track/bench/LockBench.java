package dev.knot.track.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Controls: ReentrantLock and synchronized are never instrumented, so any difference between the configurations is
 * this machine's noise (or a global side effect of the agent). Bare (an increment under the lock) and as a
 * workload (the increment under the lock, then {@link Work#item} outside it), two threads each.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
public class LockBench {
    final ReentrantLock lock = new ReentrantLock();
    final Object monitor = new Object();
    long counter;

    @Benchmark
    public long reentrantLockContended(Expect e) {
        lock.lock();
        try {
            return ++counter;
        } finally {
            lock.unlock();
        }
    }

    @Benchmark
    public long synchronizedContended(Expect e) {
        synchronized (monitor) {
            return ++counter;
        }
    }

    @Benchmark
    public long reentrantLockWork(Expect e) {
        long c;
        lock.lock();
        try {
            c = ++counter;
        } finally {
            lock.unlock();
        }
        Work.item();
        return c;
    }

    @Benchmark
    public long synchronizedWork(Expect e) {
        long c;
        synchronized (monitor) {
            c = ++counter;
        }
        Work.item();
        return c;
    }
}
