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

/** Controls: never instrumented, so any difference is the noise of this machine (or a global side effect). */
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
}
