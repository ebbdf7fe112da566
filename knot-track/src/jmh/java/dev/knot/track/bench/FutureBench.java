package dev.knot.track.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/** CompletableFuture chains: inline (no waiting) and through a one-thread pool with a blocking join. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FutureBench {
    ExecutorService pool;

    @Setup(Level.Trial)
    public void start() {
        pool = Executors.newSingleThreadExecutor();
    }

    @TearDown(Level.Trial)
    public void stop() {
        pool.shutdownNow();
    }

    /** supplyAsync on the calling thread, three dependent stages, join on a completed future. */
    @Benchmark
    public Integer chainInline(Expect e, Blackhole bh) {
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> 1, Runnable::run);
        bh.consume(first); // escapes, as a real future does (else the JIT removes the whole chain)
        return first.thenApply(i -> i + 1).thenCompose(i -> CompletableFuture.completedFuture(i * 2)).thenApply(i -> i - 1).join();
    }

    /** supplyAsync on a pool (its queue: offer/take), a stage, join that usually waits (waitingGet). */
    @Benchmark
    public Integer chainOnPool(Expect e) {
        return CompletableFuture.supplyAsync(() -> 1, pool).thenApply(i -> i + 1).join();
    }
}
